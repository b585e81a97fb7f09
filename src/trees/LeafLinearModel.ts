import { DENSE_LIMIT, type RegressionScaler } from './RegressionScaler.js';

export interface LeafLinearModelState {
  bias: number;
  /** Weights as [feature, weight, ...] (only non-zero ones). */
  weights: number[];
}

/**
 * A leaf's linear model (FIMT-DD's leaf perceptron, Ikonomovska et al. 2011; River's default
 * LinearRegression leaf model), learned online by the normalized LMS rule (Nagumo & Noda 1967) in
 * the tree's standardized space (RegressionScaler: z_j centred and scaled for narrow inputs,
 * scaled for wide ones): the prediction is b + Σ w_j z_j of the standardized target, and each row moves it a fraction `lr` of the way to the
 * row's target: w += lr · e · z / (1 + |z|²). The normalization makes the step size free of the
 * number and scale of the features, and 0 < lr ≤ 1 is always stable, so no tuning is needed.
 * A weight w > 1 takes the step 1 − (1 − lr)^w, what w equal rows would take along that row.
 * Weights live in a Float64Array for narrow inputs (a row costs O(inputs)), in a Map for wide
 * (hashed) ones (a row costs its non-zeros, a model the features it has seen).
 */
export class LeafLinearModel {
  bias = 0;
  private readonly arr: Float64Array | null;
  private readonly map: Map<number, number> | null;
  /** 1 + |z|² of the last row predicted (reused by learn). */
  private norm = 1;

  constructor(
    readonly inputs: number,
    arr?: Float64Array | null,
    map?: Map<number, number> | null,
  ) {
    this.arr = arr !== undefined ? arr : inputs <= DENSE_LIMIT ? new Float64Array(inputs) : null;
    this.map = map !== undefined ? map : inputs <= DENSE_LIMIT ? null : new Map();
  }

  /** The standardized prediction for a row; also keeps 1 + |z|² for the learn that follows. */
  predictZ(x: Float64Array, nz: Int32Array, n: number, sc: RegressionScaler): number {
    let p = this.bias,
      q = 1;
    const a = this.arr;
    if (a !== null) {
      // Centred features: every feature counts, present or not (narrow inputs only).
      const mu = sc.mu!,
        rs = sc.rs!;
      for (let j = 0; j < a.length; j++) {
        const z = (x[j]! - mu[j]!) * rs[j]!;
        p += a[j]! * z;
        q += z * z;
      }
    } else {
      const m = this.map!;
      for (let k = 0; k < n; k++) {
        const j = nz[k]!,
          v = x[j]!;
        if (v === 0) continue;
        const z = v * sc.inv(j);
        p += (m.get(j) ?? 0) * z;
        q += z * z;
      }
    }
    this.norm = q;
    return p;
  }

  /** One NLMS step on the row last given to predictZ, whose standardized error is e, with weight w. */
  learn(x: Float64Array, nz: Int32Array, n: number, sc: RegressionScaler, e: number, lr: number, w: number): void {
    const rate = w === 1 ? lr : 1 - (1 - lr) ** w,
      step = (rate * e) / this.norm;
    if (step === 0) return;
    this.bias += step;
    const a = this.arr;
    if (a !== null) {
      const mu = sc.mu!,
        rs = sc.rs!;
      for (let j = 0; j < a.length; j++) a[j]! += step * (x[j]! - mu[j]!) * rs[j]!;
    } else {
      const m = this.map!;
      for (let k = 0; k < n; k++) {
        const j = nz[k]!,
          v = x[j]!;
        if (v !== 0) m.set(j, (m.get(j) ?? 0) + step * v * sc.inv(j));
      }
    }
  }

  /** A copy (a new leaf starts from its parent's model, as in River). */
  clone(): LeafLinearModel {
    const m = new LeafLinearModel(this.inputs, this.arr === null ? null : this.arr.slice(), this.map === null ? null : new Map(this.map));
    m.bias = this.bias;
    return m;
  }

  toJSON(): LeafLinearModelState {
    const weights: number[] = [];
    if (this.arr !== null) {
      const a = this.arr;
      for (let j = 0; j < a.length; j++) if (a[j] !== 0) weights.push(j, a[j]!);
    } else {
      const keys = [...this.map!.keys()].sort((a, b) => a - b);
      for (const j of keys) weights.push(j, this.map!.get(j)!);
    }
    return { bias: this.bias, weights };
  }

  static fromJSON(inputs: number, state: LeafLinearModelState): LeafLinearModel {
    const m = new LeafLinearModel(inputs);
    m.bias = state.bias;
    const ws = state.weights;
    for (let i = 0; i < ws.length; i += 2) {
      if (m.arr !== null) m.arr[ws[i]!] = ws[i + 1]!;
      else m.map!.set(ws[i]!, ws[i + 1]!);
    }
    return m;
  }
}
