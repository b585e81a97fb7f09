/** Inputs up to this width keep per-feature statistics in arrays; wider (hashed) ones in a Map. */
export const DENSE_LIMIT = 1024;

export interface RegressionScalerState {
  w: number;
  mean: number;
  m2: number;
  /** Per-feature weighted sums of squares as [feature, sum, ...] (only features seen non-zero). */
  sq: number[];
}

/**
 * The running moments a tree's linear leaves learn in: the target's weighted mean and variance
 * (West 1979's weighted Welford update) and each feature's root mean square over all rows, zeros
 * included. Leaf models see z_j = x_j / rms_j and (y − mean) / std, so they need no learning-rate
 * tuning when a target or a feature is rescaled. Features are scaled, not centred: centring would
 * make every absent feature of a sparse row non-zero (O(inputs) per row); the model's intercept
 * absorbs the offset.
 */
export class RegressionScaler {
  w = 0;
  mean = 0;
  m2 = 0;
  private readonly sqArr: Float64Array | null;
  private readonly sqMap: Map<number, number> | null;

  constructor(readonly inputs: number) {
    this.sqArr = inputs <= DENSE_LIMIT ? new Float64Array(inputs) : null;
    this.sqMap = inputs <= DENSE_LIMIT ? null : new Map();
  }

  /** Adds a row (the target already shifted by the tree's offset) with weight w > 0. */
  update(x: Float64Array, nz: Int32Array, n: number, y: number, w: number): void {
    this.w += w;
    const d = y - this.mean;
    this.mean += (w / this.w) * d;
    this.m2 += w * d * (y - this.mean);
    const a = this.sqArr;
    if (a !== null) {
      for (let k = 0; k < n; k++) {
        const j = nz[k]!,
          v = x[j]!;
        a[j]! += w * v * v;
      }
    } else {
      const m = this.sqMap!;
      for (let k = 0; k < n; k++) {
        const j = nz[k]!,
          v = x[j]!;
        if (v !== 0) m.set(j, (m.get(j) ?? 0) + w * v * v);
      }
    }
  }

  /** The target's standard deviation (1 while it has none, when every standardized error is 0 anyway). */
  std(): number {
    const v = this.w > 0 ? this.m2 / this.w : 0;
    return v > 0 ? Math.sqrt(v) : 1;
  }

  /** 1 / rms of feature j (0 for a feature never seen non-zero). */
  inv(j: number): number {
    const q = this.sqArr !== null ? this.sqArr[j]! : (this.sqMap!.get(j) ?? 0);
    return q > 0 ? Math.sqrt(this.w / q) : 0;
  }

  toJSON(): RegressionScalerState {
    const sq: number[] = [];
    if (this.sqArr !== null) {
      const a = this.sqArr;
      for (let j = 0; j < a.length; j++) if (a[j] !== 0) sq.push(j, a[j]!);
    } else for (const [j, q] of this.sqMap!) sq.push(j, q);
    return { w: this.w, mean: this.mean, m2: this.m2, sq };
  }

  static fromJSON(inputs: number, state: RegressionScalerState): RegressionScaler {
    const s = new RegressionScaler(inputs);
    s.w = state.w;
    s.mean = state.mean;
    s.m2 = state.m2;
    for (let i = 0; i < state.sq.length; i += 2) {
      if (s.sqArr !== null) s.sqArr[state.sq[i]!] = state.sq[i + 1]!;
      else s.sqMap!.set(state.sq[i]!, state.sq[i + 1]!);
    }
    return s;
  }
}
