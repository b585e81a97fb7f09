// Seeded streams for the ARF tests and the speed script: generator rows as FeatureMatrix batches.
import { FeatureMatrix, Rng } from '../../src/core/index.js';
import type { RowGenerator } from '../../src/synth/index.js';

/**
 * `rows` rows of a classification generator as a dense FeatureMatrix, category fields one-hot
 * encoded (`levels[j]` > 0 gives field j that many columns), the last field the class.
 */
export function generatorMatrix(g: RowGenerator, rows: number, levels: readonly number[] = []): FeatureMatrix {
  const fields = g.schema.fields.length - 1;
  const cols = Array.from({ length: fields }, (_, j) => Math.max(1, levels[j] ?? 0)).reduce((a, b) => a + b, 0);
  const values = new Float32Array(rows * cols),
    targets = new Float32Array(rows),
    r = new Float64Array(fields + 1);
  for (let i = 0; i < rows; i++) {
    g.nextRow(r);
    let c = i * cols;
    for (let j = 0; j < fields; j++) {
      const L = levels[j] ?? 0;
      if (L > 0) {
        values[c + r[j]!] = 1;
        c += L;
      } else values[c++] = r[j]!;
    }
    targets[i] = r[fields]!;
  }
  return FeatureMatrix.dense(rows, cols, values, { targets });
}

/** Agrawal's categorical fields (elevel, car, zipcode) one-hot: 6 numbers + 5 + 20 + 9 = 40 columns. */
export const AGRAWAL_LEVELS = [0, 0, 0, 5, 20, 9, 0, 0, 0];

/**
 * Friedman #1 (Friedman 1991): 10 uniform features, y = 10 sin(π x1 x2) + 20 (x3 − 0.5)² + 10 x4 + 5 x5 + N(0, 1).
 * From row `driftAt` on, the formula reads x6..x10 instead of x1..x5 (an abrupt change of the relevant features).
 */
export function friedmanMatrix(rows: number, seed: number, driftAt = Infinity): FeatureMatrix {
  const rng = new Rng(seed),
    values = new Float32Array(rows * 10),
    targets = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 10; j++) values[i * 10 + j] = rng.float();
    const o = i < driftAt ? 0 : 5,
      x = values.subarray(i * 10 + o, i * 10 + o + 5);
    targets[i] = 10 * Math.sin(Math.PI * x[0]! * x[1]!) + 20 * (x[2]! - 0.5) ** 2 + 10 * x[3]! + 5 * x[4]! + rng.normal();
  }
  return FeatureMatrix.dense(rows, 10, values, { targets });
}

/** Rows [from, to) of a dense matrix, with its targets and weights. */
export function sliceRows(m: FeatureMatrix, from: number, to: number): FeatureMatrix {
  const c = m.cols;
  return FeatureMatrix.dense(to - from, c, m.values.slice(from * c, to * c), {
    targets: m.targets ? m.targets.slice(from, to) : null,
    weights: m.weights ? m.weights.slice(from, to) : null,
  });
}

/** Accuracy of class probabilities `out` (rows × classes) against the targets of rows [from, to). */
export function accuracy(out: Float32Array, targets: Float32Array, classes: number, from = 0, to = targets.length): number {
  let ok = 0;
  for (let i = from; i < to; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (out[i * classes + c]! > out[i * classes + best]!) best = c;
    if (best === targets[i]) ok++;
  }
  return ok / (to - from);
}
