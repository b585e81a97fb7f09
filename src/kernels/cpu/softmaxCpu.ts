/** Row-wise softmax of a rows×cols matrix, max-subtracted so large inputs do not overflow. x and y may alias. */
export function softmaxCpu(x: Float32Array, y: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let mx = -Infinity;
    for (let c = 0; c < cols; c++) mx = Math.max(mx, x[o + c]!);
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(x[o + c]! - mx);
      y[o + c] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let c = 0; c < cols; c++) y[o + c] = y[o + c]! * inv;
  }
}
