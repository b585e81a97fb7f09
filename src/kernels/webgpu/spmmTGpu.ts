import { KernelError } from '../../core/index.js';
import type { ScaleOptions } from '../Backend.js';
import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';

const THREADS = 64;
const MAX_GROUPS = 65535;

/**
 * Records OUT (k×n) = alpha·Aᵀ·G + beta·OUT with A in CSR (spmm.wgsl): a scale pass over OUT,
 * then a scatter pass, one invocation per (row, output column), adding through a
 * compare-exchange loop on the f32 bits. Semantics of spmmTCpu; the order of the additions
 * varies, so sums agree with the CPU to f32 rounding, not bit for bit.
 */
export function spmmTGpu(
  ctx: GpuContext,
  indptr: Tensor,
  indices: Tensor,
  values: Tensor,
  g: Tensor,
  out: Tensor,
  rows: number,
  k: number,
  n: number,
  o?: ScaleOptions,
): void {
  const shapes = {
    indptr: [...indptr.shape],
    indices: [...indices.shape],
    values: [...values.shape],
    g: [...g.shape],
    out: [...out.shape],
    a: [rows, k],
    n: [n],
  };
  if (indptr.dtype !== 'i32' || indices.dtype !== 'i32' || values.dtype !== 'f32' || g.dtype !== 'f32' || out.dtype !== 'f32') {
    throw new KernelError('spmmT', shapes, 'indptr and indices must be i32, values, g and out f32');
  }
  if (indptr.length < rows + 1 || indices.length !== values.length || g.length < rows * n || out.length < k * n) {
    throw new KernelError('spmmT', shapes, `need indptr ≥ rows + 1, indices and values of one length, g ≥ rows×n, out ≥ k×n`);
  }
  if (k === 0 || n === 0) return;
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
  const uniform = ctx.uniform(buf);
  if (beta !== 1) {
    const scale = ctx.pipeline('spmm.wgsl', 'spmm_t_scale', { WG: THREADS });
    ctx.dispatch(scale, [uniform, ctx.buffer(out)], [Math.min(Math.ceil((k * n) / THREADS), MAX_GROUPS)]);
  }
  if (rows === 0) return;
  const wx = n >= 16 ? 16 : n >= 4 ? 4 : 1,
    wy = THREADS / wx;
  const add = ctx.pipeline('spmm.wgsl', 'spmm_t_add', { WX: wx, WY: wy });
  ctx.dispatch(
    add,
    [uniform, ctx.buffer(indptr), ctx.buffer(indices), ctx.buffer(values), ctx.buffer(g), ctx.buffer(out)],
    [Math.ceil(n / wx), Math.min(Math.ceil(rows / wy), MAX_GROUPS)],
  );
}
