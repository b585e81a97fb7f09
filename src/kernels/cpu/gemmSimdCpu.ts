import type { GemmOptions } from '../Backend.js';
import { gemmFastCpu } from './gemmFastCpu.js';
import { gemvCpu } from './gemvCpu.js';
import { loadWasmGemm } from './loadWasmGemm.js';

// A KC×NC block of packed op(B) (256×256 floats = 256 KiB) stays in L2 while each 4-row panel of
// op(A) (4 KiB) sits in L1; the 4×8 micro-tile keeps eight f32x4 accumulators in registers.
const KC = 256;
const NC = 256;
const MR = 4;
const NR = 8;

/**
 * GEMM through a hand-emitted WebAssembly SIMD micro-kernel (same semantics as gemmCpu; f32
 * products accumulated in f32 within a KC block, as on a GPU). op(A) and op(B) are packed into
 * zero-padded panels in wasm memory, so every transpose shares the kernel. Falls back to
 * gemmFastCpu where the runtime lacks WebAssembly SIMD.
 */
export function gemmSimdCpu(a: Float32Array, b: Float32Array, c: Float32Array, o: GemmOptions): void {
  const w = loadWasmGemm();
  const { m, n, k } = o;
  if (n === 1 && k > 0) return gemvCpu(a, b, c, o);
  if (!w || k === 0 || m === 0 || n === 0) return gemmFastCpu(a, b, c, o);
  const alpha = o.alpha ?? 1, beta = o.beta ?? 0;
  const ta = o.transA ?? false, tb = o.transB ?? false;
  const mP = Math.ceil(m / MR);
  const ncMax = Math.min(NC, n), nPMax = Math.ceil(ncMax / NR);
  const kcMax = Math.min(KC, k);
  // Layout in wasm memory (floats): [A panels | B panels | C tile block]
  const aFloats = mP * MR * kcMax, bFloats = nPMax * NR * kcMax, cFloats = mP * MR * nPMax * NR;
  const bytes = (aFloats + bFloats + cFloats) * 4;
  if (w.mem.buffer.byteLength < bytes) w.mem.grow(Math.ceil((bytes - w.mem.buffer.byteLength) / 65536));
  const heap = new Float32Array(w.mem.buffer);
  const apOff = 0, bpOff = aFloats, ctOff = aFloats + bFloats;

  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const nP = Math.ceil(nc / NR);
    const ldc = nP * NR;
    heap.fill(0, ctOff, ctOff + mP * MR * ldc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      for (let jp = 0; jp < nP; jp++) {
        const base = bpOff + jp * kc * NR;
        for (let q = 0; q < NR; q++) {
          const j = jc + jp * NR + q;
          if (j >= n) { for (let p = 0; p < kc; p++) heap[base + p * NR + q] = 0; continue; }
          if (tb) { const row = j * k + pc; for (let p = 0; p < kc; p++) heap[base + p * NR + q] = b[row + p]!; }
          else for (let p = 0; p < kc; p++) heap[base + p * NR + q] = b[(pc + p) * n + j]!;
        }
      }
      for (let ip = 0; ip < mP; ip++) {
        const base = apOff + ip * kc * MR;
        for (let q = 0; q < MR; q++) {
          const i = ip * MR + q;
          if (i >= m) { for (let p = 0; p < kc; p++) heap[base + p * MR + q] = 0; continue; }
          if (ta) for (let p = 0; p < kc; p++) heap[base + p * MR + q] = a[(pc + p) * m + i]!;
          else { const row = i * k + pc; for (let p = 0; p < kc; p++) heap[base + p * MR + q] = a[row + p]!; }
        }
      }
      w.kernel(apOff * 4, bpOff * 4, ctOff * 4, mP, nP, kc);
    }
    for (let i = 0; i < m; i++) {
      const src = ctOff + i * ldc, dst = i * n + jc;
      if (beta === 0) for (let j = 0; j < nc; j++) c[dst + j] = alpha * heap[src + j]!;
      else for (let j = 0; j < nc; j++) c[dst + j] = alpha * heap[src + j]! + beta * c[dst + j]!;
    }
  }
}
