import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';
import { gridFor } from './gridFor.js';

/** Records the row-wise softmax (softmax.wgsl), one workgroup per row. x and y must be distinct buffers. */
export function softmaxGpu(ctx: GpuContext, x: Tensor, y: Tensor, rows: number, cols: number): void {
  if (rows === 0 || cols === 0) return;
  // Narrow rows (class scores) waste most of a wide workgroup.
  const wg = cols <= 32 ? 32 : cols <= 64 ? 64 : 128;
  const u = new Uint32Array([rows, cols, 0, 0]);
  const pipeline = ctx.pipeline('softmax.wgsl', 'main', { WG: wg });
  ctx.dispatch(pipeline, [ctx.uniform(u.buffer), ctx.buffer(x), ctx.buffer(y)], gridFor('softmax', rows, ctx.limits.maxComputeWorkgroupsPerDimension));
}
