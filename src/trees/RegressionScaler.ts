/** Inputs up to this width keep per-feature statistics in arrays; wider (hashed) ones in a Map. */
export const DENSE_LIMIT = 1024;
/** Narrow inputs: the cached feature means and scales are recomputed once the weight grows by this factor. */
const REFRESH = 1.02;

export interface RegressionScalerState {
  w: number;
  mean: number;
  m2: number;
  /** Per-feature weighted sums and sums of squares as [feature, sum, sum of squares, ...] (features seen non-zero). */
  sums: number[];
  /** Narrow inputs: the weight at the last refresh and the cached [mean, 1/std] per feature. */
  refreshedAt: number;
  cache: number[];
}

/**
 * The running moments a tree's linear leaves learn in: the target's weighted mean and variance
 * (West 1979's weighted Welford update) and each feature's moments over all rows, zeros included.
 * Leaf models see standardized features and (y − mean) / std, so they need no learning-rate
 * tuning when a target or a feature is rescaled or shifted.
 *
 * Narrow inputs (≤ DENSE_LIMIT): features are centred and scaled, z_j = (x_j − mean_j) / std_j,
 * from a cache refreshed whenever the weight has grown 2% (every row early on), so a row costs
 * O(inputs) in the leaf model but no square roots. Centring matters: on Friedman #1 it takes the
 * linear leaves' prequential MAE from 2.07 to 1.78. Wide inputs: centring would make every absent
 * feature of a sparse row non-zero, so they are only scaled, z_j = x_j / rms_j, per non-zero.
 */
export class RegressionScaler {
  w = 0;
  mean = 0;
  m2 = 0;
  /** Narrow inputs: per-feature sums, sums of squares, and the cached mean and 1/std (0 for a constant feature). */
  readonly sArr: Float64Array | null;
  readonly qArr: Float64Array | null;
  readonly mu: Float64Array | null;
  readonly rs: Float64Array | null;
  private refreshedAt = 0;
  /** Wide inputs: per-feature sums of squares. */
  private readonly qMap: Map<number, number> | null;

  constructor(readonly inputs: number) {
    const narrow = inputs <= DENSE_LIMIT;
    this.sArr = narrow ? new Float64Array(inputs) : null;
    this.qArr = narrow ? new Float64Array(inputs) : null;
    this.mu = narrow ? new Float64Array(inputs) : null;
    this.rs = narrow ? new Float64Array(inputs) : null;
    this.qMap = narrow ? null : new Map();
  }

  /** Adds a row (the target already shifted by the tree's offset) with weight w > 0. */
  update(x: Float64Array, nz: Int32Array, n: number, y: number, w: number): void {
    this.w += w;
    const d = y - this.mean;
    this.mean += (w / this.w) * d;
    this.m2 += w * d * (y - this.mean);
    const q = this.qArr;
    if (q !== null) {
      const s = this.sArr!;
      for (let k = 0; k < n; k++) {
        const j = nz[k]!,
          v = x[j]!;
        s[j]! += w * v;
        q[j]! += w * v * v;
      }
      if (this.w >= this.refreshedAt * REFRESH) this.refresh();
    } else {
      const m = this.qMap!;
      for (let k = 0; k < n; k++) {
        const j = nz[k]!,
          v = x[j]!;
        if (v !== 0) m.set(j, (m.get(j) ?? 0) + w * v * v);
      }
    }
  }

  private refresh(): void {
    const s = this.sArr!,
      q = this.qArr!,
      mu = this.mu!,
      rs = this.rs!,
      W = this.w;
    this.refreshedAt = W;
    for (let j = 0; j < this.inputs; j++) {
      const m = s[j]! / W,
        v = q[j]! / W - m * m;
      mu[j] = m;
      // A variance at rounding level is a constant feature: it gets no weight.
      rs[j] = v > 1e-12 * (q[j]! / W) ? 1 / Math.sqrt(v) : 0;
    }
  }

  /** The target's standard deviation (1 while it has none, when every standardized error is 0 anyway). */
  std(): number {
    const v = this.w > 0 ? this.m2 / this.w : 0;
    return v > 0 ? Math.sqrt(v) : 1;
  }

  /** Wide inputs: 1 / rms of feature j (0 for a feature never seen non-zero). */
  inv(j: number): number {
    const q = this.qMap!.get(j) ?? 0;
    return q > 0 ? Math.sqrt(this.w / q) : 0;
  }

  toJSON(): RegressionScalerState {
    const sums: number[] = [],
      cache: number[] = [];
    if (this.qArr !== null) {
      const s = this.sArr!,
        q = this.qArr,
        mu = this.mu!,
        rs = this.rs!;
      for (let j = 0; j < q.length; j++) {
        if (q[j] !== 0) sums.push(j, s[j]!, q[j]!);
        cache.push(mu[j]!, rs[j]!);
      }
    } else {
      // Ascending by feature, so the state does not depend on the order rows listed their features.
      const keys = [...this.qMap!.keys()].sort((a, b) => a - b);
      for (const j of keys) sums.push(j, 0, this.qMap!.get(j)!);
    }
    return { w: this.w, mean: this.mean, m2: this.m2, sums, refreshedAt: this.refreshedAt, cache };
  }

  static fromJSON(inputs: number, state: RegressionScalerState): RegressionScaler {
    const sc = new RegressionScaler(inputs);
    sc.w = state.w;
    sc.mean = state.mean;
    sc.m2 = state.m2;
    sc.refreshedAt = state.refreshedAt;
    const sums = state.sums;
    for (let i = 0; i < sums.length; i += 3) {
      const j = sums[i]!;
      if (sc.qArr !== null) {
        sc.sArr![j] = sums[i + 1]!;
        sc.qArr[j] = sums[i + 2]!;
      } else sc.qMap!.set(j, sums[i + 2]!);
    }
    if (sc.mu !== null) {
      for (let j = 0; j < inputs; j++) {
        sc.mu[j] = state.cache[2 * j]!;
        sc.rs![j] = state.cache[2 * j + 1]!;
      }
    }
    return sc;
  }
}
