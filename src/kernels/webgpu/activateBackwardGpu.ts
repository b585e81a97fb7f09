import type { Activation } from '../Backend.js';
import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';
import { activationCode } from './activationCode.js';
import { gridFor } from './gridFor.js';

const WG = 256;

/** Records dx = dy·f'(y) (elementwise.wgsl). dx must not share a buffer with y or dy (the backend stages through a copy). */
export function activateBackwardGpu(ctx: GpuContext, kind: Activation, y: Tensor, dy: Tensor, dx: Tensor): void {
  const n = y.length;
  if (n === 0) return;
  const u = new Uint32Array([n, 0, 0, 0]);
  const pipeline = ctx.pipeline('elementwise.wgsl', 'activate_backward', { WG, KIND: activationCode[kind] });
  ctx.dispatch(
    pipeline,
    [ctx.uniform(u.buffer), ctx.buffer(y), ctx.buffer(dy), ctx.buffer(dx)],
    gridFor('activateBackward', Math.ceil(n / WG), ctx.limits.maxComputeWorkgroupsPerDimension),
  );
}
