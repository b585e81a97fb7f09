import type { WasmGemm } from './loadWasmGemm.js';

/**
 * gemmPackPanels for a matrix already copied into the wasm memory: element (r, p) of the rows × k
 * matrix X is heap[x0 + r·rs + p·ps]; the same zero-padded panel layout is written at heap[off].
 * Full panels whose rows are contiguous (rs = 1; w = 8 or 4) or whose k is contiguous (ps = 1,
 * w = 4) are packed by the wasm SIMD loops (wasmPackModule); a ragged last panel and other strides
 * are copied here. Offsets in floats.
 */
export function gemmPackWasm(
  w: WasmGemm,
  heap: Float32Array,
  x0: number,
  rows: number,
  k: number,
  rs: number,
  ps: number,
  pw: number,
  kcBlock: number,
  off: number,
): void {
  const panels = Math.ceil(rows / pw),
    padRows = panels * pw;
  for (let pc = 0; pc < k; pc += kcBlock) {
    const kc = Math.min(kcBlock, k - pc);
    const base = off + pc * padRows;
    for (let ip = 0; ip < panels; ip++) {
      const pb = base + ip * kc * pw,
        r0 = ip * pw,
        full = Math.min(pw, rows - r0);
      const src = x0 + r0 * rs + pc * ps;
      if (full === pw && rs === 1 && pw === 8) w.copy8(src * 4, ps * 4, pb * 4, kc);
      else if (full === pw && rs === 1 && pw === 4) w.copy4(src * 4, ps * 4, pb * 4, kc);
      else if (full === 4 && pw === 4 && ps === 1) w.tr4(src * 4, rs * 4, pb * 4, kc);
      else {
        if (full < pw) heap.fill(0, pb, pb + kc * pw);
        for (let q = 0; q < full; q++) {
          const s = src + q * rs;
          for (let p = 0, d = pb + q; p < kc; p++, d += pw) heap[d] = heap[s + p * ps]!;
        }
      }
    }
  }
}
