import type { GemmOptions } from '../Backend.js';
import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';

/**
 * Records C = alpha·op(A)·op(B) + beta·C (gemm.wgsl). Arguments are checked by the caller.
 * Picks the vec4-load entry when each operand's contiguous dimension is a multiple of 4
 * (A: k, or m when transposed; B: n, or k when transposed), else the scalar entry; n = 1 takes
 * the one-thread-per-row `gemv` entry.
 */
export function gemmGpu(ctx: GpuContext, a: Tensor, b: Tensor, c: Tensor, o: GemmOptions): void {
  const { m, n, k } = o;
  if (m === 0 || n === 0) return;
  const ta = o.transA ?? false,
    tb = o.transB ?? false;
  const alpha = o.alpha ?? 1,
    beta = o.beta ?? 0;
  // 16×16 threads with 4×4 outputs each: a 64×64 tile of C; 8×8 where the device allows fewer invocations.
  const wg = ctx.limits.maxComputeInvocationsPerWorkgroup >= 256 ? 16 : 8;
  const tk = 16;
  const vec4 = (ta ? m % 4 === 0 : k % 4 === 0) && (tb ? k % 4 === 0 : n % 4 === 0);
  const buf = new ArrayBuffer(32);
  const u = new Uint32Array(buf),
    f = new Float32Array(buf);
  u[0] = m;
  u[1] = n;
  u[2] = k;
  u[3] = beta === 0 ? 0 : 1;
  f[4] = alpha;
  f[5] = beta;
  if (n === 1 && m <= ctx.limits.maxComputeWorkgroupsPerDimension * 64) {
    const gemv = ctx.pipeline('gemm.wgsl', 'gemv', { TRANS_A: ta ? 1 : 0 });
    ctx.dispatch(gemv, [ctx.uniform(buf), ctx.buffer(a), ctx.buffer(b), ctx.buffer(c)], [Math.ceil(m / 64)]);
    return;
  }
  const pipeline = ctx.pipeline('gemm.wgsl', vec4 ? 'main_vec4' : 'main', { TRANS_A: ta ? 1 : 0, TRANS_B: tb ? 1 : 0, WG_X: wg, WG_Y: wg, TK: tk });
  ctx.dispatch(pipeline, [ctx.uniform(buf), ctx.buffer(a), ctx.buffer(b), ctx.buffer(c)], [Math.ceil(n / (wg * 4)), Math.ceil(m / (wg * 4))]);
}
