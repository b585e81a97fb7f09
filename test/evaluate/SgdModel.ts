import { FeatureMatrix, Rng } from '../../src/core/index.js';
import type { Model, ModelState, Task } from '../../src/learn/index.js';

/**
 * A small mini-batch SGD logistic model for engine tests: `predict` and the optional synchronous
 * `testThenTrain` share one arithmetic path, so both engine paths give bit-identical numbers.
 * `learn` refuses a missing target, as real models do. Counts its calls.
 */
export class SgdModel implements Model {
  readonly kind = 'logistic' as const;
  readonly task: Task = 'binary';
  readonly outputs = 1;
  readonly backendName = 'test';
  readonly adapter = 'none';
  inputs: number | null = null;
  step = 0;
  calls = { predict: 0, learn: 0, testThenTrain: 0, testThenTrainRows: [] as number[] };
  testThenTrain?: (x: FeatureMatrix, out: Float32Array) => void;
  private w: Float64Array;
  private bias = 0;

  constructor(
    readonly batchSize: number,
    cols: number,
    withTestThenTrain: boolean,
    readonly lr = 0.5,
  ) {
    this.w = new Float64Array(cols);
    if (withTestThenTrain)
      this.testThenTrain = (x, out) => {
        this.calls.testThenTrain++;
        this.calls.testThenTrainRows.push(x.rows);
        for (let a = 0; a < x.rows; a += this.batchSize) {
          const z = Math.min(x.rows, a + this.batchSize);
          for (let i = a; i < z; i++) out[i] = this.p(x, i);
          this.update(x, a, z, true);
        }
      };
  }

  async predict(x: FeatureMatrix): Promise<Float32Array> {
    this.calls.predict++;
    const out = new Float32Array(x.rows);
    for (let i = 0; i < x.rows; i++) out[i] = this.p(x, i);
    return out;
  }

  async learn(x: FeatureMatrix): Promise<void> {
    this.calls.learn++;
    for (let a = 0; a < x.rows; a += this.batchSize) this.update(x, a, Math.min(x.rows, a + this.batchSize), false);
  }

  /** The weights, for comparing runs. */
  weights(): number[] {
    return [...this.w, this.bias];
  }

  private z(x: FeatureMatrix, i: number): number {
    let s = this.bias;
    if (x.kind === 'dense') for (let j = 0; j < x.cols; j++) s += this.w[j]! * x.values[i * x.cols + j]!;
    else for (let k = x.indptr![i]!; k < x.indptr![i + 1]!; k++) s += this.w[x.indices![k]!]! * x.values[k]!;
    return s;
  }

  private p(x: FeatureMatrix, i: number): number {
    return 1 / (1 + Math.exp(-this.z(x, i)));
  }

  /** One update from the mean gradient of rows [a, z) (rows with a missing target skipped when `skipMissing`). */
  private update(x: FeatureMatrix, a: number, z: number, skipMissing: boolean): void {
    const t = x.targets!;
    const g = new Map<number, number>();
    let gb = 0,
      n = 0;
    for (let i = a; i < z; i++) {
      const y = t[i]!;
      if (Number.isNaN(y)) {
        if (skipMissing) continue;
        throw new Error(`learn got a missing target at row ${i}`);
      }
      const d = this.p(x, i) - y;
      n++;
      gb += d;
      if (x.kind === 'dense') for (let j = 0; j < x.cols; j++) g.set(j, (g.get(j) ?? 0) + d * x.values[i * x.cols + j]!);
      else for (let k = x.indptr![i]!; k < x.indptr![i + 1]!; k++) g.set(x.indices![k]!, (g.get(x.indices![k]!) ?? 0) + d * x.values[k]!);
    }
    if (n === 0) return;
    for (const [j, v] of g) this.w[j]! -= (this.lr * v) / n;
    this.bias -= (this.lr * gb) / n;
    this.step++;
  }

  async lastLoss(): Promise<number> {
    return NaN;
  }
  async state(): Promise<ModelState> {
    return { kind: 'logistic', task: 'binary', inputs: this.w.length, outputs: 1, options: {}, params: { w: this.weights() }, optimizer: {}, step: this.step };
  }
  load(state: ModelState): void {
    const p = state.params.w!;
    this.w.set(p.slice(0, this.w.length));
    this.bias = p[this.w.length]!;
    this.step = state.step;
  }
  async dispose(): Promise<void> {}
}

/**
 * A seeded hashed stream with signal: rows of 3 active columns out of `cols`, label drawn from a
 * logistic model of them, so a learner gets better as it goes. Some targets can be made missing.
 */
export function hashedStream(rows: number, cols = 200, seed = 7, missing = 0): FeatureMatrix {
  const rng = new Rng(seed);
  const truth = Float64Array.from({ length: cols }, () => rng.normal(0, 1.5));
  const indptr = new Int32Array(rows + 1),
    indices = new Int32Array(rows * 3),
    values = new Float32Array(rows * 3),
    targets = new Float32Array(rows),
    rowIds = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = 0;
    for (let k = 0; k < 3; k++) {
      const j = (k * Math.floor(cols / 3) + rng.int(Math.floor(cols / 3))) % cols;
      indices[i * 3 + k] = j;
      values[i * 3 + k] = 1;
      z += truth[j]!;
    }
    indptr[i + 1] = (i + 1) * 3;
    targets[i] = rng.float() < missing ? NaN : rng.float() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    rowIds[i] = i;
  }
  return FeatureMatrix.csr(rows, cols, indptr, indices, values, { targets, rowIds });
}
