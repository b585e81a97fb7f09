/** x[r, c] += bias[c], in place. */
export function biasAddCpu(x: Float32Array, bias: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) x[o + c] = x[o + c]! + bias[c]!;
  }
}
