import { KernelError } from '../core/index.js';
import { BACKEND_CHOICES, type BackendChoice } from './BACKEND_CHOICES.js';
import type { Backend } from './Backend.js';
import { CpuBackend, type CpuBackendOptions } from './cpu/index.js';
import { createWebGpuBackend } from './webgpu/index.js';

export interface CreateBackendOptions {
  /** webgpu: force the software adapter (true) or hardware (false); default: hardware, else software. */
  software?: boolean;
  cpu?: CpuBackendOptions;
  /** Extra options handed to part B's gpu.js factory. */
  gpujs?: Record<string, unknown>;
  /** auto: measure again instead of reusing this process's earlier decision. */
  remeasure?: boolean;
}

type GpuJsFactory = (options?: Record<string, unknown>) => Promise<Backend> | Backend;

/** Looked up at run time so that the cpu and webgpu paths work whether or not gpujs/ is present. */
async function gpujsFactory(): Promise<GpuJsFactory | null> {
  const path = './gpujs/index.js';
  let mod: Record<string, unknown>;
  try {
    mod = (await import(path)) as Record<string, unknown>;
  } catch {
    return null;
  }
  const named = mod.createGpuJsBackend;
  if (typeof named === 'function') return named as GpuJsFactory;
  const any = Object.entries(mod).find(([k, v]) => /^create\w*Backend$/.test(k) && typeof v === 'function');
  return any ? (any[1] as GpuJsFactory) : null;
}

// `auto` decides once per process: the measurement costs a few hundred milliseconds.
let autoDecision: Promise<'webgpu' | 'cpu' | 'gpujs'> | null = null;

async function gemmMs(backend: Backend, n: number, reps: number): Promise<number> {
  const data = new Float32Array(n * n).map((_, i) => ((i * 7919) % 101) / 101 - 0.5);
  const a = backend.upload(data, [n, n]);
  const c = backend.zeros([n, n]);
  backend.gemm(a, a, c, { m: n, n, k: n });
  await backend.read(c);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) backend.gemm(a, a, c, { m: n, n, k: n });
  await backend.read(c);
  const ms = (performance.now() - t0) / reps;
  backend.release(a);
  backend.release(c);
  return ms;
}

async function decide(options: CreateBackendOptions): Promise<'webgpu' | 'cpu' | 'gpujs'> {
  try {
    const hw = await createWebGpuBackend({ software: false });
    await hw.dispose();
    return 'webgpu';
  } catch {
    /* no hardware adapter: choose between the CPU paths */
  }
  const factory = await gpujsFactory();
  if (!factory) return 'cpu';
  let gj: Backend | null = null;
  try {
    gj = await factory({ mode: 'webasm', ...options.gpujs });
    const cpu = new CpuBackend(options.cpu);
    const tCpu = await gemmMs(cpu, 192, 3);
    const tGj = await gemmMs(gj, 192, 3);
    return tGj < tCpu ? 'gpujs' : 'cpu';
  } catch {
    return 'cpu';
  } finally {
    await gj?.dispose();
  }
}

/**
 * A compute backend by name. `auto`: a hardware WebGPU adapter when `requestAdapter()` finds one
 * that is not a software rasteriser; otherwise whichever CPU path (plain TypeScript or gpu.js
 * webasm, when gpujs/ provides a factory) multiplies a 192³ GEMM faster, decided once per process.
 */
export async function createBackend(name: BackendChoice, options: CreateBackendOptions = {}): Promise<Backend> {
  switch (name) {
    case 'cpu':
      return new CpuBackend(options.cpu);
    case 'webgpu':
      return createWebGpuBackend({ software: options.software });
    case 'gpujs': {
      const factory = await gpujsFactory();
      if (!factory) throw new KernelError('gpujs', {}, 'the gpu.js backend is not available (src/kernels/gpujs exports no factory)');
      return factory(options.gpujs);
    }
    case 'auto': {
      if (options.remeasure || !autoDecision) autoDecision = decide(options);
      const choice = await autoDecision;
      return createBackend(choice, { ...options, software: choice === 'webgpu' ? false : options.software });
    }
    default:
      throw new KernelError('createBackend', {}, `unknown backend "${String(name)}" (expected one of ${BACKEND_CHOICES.join(', ')})`);
  }
}
