import type { GemmOptions } from '../Backend.js';
import type { GemmWorkerPool } from './GemmWorkerPool.js';
import { type GemmAfter, gemmAfterCpu } from './gemmAfterCpu.js';
import { gemmFastCpu } from './gemmFastCpu.js';
import { gemmPackPanels } from './gemmPackPanels.js';
import { gemmPackWasm } from './gemmPackWasm.js';
import { gemmTasks } from './gemmTasks.mjs';
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
/** From this many elements of C, alpha/beta are applied in wasm (two copies cost less than the JS loop's ~3 ns per element). */
const SCALE_IN_WASM = 1024;

const localCtl = new Int32Array(gemmTasks.words(0));

/**
 * GEMM through a hand-emitted WebAssembly SIMD micro-kernel (same semantics as gemmCpu; f32
 * products accumulated in f32, as on a GPU). op(A) and op(B) are packed once into zero-padded
 * panels in wasm memory (copied in and packed by wasm loops, or packed in place when they are
 * resident: WasmArena), so every transpose shares the kernel; C is produced in a padded buffer
 * there, then scaled into c (alpha, beta, then `after`'s relu; in wasm SIMD from SCALE_IN_WASM
 * elements, straight into a resident c). With a worker
 * pool (`pool` is asked for one only when it pays; shared memory) and a product of at least
 * `minShared` multiply-adds, the MC×NC blocks of C are shared among threads; when m gives fewer
 * row blocks than two per thread, the blocks are cut narrower along n. How C is cut never changes
 * a result: every element is summed over k in the same order.
 * Falls back to gemmFastCpu where the runtime lacks WebAssembly SIMD.
 */
export function gemmSimdCpu(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  o: GemmOptions,
  pool?: () => GemmWorkerPool | null,
  minShared = GEMM_THREAD_MIN_MADDS,
  after?: GemmAfter,
): void {
  const w = loadWasmGemm();
  const { m, n, k } = o;
  if ((n === 1 && k > 0) || !w || k === 0 || m === 0 || n === 0) {
    if (n === 1 && k > 0) gemvCpu(a, b, c, o);
    else gemmFastCpu(a, b, c, o);
    if (after) gemmAfterCpu(after, c, 0, m * n);
    return;
  }
  const alpha = o.alpha ?? 1,
    beta = o.beta ?? 0;
  const ta = o.transA ?? false,
    tb = o.transB ?? false;
  const MR = w.mr;
  const nP = Math.ceil(n / NR),
    nPad = nP * NR;
  const bFloats = k * nPad;
  // Operands already in the wasm memory (WasmArena: a model's weights) are read and written in place.
  const base = w.arena?.top ?? 0;
  const aRes = w.arena?.offsetOf(a) ?? -1,
    bRes = w.arena?.offsetOf(b) ?? -1,
    cRes = w.arena?.offsetOf(c) ?? -1;
  const room = w.maxBytes / 4 - base;
  // Rows of C per pass such that packed B, A, C, a copy of c (beta ≠ 0) and of y (after) fit the wasm memory (all of m up to ~8000³).
  const fitRows = Math.floor((room - bFloats) / (k + 3 * nPad) / MR) * MR;
  if (fitRows < MR) {
    gemmFastCpu(a, b, c, o);
    if (after) gemmAfterCpu(after, c, 0, m * n);
    return;
  }
  // When all of m fits one pass with room for a copy of a or b (a stage), they are copied in
  // (memcpy) and packed by wasm SIMD loops, else packed from the JS arrays (~3× slower).
  const mAll = Math.ceil(m / MR) * MR,
    stageFloats = Math.max(aRes < 0 ? m * k : 0, bRes < 0 ? k * n : 0);
  const staged = bFloats + mAll * (k + 3 * nPad) + stageFloats <= room;
  const sliceRows = staged ? mAll : Math.min(mAll, fitRows);
  const stage = base + bFloats + sliceRows * (k + 3 * nPad);
  const need = (stage + (staged ? stageFloats : 0)) * 4;
  if (w.mem.buffer.byteLength < need) w.mem.grow(Math.ceil((need - w.mem.buffer.byteLength) / 65536));
  const heap = new Float32Array(w.mem.buffer);

  // op(B) as n rows of depth k: element (j, p) is b[j·k + p] (transposed) or b[p·n + j].
  if (staged || bRes >= 0) {
    if (bRes < 0) heap.set(b.subarray(0, k * n), stage);
    gemmPackWasm(w, heap, bRes >= 0 ? bRes : stage, n, k, tb ? k : 1, tb ? 1 : n, NR, KC, base);
  } else gemmPackPanels(b, 0, n, k, tb ? k : 1, tb ? 1 : n, NR, KC, heap, base);
  for (let i0 = 0; i0 < m; i0 += sliceRows) {
    const rows = Math.min(sliceRows, m - i0);
    const mP = Math.ceil(rows / MR),
      mPad = mP * MR;
    const aOff = base + bFloats,
      cOff = aOff + mPad * k,
      sOff = cOff + mPad * nPad,
      yOff = sOff + mPad * nPad;
    // op(A): element (i, p) is a[p·m + i] (transposed) or a[i·k + p].
    if (aRes >= 0 || staged) {
      if (aRes < 0) heap.set(a.subarray(0, m * k), stage);
      gemmPackWasm(w, heap, (aRes >= 0 ? aRes : stage) + (ta ? i0 : i0 * k), rows, k, ta ? 1 : k, ta ? m : 1, MR, KC, aOff);
    } else gemmPackPanels(a, ta ? i0 : i0 * k, rows, k, ta ? 1 : k, ta ? m : 1, MR, KC, heap, aOff);
    const mcp = MC / MR,
      mBlocks = Math.ceil(mP / mcp);
    // C straight into a resident c (a model's weight gradient): nothing is applied to the product
    // (alpha 1, beta 0, no epilogue: the copy out would store the same floats), c has C's row stride
    // and this pass's padded rows are c's own rows; c is neither a nor b (a later pass packs a again).
    // The tiles then write c itself and the copy out of the padded C is skipped.
    const direct = cRes >= 0 && cRes !== aRes && cRes !== bRes && n === nPad && rows === mPad && alpha === 1 && beta === 0 && !after;
    const madds = rows * n * k;
    const shared = pool && madds >= minShared ? pool() : null;
    // Few row blocks (a batch of 64 rows is one): cut the columns finer so that every thread gets
    // tasks (two per thread, so a late thread still finds one), down to 8-column panels.
    let ncp = NC / NR;
    if (shared) {
      const want = 2 * (shared.helpers + 1);
      if (mBlocks * Math.ceil(nP / ncp) < want) ncp = Math.max(1, Math.ceil(nP / Math.ceil(want / mBlocks)));
    }
    const nTasks = mBlocks * Math.ceil(nP / ncp);
    const params = [aOff * 4, base * 4, (direct ? cRes + i0 * n : cOff) * 4, mP, nP, k, KC, mPad, nPad, mcp, ncp, mBlocks, nTasks, MR];
    const t0 = performance.now(),
      share = nTasks > 1 && (shared?.shouldShare(madds) ?? false);
    if (share) shared!.run(params);
    else {
      for (let i = 0; i < params.length; i++) localCtl[gemmTasks.PARAMS + i] = params[i]!;
      localCtl[gemmTasks.NEXT] = 0;
      gemmTasks.run(localCtl, w.kernel);
    }
    if (nTasks > 1) shared?.record(madds, share, ((performance.now() - t0) * 1e6) / madds);
    const dst0 = i0 * n;
    // Row by row, a copy costs two subarray views and a call (~0.2 µs): narrow rows loop in JS.
    const rowCopies = n !== nPad && n >= 64;
    const op = after?.act === 'relu' ? 1 : after ? 2 : 0;
    if (direct) continue;
    if (cRes >= 0 && n === nPad && rows * nPad >= SCALE_IN_WASM) {
      // c lives in the wasm memory with C's row stride: alpha/beta/after straight into it.
      if (op === 2) stageRows(heap, after!.y!, dst0, rows, n, nPad, yOff);
      w.axpby(cOff * 4, (cRes + dst0) * 4, yOff * 4, (cRes + dst0) * 4, (rows * nPad) / 4, alpha, beta, op);
    } else if (beta === 0 && alpha === 1 && !after && (n === nPad || rowCopies)) {
      copyRows(heap, c, cOff, dst0, rows, n, nPad);
    } else if (rows * nPad < SCALE_IN_WASM || !(n === nPad || rowCopies)) {
      for (let i = 0; i < rows; i++) {
        const src = cOff + i * nPad,
          dst = dst0 + i * n;
        if (beta === 0) for (let j = 0; j < n; j++) c[dst + j] = alpha * heap[src + j]!;
        else for (let j = 0; j < n; j++) c[dst + j] = alpha * heap[src + j]! + beta * c[dst + j]!;
      }
      if (after) gemmAfterCpu(after, c, dst0, rows * n);
    } else {
      // The same f64 arithmetic in wasm SIMD (bit-identical): c is copied in next to the product, scaled there, copied back.
      if (beta !== 0) stageRows(heap, c, dst0, rows, n, nPad, sOff);
      if (op === 2) stageRows(heap, after!.y!, dst0, rows, n, nPad, yOff);
      w.axpby(cOff * 4, sOff * 4, yOff * 4, cOff * 4, (rows * nPad) / 4, alpha, beta, op);
      copyRows(heap, c, cOff, dst0, rows, n, nPad);
    }
  }
}

/** rows × n of x from element x0 into heap at `off` with row stride nPad. */
function stageRows(heap: Float32Array, x: Float32Array, x0: number, rows: number, n: number, nPad: number, off: number): void {
  if (n === nPad) heap.set(x.subarray(x0, x0 + rows * n), off);
  else for (let i = 0; i < rows; i++) heap.set(x.subarray(x0 + i * n, x0 + (i + 1) * n), off + i * nPad);
}

/** rows × n of heap (row stride nPad, from `off`) into c from element c0. */
function copyRows(heap: Float32Array, c: Float32Array, off: number, c0: number, rows: number, n: number, nPad: number): void {
  if (n === nPad) c.set(heap.subarray(off, off + rows * n), c0);
  else for (let i = 0; i < rows; i++) c.set(heap.subarray(off + i * nPad, off + i * nPad + n), c0 + i * n);
}
