import { OptionReader, SluiceError } from '../core/index.js';
import { DetectorBase } from './DetectorBase.js';
import type { DriftDetector, DriftDetectorState } from './DriftDetector.js';
import { DriftInputError } from './DriftInputError.js';
import type { DriftSignal } from './DriftSignal.js';

export interface ADWINOptions {
  /** Confidence δ of the cut test: smaller, fewer false alarms and later detections (default 0.002). */
  delta?: number;
  /** Test for a cut every `clock` rows (default 32); 1 tests every row. */
  clock?: number;
  /** M: buckets of one size kept before the two oldest merge into one of twice the size (default 5). */
  maxBuckets?: number;
  /** Rows each of the two sub-windows must hold for a cut between them to be tested (default 5). */
  minWindowLength?: number;
  /** No test while the window holds this many rows or fewer (default 10). */
  gracePeriod?: number;
}

export interface ADWINState extends DriftDetectorState {
  kind: 'adwin';
  options: Required<ADWINOptions>;
  /** Rows until the next test (the clock's phase). */
  untilCheck: number;
  width: number;
  total: number;
  /** Sum of squared deviations from the window's mean. */
  m2: number;
  /** Bucket rows, newest first: row i holds buckets of 2^i input rows as [total, m2, total, m2, ...], oldest bucket first. */
  buckets: number[][];
}

/** Bucket rows: row i holds buckets of 2^i input rows, so 64 rows cover any window a double can count. */
const ROWS = 64;
const POW2 = Float64Array.from({ length: ROWS }, (_, i) => 2 ** i);

/**
 * ADWIN, adaptive windowing (Bifet & Gavaldà, "Learning from Time-Changing Data with Adaptive
 * Windowing", SIAM SDM 2007), in its ADWIN2 form: the window is an exponential histogram of at
 * most M buckets per size 1, 2, 4, … (M + 1 of a size merge the two oldest), so memory and a
 * test cost O(M log W). Every `clock` rows, once the window is longer than `gracePeriod`, each
 * split into an older part W0 and a newer part W1 (both ≥ `minWindowLength` rows) is tested;
 * when |μ0 − μ1| > ε_cut the oldest bucket is dropped, the test runs again on the shorter window,
 * and the row is a drift. ε_cut is the paper's variance-based bound, as MOA and River compute it:
 * with σ² the window's variance, n its length, δ' = δ / ln n and
 * 1/m = 1/(n0 − L + 1) + 1/(n1 − L + 1) (L = minWindowLength),
 * ε_cut = sqrt(2/m · σ² · ln(2/δ')) + 2/(3m) · ln(2/δ').
 *
 * Input: any finite number per row (an error 0/1, a loss, a value). No warning level (the
 * definition has none). Defaults are River's documented ones (delta 0.002, clock 32,
 * max_buckets 5, min_window_length 5, grace_period 10); delta and M = 5 are also MOA's.
 * On River's example stream (1000 draws from {0,1}, then 1000 from {4..7}) River reports the
 * drift at index 1023, 23 rows after the change.
 */
export class ADWIN extends DetectorBase implements DriftDetector {
  readonly kind = 'adwin';
  readonly delta: number;
  readonly clock: number;
  readonly maxBuckets: number;
  readonly minWindowLength: number;
  readonly gracePeriod: number;
  private readonly slots: number;
  private readonly sums: Float64Array;
  private readonly m2s: Float64Array;
  private readonly counts = new Int32Array(ROWS);
  /** Bucket rows in use (the highest non-empty one + 1). */
  private used = 0;
  private untilCheck: number;
  private n = 0;
  private sum = 0;
  private m2 = 0;

  constructor(options: ADWINOptions = {}) {
    super();
    const o = new OptionReader('adwin', options as Record<string, unknown>);
    this.delta = o.number('delta', 0.002, 0, 1, '()');
    this.clock = o.int('clock', 32, 1);
    this.maxBuckets = o.int('maxBuckets', 5, 1, 1 << 20);
    this.minWindowLength = o.int('minWindowLength', 5, 1);
    this.gracePeriod = o.int('gracePeriod', 10, 0);
    o.done();
    this.slots = this.maxBuckets + 1;
    this.sums = new Float64Array(ROWS * this.slots);
    this.m2s = new Float64Array(ROWS * this.slots);
    this.untilCheck = this.clock;
  }

  /** Rows in the window. */
  get width(): number {
    return this.n;
  }

  /** Mean of the window (NaN when empty). */
  get estimate(): number {
    return this.n > 0 ? this.sum / this.n : NaN;
  }

  /** Variance of the window (NaN when empty). */
  get variance(): number {
    return this.n > 0 ? this.m2 / this.n : NaN;
  }

  update(x: number): DriftSignal {
    if (x - x !== 0) throw new DriftInputError('adwin', this.nRows + 1, x, 'a finite number');
    this.nRows++;
    this.insert(x);
    if (--this.untilCheck === 0) {
      this.untilCheck = this.clock;
      if (this.n > this.gracePeriod && this.detect()) return this.emit('drift');
    }
    return this.emit('none');
  }

  reset(): void {
    this.resetCounters();
    this.counts.fill(0);
    this.used = 0;
    this.untilCheck = this.clock;
    this.n = 0;
    this.sum = 0;
    this.m2 = 0;
  }

  private insert(x: number): void {
    const n = this.n;
    if (n > 0) {
      const d = x - this.sum / n;
      this.m2 += (n * d * d) / (n + 1);
    }
    this.n = n + 1;
    this.sum += x;
    const c = this.counts[0]!;
    this.sums[c] = x;
    this.m2s[c] = 0;
    this.counts[0] = c + 1;
    if (this.used === 0) this.used = 1;
    if (c + 1 > this.maxBuckets) this.compress();
  }

  /** Merges the two oldest buckets of every row that holds M + 1, into the next row. */
  private compress(): void {
    const S = this.slots,
      M = this.maxBuckets,
      sums = this.sums,
      m2s = this.m2s,
      counts = this.counts;
    for (let r = 0; r < ROWS - 1; r++) {
      const c = counts[r]!;
      if (c <= M) break;
      const base = r * S;
      const s0 = sums[base]!,
        s1 = sums[base + 1]!;
      const d = s0 - s1;
      // Two buckets of `size` rows: m2 = m2a + m2b + size²(μa − μb)²/(2·size).
      const merged = m2s[base]! + m2s[base + 1]! + (d * d) / (2 * POW2[r]!);
      for (let k = 2; k < c; k++) {
        sums[base + k - 2] = sums[base + k]!;
        m2s[base + k - 2] = m2s[base + k]!;
      }
      counts[r] = c - 2;
      const next = (r + 1) * S,
        nc = counts[r + 1]!;
      sums[next + nc] = s0 + s1;
      m2s[next + nc] = merged;
      counts[r + 1] = nc + 1;
      if (this.used < r + 2) this.used = r + 2;
    }
  }

  /** Drops the oldest bucket. */
  private dropOldest(): void {
    let r = this.used - 1;
    while (r > 0 && this.counts[r] === 0) r--;
    const c = this.counts[r]!;
    if (c === 0) return;
    const S = this.slots,
      base = r * S,
      size = POW2[r]!;
    const s = this.sums[base]!,
      v = this.m2s[base]!;
    this.n -= size;
    this.sum -= s;
    if (this.n > 0) {
      const d = s / size - this.sum / this.n;
      this.m2 -= v + (size * this.n * d * d) / (size + this.n);
      if (this.m2 < 0) this.m2 = 0;
    } else {
      this.sum = 0;
      this.m2 = 0;
    }
    for (let k = 1; k < c; k++) {
      this.sums[base + k - 1] = this.sums[base + k]!;
      this.m2s[base + k - 1] = this.m2s[base + k]!;
    }
    this.counts[r] = c - 1;
    while (this.used > 0 && this.counts[this.used - 1] === 0) this.used--;
  }

  /** Tests every split, oldest bucket first; drops the oldest bucket while a split is a cut. */
  private detect(): boolean {
    const S = this.slots,
      L = this.minWindowLength,
      sums = this.sums,
      counts = this.counts;
    let found = false;
    for (;;) {
      const n = this.n;
      if (n < 2 * L || n < 2) return found;
      const v = this.m2 / n;
      const dd = Math.log((2 * Math.log(n)) / this.delta);
      let n0 = 0,
        n1 = n,
        u0 = 0,
        u1 = this.sum,
        cut = false;
      scan: for (let r = this.used - 1; r >= 0; r--) {
        const c = counts[r]!,
          size = POW2[r]!,
          base = r * S;
        for (let k = 0; k < c; k++) {
          const s = sums[base + k]!;
          n0 += size;
          n1 -= size;
          u0 += s;
          u1 -= s;
          if (n1 < L) break scan;
          if (n0 >= L) {
            const m = 1 / (n0 - L + 1) + 1 / (n1 - L + 1);
            const eps = Math.sqrt(2 * m * v * dd) + (2 / 3) * dd * m;
            if (Math.abs(u0 / n0 - u1 / n1) > eps) {
              cut = true;
              break scan;
            }
          }
        }
      }
      if (!cut) return found;
      found = true;
      this.dropOldest();
    }
  }

  toJSON(): ADWINState {
    const buckets: number[][] = [];
    for (let r = 0; r < this.used; r++) {
      const row: number[] = [];
      for (let k = 0; k < this.counts[r]!; k++) row.push(this.sums[r * this.slots + k]!, this.m2s[r * this.slots + k]!);
      buckets.push(row);
    }
    return {
      kind: 'adwin',
      options: { delta: this.delta, clock: this.clock, maxBuckets: this.maxBuckets, minWindowLength: this.minWindowLength, gracePeriod: this.gracePeriod },
      ...this.counters(),
      untilCheck: this.untilCheck,
      width: this.n,
      total: this.sum,
      m2: this.m2,
      buckets,
    };
  }

  static fromJSON(state: ADWINState): ADWIN {
    DetectorBase.checkKind(state, 'adwin');
    const d = new ADWIN(state.options);
    d.restoreCounters(state);
    if (
      !Array.isArray(state.buckets) ||
      state.buckets.length > ROWS ||
      state.buckets.some((row) => !Array.isArray(row) || row.length % 2 !== 0 || row.length > 2 * d.slots)
    )
      throw new SluiceError('DRIFT_STATE', `adwin.fromJSON: buckets: expected at most ${ROWS} rows of at most ${d.slots} [total, m2] pairs`);
    state.buckets.forEach((row, r) => {
      for (let k = 0; k < row.length / 2; k++) {
        d.sums[r * d.slots + k] = row[2 * k]!;
        d.m2s[r * d.slots + k] = row[2 * k + 1]!;
      }
      d.counts[r] = row.length / 2;
    });
    d.used = state.buckets.length;
    while (d.used > 0 && d.counts[d.used - 1] === 0) d.used--;
    d.untilCheck = state.untilCheck;
    d.n = state.width;
    d.sum = state.total;
    d.m2 = state.m2;
    return d;
  }
}
