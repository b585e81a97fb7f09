import { KernelError } from '../../core/index.js';
import { dawnInstance } from './dawnInstance.js';
import { describeAdapter } from './describeAdapter.js';
import { hasVulkanLoader } from './hasVulkanLoader.js';
import { isSoftwareAdapter } from './isSoftwareAdapter.js';
import { WebGpuBackend } from './WebGpuBackend.js';

export interface WebGpuBackendOptions {
  /**
   * true: Dawn's OpenGL ES backend on the software adapter (Mesa llvmpipe), for machines without
   * a GPU. false: the platform's default backend (Vulkan/Metal/D3D12); fails without a hardware
   * adapter. Unset: hardware when there is one, else software.
   */
  software?: boolean;
}

// Limits worth raising above the defaults (compatibility mode grants 128 invocations and 16 KiB).
const LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
] as const;

type Found = { gpu: GPU; adapter: GPUAdapter; flag: string };

async function hardware(): Promise<Found | null> {
  if (!hasVulkanLoader()) return null;
  const gpu = dawnInstance([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter || isSoftwareAdapter(adapter.info)) return null;
  return { gpu, adapter, flag: 'default backend' };
}

async function software(): Promise<Found | null> {
  // Dawn's GLES backend on Mesa needs a surfaceless EGL display when there is no window system.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const gpu = dawnInstance(['backend=opengles']);
  const adapter = await gpu.requestAdapter({ featureLevel: 'compatibility' }).catch(() => null);
  return adapter ? { gpu, adapter, flag: 'opengles' } : null;
}

/** Creates the webgpu backend; KernelError (kernel "webgpu") says why when no adapter fits. */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  let found: Found | null = null;
  const tried: string[] = [];
  if (options.software !== true) {
    try {
      found = await hardware();
    } catch (err) {
      tried.push(`default backend: ${(err as Error).message}`);
    }
    if (!found) tried.push(hasVulkanLoader() ? 'default backend: no hardware adapter' : 'default backend: no Vulkan loader (libvulkan.so.1) on this machine');
  }
  if (!found && options.software !== false) {
    try {
      found = await software();
    } catch (err) {
      tried.push(`opengles: ${(err as Error).message}`);
    }
    if (!found) tried.push(`opengles: no adapter (EGL_PLATFORM=${process.env.EGL_PLATFORM ?? ''}; Mesa EGL/GLES libraries present?)`);
  }
  if (!found) throw new KernelError('webgpu', {}, `no WebGPU adapter: ${tried.join('; ')}`);
  const { gpu, adapter, flag } = found;
  const requiredLimits: Record<string, number> = {};
  for (const k of LIMITS) requiredLimits[k] = adapter.limits[k];
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits });
  } catch (cause) {
    throw new KernelError('webgpu', {}, `requestDevice failed on ${describeAdapter(adapter.info, flag)}: ${(cause as Error).message}`, { cause });
  }
  return new WebGpuBackend(gpu, device, describeAdapter(adapter.info, flag), !isSoftwareAdapter(adapter.info));
}
