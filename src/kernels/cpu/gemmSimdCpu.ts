import type { GemmOptions } from '../Backend.js';
import { gemmFastCpu } from './gemmFastCpu.js';
import { gemmPackPanels } from './gemmPackPanels.js';
import { gemmTasks } from './gemmTasks.mjs';
import type { GemmWorkerPool } from './GemmWorkerPool.js';
import { gemvCpu } from './gemvCpu.js';
import { loadWasmGemm } from './loadWasmGemm.js';

// A KC×NC block of packed op(B) (256×256 floats = 256 KiB) stays in the 1 MiB L2 while one
// MR-row panel of op(A) (4 KiB) sits in L1; the MR×8 micro-tile keeps 2·MR f32x4 accumulators
// in registers. A task (the unit threads claim) is an MC×NC block of C over all of k.
const KC = 256;
const NC = 256;
const MC = 64;
const NR = 8;
/**
 * Default for `minShared`: below this many multiply-adds (m·n·k) the workers are not woken.
 * Measured here (best of 60, load 9–11): 64³ 39 µs alone vs 39 µs shared, 128³ 186 vs 203 µs,
 * 256³ 1.28 vs 1.41 ms — a wake-up and the wait for the last tile cost more than half of a
 * product this small saves; larger products rely on the pool's back-off (shouldShare).
 */
const GEMM_THREAD_MIN_MADDS = 128 * 128 * 128;

const localCtl = new Int32Array(gemmTasks.words(0));

/**
 * GEMM through a hand-emitted WebAssembly SIMD micro-kernel (same semantics as gemmCpu; f32
 * products accumulated in f32, as on a GPU). op(A) and op(B) are packed once into zero-padded
 * panels in wasm memory, so every transpose shares the kernel; C is produced in a padded buffer
 * there, then scaled into c (alpha, beta). With a worker pool (`pool` is asked for one only when it
 * pays; shared memory) and a product of at
 * least `minShared` multiply-adds, the MC×NC blocks of C are shared among threads.
 * Falls back to gemmFastCpu where the runtime lacks WebAssembly SIMD.
 */
export function gemmSimdCpu(a: Float32Array, b: Float32Array, c: Float32Array, o: GemmOptions, pool?: () => GemmWorkerPool | null, minShared = GEMM_THREAD_MIN_MADDS): void {
  const w = loadWasmGemm();
  const { m, n, k } = o;
  if (n === 1 && k > 0) return gemvCpu(a, b, c, o);
  if (!w || k === 0 || m === 0 || n === 0) return gemmFastCpu(a, b, c, o);
  const alpha = o.alpha ?? 1, beta = o.beta ?? 0;
  const ta = o.transA ?? false, tb = o.transB ?? false;
  const MR = w.mr;
  const nP = Math.ceil(n / NR), nPad = nP * NR;
  const bFloats = k * nPad;
  // Rows of C per pass such that packed B, A and C fit the wasm memory (all of m up to ~9000³).
  const fitRows = Math.floor((w.maxBytes / 4 - bFloats) / (k + nPad) / MR) * MR;
  if (fitRows < MR) return gemmFastCpu(a, b, c, o);
  const sliceRows = Math.min(Math.ceil(m / MR) * MR, fitRows);
  const need = (bFloats + sliceRows * (k + nPad)) * 4;
  if (w.mem.buffer.byteLength < need) w.mem.grow(Math.ceil((need - w.mem.buffer.byteLength) / 65536));
  const heap = new Float32Array(w.mem.buffer);

  // op(B) as n rows of depth k: element (j, p) is b[j·k + p] (transposed) or b[p·n + j].
  gemmPackPanels(b, 0, n, k, tb ? k : 1, tb ? 1 : n, NR, KC, heap, 0);
  for (let i0 = 0; i0 < m; i0 += sliceRows) {
    const rows = Math.min(sliceRows, m - i0);
    const mP = Math.ceil(rows / MR), mPad = mP * MR;
    const aOff = bFloats, cOff = aOff + mPad * k;
    // op(A): element (i, p) is a[p·m + i] (transposed) or a[i·k + p].
    gemmPackPanels(a, ta ? i0 : i0 * k, rows, k, ta ? 1 : k, ta ? m : 1, MR, KC, heap, aOff);
    const mcp = MC / MR, ncp = NC / NR;
    const mBlocks = Math.ceil(mP / mcp), nTasks = mBlocks * Math.ceil(nP / ncp);
    const params = [aOff * 4, 0, cOff * 4, mP, nP, k, KC, mPad, nPad, mcp, ncp, mBlocks, nTasks, MR];
    const shared = pool && nTasks > 1 && rows * n * k >= minShared ? pool() : null;
    const madds = rows * n * k;
    const t0 = performance.now(), share = shared?.shouldShare(madds) ?? false;
    if (share) shared!.run(params);
    else {
      for (let i = 0; i < params.length; i++) localCtl[gemmTasks.PARAMS + i] = params[i]!;
      localCtl[gemmTasks.NEXT] = 0;
      gemmTasks.run(localCtl, w.kernel);
    }
    shared?.record(madds, share, ((performance.now() - t0) * 1e6) / madds);
    for (let i = 0; i < rows; i++) {
      const src = cOff + i * nPad, dst = (i0 + i) * n;
      if (beta === 0) {
        if (alpha === 1) c.set(heap.subarray(src, src + n), dst);
        else for (let j = 0; j < n; j++) c[dst + j] = alpha * heap[src + j]!;
      } else for (let j = 0; j < n; j++) c[dst + j] = alpha * heap[src + j]! + beta * c[dst + j]!;
    }
  }
}
