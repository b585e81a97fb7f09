import type { Activation } from '../Backend.js';
import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';
import { activationCode } from './activationCode.js';
import { gridFor } from './gridFor.js';

const WG = 256;

/** Records y = f(x) (elementwise.wgsl); in place when x and y are the same tensor. */
export function activateGpu(ctx: GpuContext, kind: Activation, x: Tensor, y: Tensor): void {
  const n = x.length;
  if (n === 0) return;
  const inplace = ctx.buffer(x) === ctx.buffer(y);
  if (inplace && kind === 'identity') return;
  const u = new Uint32Array([n, 0, 0, 0]);
  const pipeline = ctx.pipeline('elementwise.wgsl', inplace ? 'activate_inplace' : 'activate', { WG, KIND: activationCode[kind] });
  const bindings = inplace ? [ctx.uniform(u.buffer), ctx.buffer(y)] : [ctx.uniform(u.buffer), ctx.buffer(x), ctx.buffer(y)];
  ctx.dispatch(pipeline, bindings, gridFor('activate', Math.ceil(n / WG), ctx.limits.maxComputeWorkgroupsPerDimension));
}
