import type { GemmOptions } from '../Backend.js';

// Blocking: a KC×NC panel of op(B) (256×256 doubles = 512 KiB) stays in L2 while 4-row panels of
// op(A) stream through L1; the 4×4 micro-tile keeps 16 accumulators in registers.
const KC = 256;
const NC = 256;
const MR = 4;
const NR = 4;

let packA = new Float64Array(0);
let packB = new Float64Array(0);

/**
 * Cache-blocked, register-tiled GEMM with the same semantics as gemmCpu (float64 accumulation
 * within a KC block). op(A) and op(B) are packed into contiguous zero-padded panels, so the four
 * transpose variants share one micro-kernel and edges need no special cases.
 */
export function gemmFastCpu(a: Float32Array, b: Float32Array, c: Float32Array, o: GemmOptions): void {
  const { m, n, k } = o;
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  const ta = o.transA ?? false;
  const tb = o.transB ?? false;
  if (m === 0 || n === 0) return;
  if (k === 0) {
    for (let i = 0; i < m * n; i++) c[i] = beta === 0 ? 0 : beta * c[i]!;
    return;
  }
  const mPanels = Math.ceil(m / MR);
  if (packA.length < mPanels * MR * KC) packA = new Float64Array(mPanels * MR * KC);
  if (packB.length < NC * KC) packB = new Float64Array(NC * KC);
  const Ap = packA,
    Bp = packB;

  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const nPanels = Math.ceil(nc / NR);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const first = pc === 0;
      // Pack op(B)[pc:pc+kc, jc:jc+nc] as nPanels panels of kc×NR.
      for (let jp = 0; jp < nPanels; jp++) {
        const base = jp * kc * NR;
        for (let q = 0; q < NR; q++) {
          const j = jc + jp * NR + q;
          if (j >= n) {
            for (let p = 0; p < kc; p++) Bp[base + p * NR + q] = 0;
            continue;
          }
          if (tb) {
            const row = j * k + pc;
            for (let p = 0; p < kc; p++) Bp[base + p * NR + q] = b[row + p]!;
          } else for (let p = 0; p < kc; p++) Bp[base + p * NR + q] = b[(pc + p) * n + j]!;
        }
      }
      // Pack op(A)[:, pc:pc+kc] as mPanels panels of kc×MR.
      for (let ip = 0; ip < mPanels; ip++) {
        const base = ip * kc * MR;
        for (let q = 0; q < MR; q++) {
          const i = ip * MR + q;
          if (i >= m) {
            for (let p = 0; p < kc; p++) Ap[base + p * MR + q] = 0;
            continue;
          }
          if (ta) for (let p = 0; p < kc; p++) Ap[base + p * MR + q] = a[(pc + p) * m + i]!;
          else {
            const row = i * k + pc;
            for (let p = 0; p < kc; p++) Ap[base + p * MR + q] = a[row + p]!;
          }
        }
      }
      for (let ip = 0; ip < mPanels; ip++) {
        const aBase = ip * kc * MR;
        const i0 = ip * MR;
        for (let jp = 0; jp < nPanels; jp++) {
          const bBase = jp * kc * NR;
          let c00 = 0,
            c01 = 0,
            c02 = 0,
            c03 = 0,
            c10 = 0,
            c11 = 0,
            c12 = 0,
            c13 = 0;
          let c20 = 0,
            c21 = 0,
            c22 = 0,
            c23 = 0,
            c30 = 0,
            c31 = 0,
            c32 = 0,
            c33 = 0;
          for (let p = 0, ai = aBase, bi = bBase; p < kc; p++, ai += MR, bi += NR) {
            const a0 = Ap[ai]!,
              a1 = Ap[ai + 1]!,
              a2 = Ap[ai + 2]!,
              a3 = Ap[ai + 3]!;
            const b0 = Bp[bi]!,
              b1 = Bp[bi + 1]!,
              b2 = Bp[bi + 2]!,
              b3 = Bp[bi + 3]!;
            c00 += a0 * b0;
            c01 += a0 * b1;
            c02 += a0 * b2;
            c03 += a0 * b3;
            c10 += a1 * b0;
            c11 += a1 * b1;
            c12 += a1 * b2;
            c13 += a1 * b3;
            c20 += a2 * b0;
            c21 += a2 * b1;
            c22 += a2 * b2;
            c23 += a2 * b3;
            c30 += a3 * b0;
            c31 += a3 * b1;
            c32 += a3 * b2;
            c33 += a3 * b3;
          }
          const j0 = jc + jp * NR;
          store(c, i0, j0, m, n, c00, c01, c02, c03, alpha, beta, first);
          store(c, i0 + 1, j0, m, n, c10, c11, c12, c13, alpha, beta, first);
          store(c, i0 + 2, j0, m, n, c20, c21, c22, c23, alpha, beta, first);
          store(c, i0 + 3, j0, m, n, c30, c31, c32, c33, alpha, beta, first);
        }
      }
    }
  }
}

function store(
  c: Float32Array,
  i: number,
  j0: number,
  m: number,
  n: number,
  v0: number,
  v1: number,
  v2: number,
  v3: number,
  alpha: number,
  beta: number,
  first: boolean,
): void {
  if (i >= m) return;
  const o = i * n + j0;
  const w = Math.min(NR, n - j0);
  if (first) {
    if (beta === 0) {
      c[o] = alpha * v0;
      if (w > 1) c[o + 1] = alpha * v1;
      if (w > 2) c[o + 2] = alpha * v2;
      if (w > 3) c[o + 3] = alpha * v3;
    } else {
      c[o] = alpha * v0 + beta * c[o]!;
      if (w > 1) c[o + 1] = alpha * v1 + beta * c[o + 1]!;
      if (w > 2) c[o + 2] = alpha * v2 + beta * c[o + 2]!;
      if (w > 3) c[o + 3] = alpha * v3 + beta * c[o + 3]!;
    }
  } else {
    c[o] = c[o]! + alpha * v0;
    if (w > 1) c[o + 1] = c[o + 1]! + alpha * v1;
    if (w > 2) c[o + 2] = c[o + 2]! + alpha * v2;
    if (w > 3) c[o + 3] = c[o + 3]! + alpha * v3;
  }
}
