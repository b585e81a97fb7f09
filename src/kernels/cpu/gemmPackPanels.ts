/**
 * Packs the rows × k matrix X, whose element (r, p) is x[x0 + r·rs + p·ps], into zero-padded
 * panels of `w` rows for the wasm GEMM kernel: layout [k block of kcBlock][panel][p][w] starting
 * at heap[off], a k block taking kc·padRows floats. rs = 1 or ps = 1 selects the loop that reads
 * x contiguously (op(A) of a transposed A, op(B) of an untransposed B read whole panel rows).
 */
export function gemmPackPanels(
  x: Float32Array,
  x0: number,
  rows: number,
  k: number,
  rs: number,
  ps: number,
  w: number,
  kcBlock: number,
  heap: Float32Array,
  off: number,
): void {
  const panels = Math.ceil(rows / w),
    padRows = panels * w;
  for (let pc = 0; pc < k; pc += kcBlock) {
    const kc = Math.min(kcBlock, k - pc);
    const base = off + pc * padRows;
    for (let ip = 0; ip < panels; ip++) {
      const pb = base + ip * kc * w,
        r0 = ip * w,
        full = Math.min(w, rows - r0);
      if (full < w) heap.fill(0, pb, pb + kc * w);
      if (rs === 1) {
        // Rows contiguous in x: each k step copies `full` neighbours.
        let src = x0 + pc * ps + r0;
        if (full === 8) {
          for (let p = 0, d = pb; p < kc; p++, d += 8, src += ps) {
            heap[d] = x[src]!;
            heap[d + 1] = x[src + 1]!;
            heap[d + 2] = x[src + 2]!;
            heap[d + 3] = x[src + 3]!;
            heap[d + 4] = x[src + 4]!;
            heap[d + 5] = x[src + 5]!;
            heap[d + 6] = x[src + 6]!;
            heap[d + 7] = x[src + 7]!;
          }
        } else if (full === 4 && w === 4) {
          for (let p = 0, d = pb; p < kc; p++, d += 4, src += ps) {
            heap[d] = x[src]!;
            heap[d + 1] = x[src + 1]!;
            heap[d + 2] = x[src + 2]!;
            heap[d + 3] = x[src + 3]!;
          }
        } else {
          for (let p = 0, d = pb; p < kc; p++, d += w, src += ps) for (let q = 0; q < full; q++) heap[d + q] = x[src + q]!;
        }
      } else if (ps === 1 && full === 4 && w === 4) {
        // k contiguous in x: four row streams, sequential writes.
        const s0 = x0 + r0 * rs + pc,
          s1 = s0 + rs,
          s2 = s1 + rs,
          s3 = s2 + rs;
        for (let p = 0, d = pb; p < kc; p++, d += 4) {
          heap[d] = x[s0 + p]!;
          heap[d + 1] = x[s1 + p]!;
          heap[d + 2] = x[s2 + p]!;
          heap[d + 3] = x[s3 + p]!;
        }
      } else {
        for (let q = 0; q < full; q++) {
          const src = x0 + (r0 + q) * rs + pc * ps;
          for (let p = 0, d = pb + q; p < kc; p++, d += w) heap[d] = x[src + p * ps]!;
        }
      }
    }
  }
}
