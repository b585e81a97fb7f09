/** Serialized RunningMoments. */
export interface RunningMomentsState {
  count: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

/**
 * Count, mean, variance, min and max of a stream, numerically stable: each batch is reduced with
 * a two-pass mean / sum of squared deviations and merged with Chan et al.'s pairwise update, so a
 * large common offset (1e9 + small noise) costs no precision, unlike sum / sum-of-squares.
 * Mergeable (`merge`) and serializable.
 */
export class RunningMoments {
  count = 0;
  mean = 0;
  /** Sum of squared deviations from the mean. */
  m2 = 0;
  min = Infinity;
  max = -Infinity;

  /** Adds one value (callers pass finite values only). */
  add(x: number): void {
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /**
   * Adds `values[i]` for the rows where `keep` is null or `keep[i]` is non-zero (callers pass
   * finite values only for kept rows).
   */
  addMany(values: ArrayLike<number>, keep: Uint8Array | null = null, n = values.length): void {
    // Dispatch once per call to a loop over one typed-array kind: a shared loop over several kinds
    // is polymorphic and several times slower. Same arithmetic, same order, in every variant.
    const r =
      values instanceof Float64Array
        ? keep
          ? sumF64Keep(values, keep, n)
          : sumF64(values, n)
        : values instanceof Int32Array
          ? keep
            ? sumI32Keep(values, keep, n)
            : sumI32(values, n)
          : sumAny(values, keep, n);
    this.finish(values, keep, n, r[0]!, r[1]!, r[2]!, r[3]!);
  }

  /**
   * Adds the first `n` values when every one is finite and returns true; otherwise adds nothing
   * and returns false (the caller then masks). One pass fewer than finding the non-finite rows
   * first: a sum with a NaN or ±Infinity term is not finite (a finite sum that overflows only
   * sends the caller to its masked path, which gives the same result).
   */
  addAllFinite(values: ArrayLike<number>, n = values.length): boolean {
    if (values instanceof Int32Array) {
      this.addI32(values, n);
      return true;
    }
    const r = values instanceof Float64Array ? sumF64(values, n) : values instanceof Int32Array ? sumI32(values, n) : sumAny(values, null, n);
    if (r[1]! - r[1]! !== 0) return false;
    this.finish(values, null, n, r[0]!, r[1]!, r[2]!, r[3]!);
    return true;
  }

  /**
   * Every one of n int32 values, in one pass when it can be exact: the sum and the sum of squares
   * of integers are exact doubles while c·Σx² stays under 2^53 (pixels, counts, codes), and then
   * m2 = (c·Σx² − (Σx)²) / c is rounded once, more accurate than the two-pass sums (which the
   * larger cases still take). A wide file's integer columns are read once instead of twice.
   */
  private addI32(values: Int32Array, n: number): void {
    const r = sumSqI32(values, n);
    const s = r[1]!,
      q = r[4]!;
    if (n === 0) return;
    if (!(n * q <= 2 ** 53)) {
      this.finish(values, null, n, n, s, r[2]!, r[3]!);
      return;
    }
    this.combine(n, s / n, (n * q - s * s) / n, r[2]!, r[3]!);
  }

  /**
   * [n, Σx, min, max, Σx²] of n int32 values in row order (a shared scratch array: read it before
   * the next call). Exposed for steps that fold these sums into more than one summary.
   */
  static int32Sums(values: Int32Array, n: number): Float64Array {
    return sumSqI32(values, n);
  }

  /** Second half of addMany: c kept values summing to s, with min mn and max mx. */
  private finish(values: ArrayLike<number>, keep: Uint8Array | null, n: number, c: number, s: number, mn: number, mx: number): void {
    if (c === 0) return;
    // Second pass around the batch mean; the correction term absorbs the rounding of `s / c`.
    const m = s / c;
    const d =
      values instanceof Float64Array
        ? keep
          ? devF64Keep(values, keep, n, m)
          : devF64(values, n, m)
        : values instanceof Int32Array
          ? keep
            ? devI32Keep(values, keep, n, m)
            : devI32(values, n, m)
          : devAny(values, keep, n, m);
    const ss = d[0]!,
      comp = d[1]!;
    this.combine(c, m + comp / c, ss - (comp * comp) / c, mn, mx);
  }

  merge(other: RunningMoments): this {
    if (other.count > 0) this.combine(other.count, other.mean, other.m2, other.min, other.max);
    return this;
  }

  private combine(c: number, m: number, m2: number, mn: number, mx: number): void {
    if (this.count === 0) {
      this.count = c;
      this.mean = m;
      this.m2 = m2;
    } else {
      const n = this.count + c;
      const d = m - this.mean;
      this.mean += (d * c) / n;
      this.m2 += m2 + (d * d * this.count * c) / n;
      this.count = n;
    }
    if (mn < this.min) this.min = mn;
    if (mx > this.max) this.max = mx;
  }

  /** Population variance (divides by n); 0 for fewer than two values. */
  get variance(): number {
    return this.count > 1 ? Math.max(0, this.m2 / this.count) : 0;
  }

  /** Sample variance (divides by n-1). */
  get sampleVariance(): number {
    return this.count > 1 ? Math.max(0, this.m2 / (this.count - 1)) : 0;
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }

  toJSON(): RunningMomentsState {
    // JSON has no Infinity: an empty summary stores min/max as null-like sentinels below.
    return { count: this.count, mean: this.mean, m2: this.m2, min: this.count ? this.min : 0, max: this.count ? this.max : 0 };
  }

  static fromJSON(s: RunningMomentsState): RunningMoments {
    const r = new RunningMoments();
    r.count = s.count;
    r.mean = s.mean;
    r.m2 = s.m2;
    r.min = s.count ? s.min : Infinity;
    r.max = s.count ? s.max : -Infinity;
    return r;
  }
}

/** Scratch results of the reduction loops: [count, sum, min, max] and [ss, comp]. */
const SUM = new Float64Array(4);
const DEV = new Float64Array(2);
const SUMSQ = new Float64Array(5);

function sumF64(v: Float64Array, n: number): Float64Array {
  let s = 0,
    mn = Infinity,
    mx = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    s += x;
    if (x < mn) mn = x;
    if (x > mx) mx = x;
  }
  SUM[0] = n;
  SUM[1] = s;
  SUM[2] = mn;
  SUM[3] = mx;
  return SUM;
}

/** [n, Σx, min, max, Σx²] of int32 values. */
function sumSqI32(v: Int32Array, n: number): Float64Array {
  let s = 0,
    q = 0,
    mn = Infinity,
    mx = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    s += x;
    q += x * x;
    if (x < mn) mn = x;
    if (x > mx) mx = x;
  }
  SUMSQ[0] = n;
  SUMSQ[1] = s;
  SUMSQ[2] = mn;
  SUMSQ[3] = mx;
  SUMSQ[4] = q;
  return SUMSQ;
}

function sumF64Keep(v: Float64Array, keep: Uint8Array, n: number): Float64Array {
  let c = 0,
    s = 0,
    mn = Infinity,
    mx = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const x = v[i]!;
    c++;
    s += x;
    if (x < mn) mn = x;
    if (x > mx) mx = x;
  }
  SUM[0] = c;
  SUM[1] = s;
  SUM[2] = mn;
  SUM[3] = mx;
  return SUM;
}

function sumI32(v: Int32Array, n: number): Float64Array {
  let s = 0,
    mn = Infinity,
    mx = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    s += x;
    if (x < mn) mn = x;
    if (x > mx) mx = x;
  }
  SUM[0] = n;
  SUM[1] = s;
  SUM[2] = mn;
  SUM[3] = mx;
  return SUM;
}

function sumI32Keep(v: Int32Array, keep: Uint8Array, n: number): Float64Array {
  let c = 0,
    s = 0,
    mn = Infinity,
    mx = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const x = v[i]!;
    c++;
    s += x;
    if (x < mn) mn = x;
    if (x > mx) mx = x;
  }
  SUM[0] = c;
  SUM[1] = s;
  SUM[2] = mn;
  SUM[3] = mx;
  return SUM;
}

function sumAny(v: ArrayLike<number>, keep: Uint8Array | null, n: number): Float64Array {
  let c = 0,
    s = 0,
    mn = Infinity,
    mx = -Infinity;
  for (let i = 0; i < n; i++) {
    if (keep && !keep[i]) continue;
    const x = v[i]!;
    c++;
    s += x;
    if (x < mn) mn = x;
    if (x > mx) mx = x;
  }
  SUM[0] = c;
  SUM[1] = s;
  SUM[2] = mn;
  SUM[3] = mx;
  return SUM;
}

function devF64(v: Float64Array, n: number, m: number): Float64Array {
  let ss = 0,
    comp = 0;
  for (let i = 0; i < n; i++) {
    const d = v[i]! - m;
    ss += d * d;
    comp += d;
  }
  DEV[0] = ss;
  DEV[1] = comp;
  return DEV;
}

function devF64Keep(v: Float64Array, keep: Uint8Array, n: number, m: number): Float64Array {
  let ss = 0,
    comp = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const d = v[i]! - m;
    ss += d * d;
    comp += d;
  }
  DEV[0] = ss;
  DEV[1] = comp;
  return DEV;
}

function devI32(v: Int32Array, n: number, m: number): Float64Array {
  let ss = 0,
    comp = 0;
  for (let i = 0; i < n; i++) {
    const d = v[i]! - m;
    ss += d * d;
    comp += d;
  }
  DEV[0] = ss;
  DEV[1] = comp;
  return DEV;
}

function devI32Keep(v: Int32Array, keep: Uint8Array, n: number, m: number): Float64Array {
  let ss = 0,
    comp = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const d = v[i]! - m;
    ss += d * d;
    comp += d;
  }
  DEV[0] = ss;
  DEV[1] = comp;
  return DEV;
}

function devAny(v: ArrayLike<number>, keep: Uint8Array | null, n: number, m: number): Float64Array {
  let ss = 0,
    comp = 0;
  for (let i = 0; i < n; i++) {
    if (keep && !keep[i]) continue;
    const d = v[i]! - m;
    ss += d * d;
    comp += d;
  }
  DEV[0] = ss;
  DEV[1] = comp;
  return DEV;
}
