import { SchemaError } from '../core/index.js';

/** Plain-JSON state of a HistogramBinner: each feature's ascending thresholds. */
export interface HistogramBinnerState {
  thresholds: number[][];
}

/**
 * Per-feature bin thresholds from the training data, as scikit-learn's HistGradientBoosting
 * (`_find_binning_thresholds`) and LightGBM build them: a feature with at most `bins` distinct values
 * gets the midpoints between consecutive distinct values (so its splits are the exact ones a sorted
 * search would find); otherwise the `bins - 1` inner percentiles (midpoint interpolation), without
 * duplicates, each moved between two distinct training values when it falls on one. Bin b holds the values x with thresholds[b-1] < x ≤ thresholds[b], so "bin ≤ b" is
 * "x ≤ thresholds[b]": a split learned on bins is applied to raw values with one comparison.
 * Non-finite values count as 0 (TreeRows stores them so at prediction).
 */
export class HistogramBinner {
  private constructor(
    readonly inputs: number,
    readonly thresholds: Float64Array[],
  ) {}

  /** Thresholds from x (rows × inputs, row-major); `bins` in 2..65536 so a bin index fits 16 bits. */
  static fit(x: Float32Array, rows: number, inputs: number, bins: number): HistogramBinner {
    if (!Number.isInteger(bins) || bins < 2 || bins > 65536) throw new SchemaError(`HistogramBinner: bins must be 2..65536, got ${bins}`);
    if (x.length !== rows * inputs) throw new SchemaError(`HistogramBinner: x has ${x.length} values, expected rows × inputs = ${rows} × ${inputs}`);
    const col = new Float64Array(rows);
    const out: Float64Array[] = [];
    for (let f = 0; f < inputs; f++) {
      for (let i = 0; i < rows; i++) {
        const v = x[i * inputs + f]!;
        col[i] = Number.isFinite(v) ? v : 0;
      }
      col.sort();
      let distinct = 0;
      for (let i = 0; i < rows; i++) if (i === 0 || col[i] !== col[i - 1]) distinct++;
      const t: number[] = [];
      if (distinct <= bins) {
        let prev = Number.NaN;
        for (let i = 0; i < rows; i++) {
          const v = col[i]!;
          if (i > 0 && v !== prev) t.push(prev + (v - prev) / 2);
          prev = v;
        }
      } else {
        // numpy.percentile(method='midpoint') at linspace(0, 100, bins + 1)[1:-1]. A percentile that is
        // a training value moves up to the midpoint after it: a threshold equal to a value sends that
        // value left while a double that rounds to it (a float32 training copy) may go right.
        for (let k = 1; k < bins; k++) {
          const pos = (k / bins) * (rows - 1),
            lo = Math.floor(pos),
            hi = Math.ceil(pos);
          let q = (col[lo]! + col[hi]!) / 2;
          if (col[lo] === col[hi]) {
            // The first value above q (binary search); none: q is the maximum, no threshold needed.
            let a = hi,
              b = rows;
            while (a < b) {
              const m = (a + b) >>> 1;
              if (col[m]! <= q) a = m + 1;
              else b = m;
            }
            if (a === rows) continue;
            q = q + (col[a]! - q) / 2;
          }
          if (t.length === 0 || q > t[t.length - 1]!) t.push(q);
        }
      }
      out.push(Float64Array.from(t));
    }
    return new HistogramBinner(inputs, out);
  }

  /** Number of bins of feature f (thresholds + 1). */
  bins(f: number): number {
    return this.thresholds[f]!.length + 1;
  }

  /**
   * Bin indexes, row-major as x (row i's at [i × inputs, (i + 1) × inputs)): deep in a tree a node's
   * rows are scattered, and its scans of several features then share each row's cache line.
   */
  transform(x: Float32Array, rows: number): Uint16Array {
    const d = this.inputs;
    if (x.length !== rows * d) throw new SchemaError(`HistogramBinner: x has ${x.length} values, expected rows × inputs = ${rows} × ${d}`);
    const out = new Uint16Array(rows * d);
    for (let f = 0; f < d; f++) {
      const t = this.thresholds[f]!,
        m = t.length;
      for (let i = 0; i < rows; i++) {
        let v = x[i * d + f]!;
        if (!Number.isFinite(v)) v = 0;
        // The first threshold ≥ v (binary search).
        let lo = 0,
          hi = m;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (t[mid]! < v) lo = mid + 1;
          else hi = mid;
        }
        out[i * d + f] = lo;
      }
    }
    return out;
  }

  toJSON(): HistogramBinnerState {
    return { thresholds: this.thresholds.map((t) => Array.from(t)) };
  }

  static fromJSON(state: HistogramBinnerState): HistogramBinner {
    return new HistogramBinner(
      state.thresholds.length,
      state.thresholds.map((t) => Float64Array.from(t)),
    );
  }
}
