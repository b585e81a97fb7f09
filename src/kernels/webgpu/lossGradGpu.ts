import type { LossKind } from '../Backend.js';
import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';
import { gridFor } from './gridFor.js';

const WG = 64;
const KIND: Readonly<Record<LossKind, number>> = { logistic: 0, softmax: 1, squared: 2, hinge: 3 };

/** Records the fused loss value and gradient (loss.wgsl), one thread per row. */
export function lossGradGpu(
  ctx: GpuContext,
  kind: LossKind,
  z: Tensor,
  targets: Tensor,
  weights: Tensor | null,
  grad: Tensor,
  loss: Tensor,
  rows: number,
  cols: number,
  scale = 1,
): void {
  if (rows === 0) return;
  const buf = new ArrayBuffer(16);
  const u = new Uint32Array(buf),
    f = new Float32Array(buf);
  u[0] = rows;
  u[1] = cols;
  f[2] = scale;
  const pipeline = ctx.pipeline('loss.wgsl', 'main', { WG, KIND: KIND[kind], T_INT: targets.dtype === 'f32' ? 0 : 1, HAS_W: weights ? 1 : 0 });
  // Without weights the binding still needs a buffer; z is read-only here, so it can stand in.
  const w = weights ? ctx.buffer(weights) : ctx.buffer(z);
  ctx.dispatch(
    pipeline,
    [ctx.uniform(buf), ctx.buffer(z), ctx.buffer(targets), w, ctx.buffer(grad), ctx.buffer(loss)],
    gridFor('lossGrad', Math.ceil(rows / WG), ctx.limits.maxComputeWorkgroupsPerDimension),
  );
}
