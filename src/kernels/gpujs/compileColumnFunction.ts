import { KernelError } from '../../core/index.js';
import { type GpuJsInstance, type GpuJsKernel, gpuJs } from './gpuJs.js';
import { installNavigatorGpu } from './installNavigatorGpu.js';
import { parseColumnFunction } from './parseColumnFunction.js';

export type GpuJsMode = 'webasm' | 'webgpu' | 'cpu';

export interface ColumnFunctionOptions {
  /** webasm: WebAssembly f32x4 SIMD on the CPU; webgpu: WGSL on navigator.gpu (Dawn); cpu: gpu.js's JS backend. */
  mode: GpuJsMode;
  /** webasm only: run under gpu.js's async contract, which splits ≥ 4096-row calls over a worker pool. */
  threads?: boolean;
}

/** A compiled column function: one output value per row. `dispose` frees the gpu.js instance. */
export interface ColumnKernel {
  (columns: readonly Float32Array[]): Promise<Float32Array>;
  readonly arity: number;
  readonly mode: GpuJsMode;
  /** The gpu.js kernel class that ran the last call ('WebAssemblyKernel', 'WebGPUKernel', 'CPUKernel'): shows a silent fallback. */
  readonly engine: string;
  dispose(): Promise<void>;
}

/**
 * Compiles a JS function over scalar column values — `(distance, time) => distance / (time + 1)`
 * — into a gpu.js kernel over Float32Array columns (one thread per row, f32 arithmetic). The
 * body may use what gpu.js translates: arithmetic, Math.*, comparisons, ternaries, if/for.
 * The twin is columnFunctionCpu. webgpu mode installs navigator.gpu (see installNavigatorGpu)
 * until dispose.
 */
export function compileColumnFunction(fn: (...args: number[]) => number, options: ColumnFunctionOptions): ColumnKernel {
  const { params, body } = parseColumnFunction(fn);
  const mode = options.mode;
  if (mode !== 'webasm' && mode !== 'webgpu' && mode !== 'cpu')
    throw new KernelError('compileColumnFunction', {}, `mode must be webasm, webgpu or cpu, got ${String(mode)}`);
  const release = mode === 'webgpu' ? installNavigatorGpu() : null;
  const async = mode === 'webgpu' || (mode === 'webasm' && options.threads === true);
  let gpu: GpuJsInstance, kernel: GpuJsKernel;
  const cols = params.map((_, i) => `c${i}`);
  try {
    gpu = new gpuJs.GPU({ mode });
    gpu.addFunction(`function sluiceColumnFn(${params.join(', ')}) ${body}`);
    kernel = gpu.createKernel(`function (${cols.join(', ')}) { return sluiceColumnFn(${cols.map((c) => `${c}[this.thread.x]`).join(', ')}); }`, {
      output: [1],
      dynamicOutput: true,
      dynamicArguments: true,
      argumentTypes: Object.fromEntries(cols.map((c) => [c, 'Array'])),
      returnType: 'Number',
      ...(async && mode === 'webasm' ? { asyncMode: true } : {}),
    });
  } catch (err) {
    void release?.();
    throw new KernelError('compileColumnFunction', {}, `gpu.js (${mode}) cannot compile ${fn.toString().slice(0, 80)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  let size = -1;
  let disposed = false;
  const run = async (columns: readonly Float32Array[]): Promise<Float32Array> => {
    if (disposed) throw new KernelError('columnFunction', {}, 'used after dispose()');
    if (columns.length !== params.length)
      throw new KernelError(
        'columnFunction',
        { columns: [columns.length] },
        `function takes ${params.length} column(s) (${params.join(', ')}), got ${columns.length}`,
      );
    const n = columns[0]!.length;
    if (columns.some((c) => c.length !== n))
      throw new KernelError('columnFunction', Object.fromEntries(columns.map((c, i) => [params[i]!, [c.length]])), 'columns differ in length');
    if (n === 0) return new Float32Array(0);
    if (n !== size) {
      kernel.setOutput([n]);
      size = n;
    }
    let res: unknown;
    try {
      res = kernel(...columns);
      if (res instanceof Promise) res = await res;
    } catch (err) {
      throw new KernelError('columnFunction', { rows: [n] }, `gpu.js (${mode}) failed: ${(err as Error).message}`, { cause: err });
    }
    // Copied: a backend may hand back a view it reuses on the next call.
    return Float32Array.from(res as ArrayLike<number>);
  };
  return Object.assign(run, {
    arity: params.length,
    mode,
    get engine() {
      return kernel.kernel?.constructor.name ?? 'unknown';
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      kernel.destroy?.();
      await gpu.destroy();
      await release?.();
    },
  });
}
