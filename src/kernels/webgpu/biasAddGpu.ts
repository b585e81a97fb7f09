import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';
import { gridFor } from './gridFor.js';

const WG = 256;

/** Records x[r, c] += bias[c] (elementwise.wgsl, bias_add). */
export function biasAddGpu(ctx: GpuContext, x: Tensor, bias: Tensor, rows: number, cols: number): void {
  const n = rows * cols;
  if (n === 0) return;
  const u = new Uint32Array([n, cols, 0, 0]);
  const pipeline = ctx.pipeline('elementwise.wgsl', 'bias_add', { WG });
  ctx.dispatch(
    pipeline,
    [ctx.uniform(u.buffer), ctx.buffer(x), ctx.buffer(bias)],
    gridFor('biasAdd', Math.ceil(n / WG), ctx.limits.maxComputeWorkgroupsPerDimension),
  );
}
