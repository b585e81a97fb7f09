import type { OptimizerHyper, OptimizerKind } from '../Backend.js';
import { loadWasmGemm } from './loadWasmGemm.js';
import { optimizerStepCpu } from './optimizerStepCpu.js';

/**
 * optimizerStepCpu's update run by the wasm SIMD module (wasmOptimModule), bit for bit the same,
 * where it can: Adam without L1, on a parameter, gradient and both moments that all live in the
 * GEMM's wasm memory (WasmArena: uploaded `resident`, as GradientModel does for weight matrices).
 * The last n mod 4 values go through optimizerStepCpu. Returns false, having done nothing, in
 * every other case (then the caller runs optimizerStepCpu, which also reports bad arguments).
 */
export function optimizerStepWasm(kind: OptimizerKind, param: Float32Array, grad: Float32Array, state: readonly Float32Array[], h: OptimizerHyper): boolean {
  if (kind !== 'adam' || state.length !== 2 || !(h.step >= 1) || h.lr * (h.l1 ?? 0) > 0) return false;
  const w = loadWasmGemm(),
    arena = w?.arena;
  if (!w || !arena) return false;
  const [m, s] = state as [Float32Array, Float32Array];
  const n = param.length;
  if (grad.length !== n || m.length !== n || s.length !== n) return false;
  const at = [param, grad, m, s].map((a) => arena.offsetOf(a));
  if (at.some((o) => o < 0)) return false;
  const b1 = h.beta1 ?? 0.9,
    b2 = h.beta2 ?? 0.999;
  // The same expressions as optimizerStepCpu, so c1 and c2 are the same doubles.
  const c1 = 1 / (1 - b1 ** h.step),
    c2 = 1 / (1 - b2 ** h.step);
  const n4 = n >> 2;
  w.adam(at[0]! * 4, at[1]! * 4, at[2]! * 4, at[3]! * 4, n4, h.lr, b1, 1 - b1, b2, 1 - b2, c1, c2, h.eps ?? 1e-8, h.l2 ?? 0);
  const t = n4 * 4;
  if (t < n) optimizerStepCpu(kind, param.subarray(t), grad.subarray(t), [m.subarray(t), s.subarray(t)], h);
  return true;
}
