import { KernelError } from '../../core/index.js';
import { OPTIMIZER_STATE, type OptimizerHyper, type OptimizerKind } from '../Backend.js';
import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';

const WG = 64;
// WebGPU's guaranteed per-dimension workgroup count; the kernel grid-strides past it.
const MAX_GROUPS = 65535;

/**
 * Records one fused optimizer update (optimizer.wgsl) of `param` from `grad` and its state
 * tensors; same semantics as optimizerStepCpu, in f32. Records only: no submit, no readback.
 */
export function optimizerStepGpu(ctx: GpuContext, kind: OptimizerKind, param: Tensor, grad: Tensor, state: readonly Tensor[], h: OptimizerHyper): void {
  const n = param.length;
  const need = OPTIMIZER_STATE[kind];
  const shapes = { param: [...param.shape], grad: [...grad.shape], ...Object.fromEntries(state.map((s, i) => [`state${i}`, [...s.shape]])) };
  if (need === undefined) throw new KernelError('optimizerStep', shapes, `unknown optimizer "${String(kind)}"`);
  if (grad.length !== n || state.length !== need || state.some((s) => s.length !== n)) {
    throw new KernelError('optimizerStep', shapes, `${kind} needs grad and ${need} state tensor(s) shaped like the parameter`);
  }
  if ([param, grad, ...state].some((t) => t.dtype !== 'f32')) throw new KernelError('optimizerStep', shapes, 'all tensors must be f32');
  if (kind === 'adam' && !(h.step >= 1)) throw new KernelError('optimizerStep', shapes, `adam needs a 1-based step, got ${h.step}`);
  if (n === 0) return;
  const b1 = h.beta1 ?? 0.9,
    b2 = h.beta2 ?? 0.999;
  const buf = new ArrayBuffer(48);
  const f = new Float32Array(buf),
    u = new Uint32Array(buf);
  f[0] = h.lr;
  f[1] = h.l2 ?? 0;
  f[2] = h.l1 ?? 0;
  f[3] = h.momentum ?? 0.9;
  f[4] = b1;
  f[5] = b2;
  f[6] = h.rho ?? 0.9;
  f[7] = h.eps ?? 1e-8;
  // Bias corrections in f64 on the host: 1 − β^t loses digits in f32 for small t and β near 1.
  f[8] = kind === 'adam' ? 1 / (1 - b1 ** h.step) : 1;
  f[9] = kind === 'adam' ? 1 / (1 - b2 ** h.step) : 1;
  u[10] = n;
  const entry = kind === 'sgd' ? 'sgd' : kind === 'momentum' || kind === 'nesterov' ? 'momentum' : kind === 'adam' ? 'adam' : 'adaptive';
  const constants: Record<string, number> = { WG };
  if (entry === 'momentum') constants.NESTEROV = kind === 'nesterov' ? 1 : 0;
  if (entry === 'adaptive') constants.RMS = kind === 'rmsprop' ? 1 : 0;
  const pipeline = ctx.pipeline('optimizer.wgsl', entry, constants);
  const bindings = [ctx.uniform(buf), ctx.buffer(param), ctx.buffer(grad), ...state.map((s) => ctx.buffer(s))];
  ctx.dispatch(pipeline, bindings, [Math.min(Math.ceil(n / WG), MAX_GROUPS)]);
}
