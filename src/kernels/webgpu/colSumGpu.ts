import type { ScaleOptions } from '../Backend.js';
import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';
import { gridFor } from './gridFor.js';

const WG_C = 16;
const WG_R = 16;

/** Records out[c] = alpha·Σ_r x[r, c] + beta·out[c] (col_sum.wgsl). */
export function colSumGpu(ctx: GpuContext, x: Tensor, out: Tensor, rows: number, cols: number, o: ScaleOptions = {}): void {
  if (cols === 0) return;
  const beta = o.beta ?? 0;
  const buf = new ArrayBuffer(32);
  const u = new Uint32Array(buf),
    f = new Float32Array(buf);
  u[0] = rows;
  u[1] = cols;
  u[2] = beta === 0 ? 0 : 1;
  f[3] = o.alpha ?? 1;
  f[4] = beta;
  const pipeline = ctx.pipeline('col_sum.wgsl', 'main', { WG_C, WG_R });
  ctx.dispatch(
    pipeline,
    [ctx.uniform(buf), ctx.buffer(x), ctx.buffer(out)],
    gridFor('colSum', Math.ceil(cols / WG_C), ctx.limits.maxComputeWorkgroupsPerDimension),
  );
}
