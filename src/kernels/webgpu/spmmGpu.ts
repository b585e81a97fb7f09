import { KernelError } from '../../core/index.js';
import type { ScaleOptions } from '../Backend.js';
import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';

const THREADS = 64;
const MAX_GROUPS = 65535;

/**
 * Records C (rows×n) = alpha·A·B + beta·C with A in CSR (spmm.wgsl, entry spmm); semantics of
 * spmmCpu. Column indices are not validated on the device (that would need a readback);
 * out-of-range ones are skipped instead of reading out of bounds.
 */
export function spmmGpu(
  ctx: GpuContext,
  indptr: Tensor,
  indices: Tensor,
  values: Tensor,
  b: Tensor,
  c: Tensor,
  rows: number,
  k: number,
  n: number,
  o?: ScaleOptions,
): void {
  const shapes = { indptr: [...indptr.shape], indices: [...indices.shape], values: [...values.shape], b: [...b.shape], c: [...c.shape], a: [rows, k], n: [n] };
  if (indptr.dtype !== 'i32' || indices.dtype !== 'i32' || values.dtype !== 'f32' || b.dtype !== 'f32' || c.dtype !== 'f32') {
    throw new KernelError('spmm', shapes, 'indptr and indices must be i32, values, b and c f32');
  }
  if (indptr.length < rows + 1 || indices.length !== values.length || b.length < k * n || c.length < rows * n) {
    throw new KernelError('spmm', shapes, `need indptr ≥ rows + 1, indices and values of one length, b ≥ k×n, c ≥ rows×n`);
  }
  if (rows === 0 || n === 0) return;
  const wx = n >= 16 ? 16 : n >= 4 ? 4 : 1,
    wy = THREADS / wx;
  const buf = new ArrayBuffer(32);
  const u = new Uint32Array(buf),
    f = new Float32Array(buf);
  const beta = o?.beta ?? 0;
  u[0] = rows;
  u[1] = k;
  u[2] = n;
  u[3] = beta === 0 ? 1 : 0;
  f[4] = o?.alpha ?? 1;
  f[5] = beta;
  const pipeline = ctx.pipeline('spmm.wgsl', 'spmm', { WX: wx, WY: wy });
  // An empty CSR (nnz 0) still has zero-length index buffers; bind values' buffers all the same.
  ctx.dispatch(
    pipeline,
    [ctx.uniform(buf), ctx.buffer(indptr), ctx.buffer(indices), ctx.buffer(values), ctx.buffer(b), ctx.buffer(c)],
    [Math.ceil(n / wx), Math.min(Math.ceil(rows / wy), MAX_GROUPS)],
  );
}
