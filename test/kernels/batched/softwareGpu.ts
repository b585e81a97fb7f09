/**
 * Test harness for kernel tests until/unless part A's WebGpuBackend is used: a minimal
 * GpuContext plus upload/read/sync over Dawn on llvmpipe (or a hardware adapter when present).
 * `openSoftwareGpu()` returns null when no adapter can be made — except under CI, where that
 * throws so the suite fails. `close()` destroys the device and drops the instance so Node exits.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { create, globals } from 'webgpu';
import type { GpuContext } from '../../../src/kernels/GpuContext.js';
import type { DType, Tensor, TypedData } from '../../../src/kernels/Tensor.js';

const WGSL_DIR = fileURLToPath(new URL('../../../src/kernels/webgpu/wgsl/', import.meta.url));

export interface SoftwareGpu {
  readonly ctx: GpuContext;
  readonly adapterInfo: string;
  upload(data: TypedData, shape?: readonly number[]): Tensor;
  zeros(shape: readonly number[], dtype?: DType): Tensor;
  write(t: Tensor, data: TypedData, elementOffset?: number): void;
  read(t: Tensor): Promise<TypedData>;
  release(t: Tensor): void;
  sync(): Promise<void>;
  close(): void;
}

export async function openSoftwareGpu(): Promise<SoftwareGpu | null> {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  Object.assign(globalThis, globals);
  let gpu: GPU | null = create(['backend=opengles']);
  const adapter = await gpu.requestAdapter({ featureLevel: 'compatibility' } as GPURequestAdapterOptions);
  if (!adapter) {
    gpu = null;
    if (process.env.CI) throw new Error('CI: could not create the WebGPU software adapter (Dawn opengles on llvmpipe)');
    return null;
  }
  const want = [
    'maxComputeWorkgroupSizeX',
    'maxComputeWorkgroupSizeY',
    'maxComputeInvocationsPerWorkgroup',
    'maxComputeWorkgroupStorageSize',
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxStorageBuffersPerShaderStage',
  ] as const;
  const requiredLimits: Record<string, number> = {};
  for (const k of want) requiredLimits[k] = adapter.limits[k];
  const device = await adapter.requestDevice({ requiredLimits });
  let lost: string | null = null;
  device.addEventListener?.('uncapturederror', (e: Event) => {
    lost = String((e as GPUUncapturedErrorEvent).error.message);
  });
  const bufs = new Map<number, GPUBuffer>();
  const modules = new Map<string, GPUShaderModule>();
  const pipes = new Map<string, GPUComputePipeline>();
  let uniforms: GPUBuffer[] = [];
  let retired: GPUBuffer[] = [];
  let encoder: GPUCommandEncoder | null = null;
  let nextId = 1;
  const enc = () => (encoder ??= device.createCommandEncoder());

  const make = (shape: readonly number[], dtype: DType): Tensor => {
    const length = shape.reduce((a, b) => a * b, 1);
    const buffer = device.createBuffer({
      size: Math.max(16, Math.ceil((length * 4) / 16) * 16),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    const t: Tensor = { id: nextId++, backend: 'webgpu', shape: [...shape], dtype, length };
    bufs.set(t.id, buffer);
    return t;
  };
  const dtypeOf = (d: TypedData): DType => (d instanceof Float32Array ? 'f32' : d instanceof Int32Array ? 'i32' : 'u32');

  const ctx: GpuContext = {
    device,
    limits: device.limits,
    buffer(t) {
      const b = bufs.get(t.id);
      if (!b) throw new Error(`foreign tensor ${t.id}`);
      return b;
    },
    pipeline(file, entry, constants) {
      const key = `${file}|${entry}|${JSON.stringify(Object.entries(constants).sort())}`;
      let p = pipes.get(key);
      if (!p) {
        let module = modules.get(file);
        if (!module) modules.set(file, (module = device.createShaderModule({ code: readFileSync(WGSL_DIR + file, 'utf8') })));
        p = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: entry, constants: { ...constants } } });
        pipes.set(key, p);
      }
      return p;
    },
    uniform(data) {
      const b = device.createBuffer({ size: Math.max(16, Math.ceil(data.byteLength / 16) * 16), usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(b, 0, data);
      uniforms.push(b);
      return b;
    },
    dispatch(pipeline, bindings, groups) {
      const bind = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: bindings.map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      const pass = enc().beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(groups[0], groups[1] ?? 1, groups[2] ?? 1);
      pass.end();
    },
  };

  const flush = () => {
    if (encoder) {
      device.queue.submit([encoder.finish()]);
      encoder = null;
    }
  };
  return {
    ctx,
    adapterInfo: `${adapter.info?.vendor ?? ''} ${adapter.info?.description ?? adapter.info?.device ?? ''}`.trim(),
    upload(data, shape = [data.length]) {
      const t = make(shape, dtypeOf(data));
      if (data.length) {
        flush();
        device.queue.writeBuffer(ctx.buffer(t), 0, data.buffer, data.byteOffset, data.byteLength);
      }
      return t;
    },
    zeros: (shape, dtype = 'f32') => make(shape, dtype),
    write(t, data, off = 0) {
      flush();
      device.queue.writeBuffer(ctx.buffer(t), off * 4, data.buffer, data.byteOffset, data.byteLength);
    },
    async read(t) {
      const size = Math.max(16, Math.ceil((t.length * 4) / 16) * 16);
      const staging = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      enc().copyBufferToBuffer(ctx.buffer(t), 0, staging, 0, size);
      flush();
      await staging.mapAsync(GPUMapMode.READ);
      const bytes = staging.getMappedRange().slice(0, t.length * 4);
      staging.unmap();
      staging.destroy();
      if (lost) throw new Error(`WebGPU error: ${lost}`);
      return t.dtype === 'f32' ? new Float32Array(bytes) : t.dtype === 'i32' ? new Int32Array(bytes) : new Uint32Array(bytes);
    },
    // Destroyed at the next sync: recorded but unsubmitted dispatches may still use it.
    release(t) {
      const b = bufs.get(t.id);
      if (b) retired.push(b);
      bufs.delete(t.id);
    },
    async sync() {
      flush();
      await device.queue.onSubmittedWorkDone();
      for (const u of uniforms) u.destroy();
      for (const b of retired) b.destroy();
      uniforms = [];
      retired = [];
      if (lost) throw new Error(`WebGPU error: ${lost}`);
    },
    close() {
      for (const b of bufs.values()) b.destroy();
      bufs.clear();
      device.destroy();
      gpu = null;
    },
  };
}
