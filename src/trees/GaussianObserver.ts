import { type SplitCriterion, splitMerit } from './splitMerit.js';
import type { TreeRow } from './TreeRow.js';

/** Above this many inputs a leaf finds a feature's statistics through a Map, below through an Int32Array of slots. */
export const WIDE_INPUTS = 1024;

/** The best binary split a leaf's observer found: feature −1 when none. */
export interface SplitCandidate {
  feature: number;
  threshold: number;
  merit: number;
  /** Best merit among the other features (−∞ when there is none). */
  second: number;
  /** Estimated class weights of x ≤ threshold and of x > threshold. */
  left: Float64Array;
  right: Float64Array;
}

export interface GaussianObserverState {
  totals: number[];
  weight: number;
  /** Feature of each slot, in the order the leaf first saw them non-zero. */
  features: number[];
  /** Per slot and class (slot-major): weight, mean, M2, min and max of the non-zero values. */
  count: number[];
  mean: number[];
  m2: number[];
  min: number[];
  max: number[];
}

/** A density of 0 (a value a zero-variance class never took), as a log, so other features still rank the classes. */
const LOG_ZERO = -690;
const LN_2PI = Math.log(2 * Math.PI);
/** Zeros below this fraction of a class's weight are rounding (fractional weights), not rows. */
const ZERO_EPS = 1e-9;

// Scratch shared by every observer (JS runs one call at a time), grown to the widest class count.
let slotS = new Int32Array(64),
  valS = new Float64Array(64),
  muS = new Float64Array(8),
  sdS = new Float64Array(8),
  loS = new Float64Array(8),
  hiS = new Float64Array(8);

function growTerms(n: number): void {
  slotS = new Int32Array(2 * n);
  valS = new Float64Array(2 * n);
}

function scratch(k: number): void {
  if (muS.length >= k) return;
  muS = new Float64Array(k);
  sdS = new Float64Array(k);
  loS = new Float64Array(k);
  hiS = new Float64Array(k);
}

/**
 * The statistics one leaf keeps: per class its weight, and per (feature, class) a Gaussian
 * estimator of the feature's values, as MOA's GaussianNumericAttributeClassObserver (weighted
 * mean and variance by Welford's method, plus min and max per class).
 *
 * Implicit zeros: only non-zero values are recorded (an explicit 0 in `nz` is skipped exactly like
 * an absent one), and a feature's zeros are derived: a class's weight minus the weight of its
 * non-zero values. They add value 0 to the mean and variance and put 0 inside min..max. So a dense
 * row and the same row given sparsely leave identical statistics, and a leaf's memory is
 * (features it saw non-zero) × classes: slots are handed out on first sight (through an Int32Array
 * map up to WIDE_INPUTS inputs, a Map beyond), never O(inputs) per row.
 *
 * A leaf restricted to a random subset of features (ARF's random subspace) records only those.
 */
export class GaussianObserver {
  /** Weight per class this observer learned (not the leaf's inherited distribution). */
  readonly totals: Float64Array;
  weight = 0;
  /** Slots in use. */
  size = 0;
  private features: Int32Array;
  private count: Float64Array;
  private mean: Float64Array;
  private m2: Float64Array;
  private min: Float64Array;
  private max: Float64Array;
  /** Narrow inputs: feature → slot, −1 not yet seen, −2 outside the leaf's subset. */
  private readonly slotOf: Int32Array | null;
  /** Wide inputs: feature → slot. */
  private readonly slotMap: Map<number, number> | null;
  /** Wide inputs with a subset: the features this leaf may record. */
  private readonly allowed: Set<number> | null;

  constructor(
    readonly classes: number,
    inputs: number,
    subset: Int32Array | null,
    capacity = 8,
  ) {
    scratch(classes);
    this.totals = new Float64Array(classes);
    this.features = new Int32Array(capacity);
    const n = capacity * classes;
    this.count = new Float64Array(n);
    this.mean = new Float64Array(n);
    this.m2 = new Float64Array(n);
    this.min = new Float64Array(n);
    this.max = new Float64Array(n);
    if (inputs <= WIDE_INPUTS) {
      this.slotOf = new Int32Array(inputs).fill(subset === null ? -1 : -2);
      if (subset !== null) for (let k = 0; k < subset.length; k++) this.slotOf[subset[k]!] = -1;
      this.slotMap = null;
      this.allowed = null;
    } else {
      this.slotOf = null;
      this.slotMap = new Map();
      this.allowed = subset === null ? null : new Set(subset);
    }
  }

  private addSlot(f: number): number {
    const s = this.size++;
    if (s === this.features.length) {
      const cap = 2 * s,
        k = this.classes;
      const grow = (a: Float64Array) => {
        const b = new Float64Array(cap * k);
        b.set(a);
        return b;
      };
      const feats = new Int32Array(cap);
      feats.set(this.features);
      this.features = feats;
      this.count = grow(this.count);
      this.mean = grow(this.mean);
      this.m2 = grow(this.m2);
      this.min = grow(this.min);
      this.max = grow(this.max);
    }
    this.features[s] = f;
    return s;
  }

  /** Records row `row` of class y with weight w > 0. */
  update(row: TreeRow, y: number, w: number): void {
    const k = this.classes,
      x = row.x,
      nz = row.nz,
      n = row.n,
      so = this.slotOf;
    for (let j = 0; j < n; j++) {
      const f = nz[j]!,
        v = x[f]!;
      if (v === 0) continue;
      let s: number;
      if (so !== null) {
        s = so[f]!;
        if (s < 0) {
          if (s === -2) continue;
          s = this.addSlot(f);
          so[f] = s;
        }
      } else {
        const g = this.slotMap!.get(f);
        if (g === undefined) {
          if (this.allowed !== null && !this.allowed.has(f)) continue;
          s = this.addSlot(f);
          this.slotMap!.set(f, s);
        } else s = g;
      }
      const i = s * k + y,
        count = this.count,
        mean = this.mean,
        c0 = count[i]!,
        c1 = c0 + w;
      count[i] = c1;
      if (c0 === 0) {
        mean[i] = v;
        this.m2[i] = 0;
        this.min[i] = v;
        this.max[i] = v;
      } else {
        const m = mean[i]!,
          d = v - m,
          mu = m + (d * w) / c1;
        mean[i] = mu;
        this.m2[i] = this.m2[i]! + w * d * (v - mu);
        if (v < this.min[i]!) this.min[i] = v;
        if (v > this.max[i]!) this.max[i] = v;
      }
    }
    this.totals[y] = this.totals[y]! + w;
    this.weight += w;
  }

  /**
   * Mean, standard deviation, min and max of slot s's feature in class c, zeros included, into
   * the scratch at c. MOA's GaussianEstimator: the variance divides by weight − 1 (0 until the
   * weight passes 1).
   */
  private moments(s: number, c: number): void {
    const W = this.totals[c]!,
      i = s * this.classes + c,
      w = this.count[i]!;
    if (w === 0) {
      muS[c] = 0;
      sdS[c] = 0;
      loS[c] = 0;
      hiS[c] = 0;
      return;
    }
    let z = W - w;
    if (z < ZERO_EPS * W) z = 0;
    const m = this.mean[i]!;
    muS[c] = z === 0 ? m : (w * m) / W;
    const m2 = this.m2[i]! + (z === 0 ? 0 : ((w * z) / W) * m * m);
    sdS[c] = W > 1 && m2 > 0 ? Math.sqrt(m2 / (W - 1)) : 0;
    const lo = this.min[i]!,
      hi = this.max[i]!;
    loS[c] = z > 0 && lo > 0 ? 0 : lo;
    hiS[c] = z > 0 && hi < 0 ? 0 : hi;
  }

  /**
   * Adds to out[c] the naive Bayes log-likelihood Σ_f log p(x_f | c) of the row under the
   * per-class Gaussians (MOA's NaiveBayes.doNaiveBayesPrediction, in logs so that many features
   * do not underflow; a zero-variance class has density 1 at its value and 0 elsewhere, as MOA's
   * GaussianEstimator). Up to WIDE_INPUTS inputs every feature the leaf saw non-zero counts (a
   * feature it never saw is 0 in every class and ranks nothing); beyond, only the row's own
   * non-zeros count, so a prediction costs the row, not the leaf.
   */
  logLikelihood(row: TreeRow, out: Float64Array): void {
    const k = this.classes,
      x = row.x;
    // Gather the terms (slot, value), then one pass per class with its constants in registers.
    let m = 0;
    if (this.slotOf !== null) {
      m = this.size;
      if (slotS.length < m) growTerms(m);
      const feats = this.features;
      for (let s = 0; s < m; s++) {
        slotS[s] = s;
        valS[s] = x[feats[s]!]!;
      }
    } else {
      const nz = row.nz,
        map = this.slotMap!;
      if (slotS.length < row.n) growTerms(row.n);
      for (let j = 0; j < row.n; j++) {
        const f = nz[j]!,
          v = x[f]!;
        if (v === 0) continue;
        const s = map.get(f);
        if (s === undefined) continue;
        slotS[m] = s;
        valS[m++] = v;
      }
    }
    const count = this.count,
      mean = this.mean,
      m2 = this.m2;
    for (let c = 0; c < k; c++) {
      const W = this.totals[c]!;
      if (W === 0) {
        // A class this leaf has not seen has no estimator: density 0 for every term, as in MOA.
        out[c] = out[c]! + m * LOG_ZERO;
        continue;
      }
      const invW = 1 / W,
        invW1 = W > 1 ? 1 / (W - 1) : 0,
        zeroEps = ZERO_EPS * W;
      // −2 log N(v; μ, σ²) = (v−μ)²/σ² + ln 2π + ln σ²: the ln σ² multiply into one log per class.
      let acc = 0,
        gaussians = 0,
        prod = 1,
        lg = 0;
      for (let j = 0; j < m; j++) {
        const i = slotS[j]! * k + c,
          w = count[i]!;
        let mu = 0,
          variance = 0;
        if (w !== 0) {
          const z = W - w,
            mm = mean[i]!;
          if (z < zeroEps) {
            mu = mm;
            variance = m2[i]! * invW1;
          } else {
            mu = w * mm * invW;
            variance = (m2[i]! + w * z * invW * mm * mm) * invW1;
          }
        }
        const d = valS[j]! - mu;
        if (variance > 1e-300) {
          acc += (d * d) / variance;
          gaussians++;
          prod *= variance;
          if (prod > 1e250 || prod < 1e-250) {
            lg -= 0.5 * Math.log(prod);
            prod = 1;
          }
        } else if (Math.abs(d) > 1e-12 * (Math.abs(mu) + 1e-300)) lg += LOG_ZERO;
      }
      out[c] = out[c]! - 0.5 * (acc + gaussians * LN_2PI + Math.log(prod)) + lg;
    }
  }

  /**
   * Searches every feature for its best binary split x ≤ t (MOA's Gaussian observer): `bins`
   * thresholds evenly spaced strictly inside the feature's overall min..max; a class's weight goes
   * wholly right below its own min, wholly left at or above its max, and between them by its
   * Gaussian CDF. A feature whose non-zero values are one value v in every class (a 0/1 column,
   * a one-hot category) has one exact split, zeros against v: the binary nominal split.
   * Fills `out` with the best feature and the best merit among the other features.
   */
  bestSplit(criterion: SplitCriterion, bins: number, out: SplitCandidate): void {
    const k = this.classes,
      L = new Float64Array(k),
      R = new Float64Array(k),
      totals = this.totals;
    out.feature = -1;
    out.threshold = 0;
    out.merit = -Infinity;
    out.second = -Infinity;
    const bl = new Float64Array(k),
      br = new Float64Array(k);
    for (let s = 0; s < this.size; s++) {
      let lo = Infinity,
        hi = -Infinity,
        single = true,
        value = NaN;
      for (let c = 0; c < k; c++) {
        if (totals[c] === 0) continue;
        this.moments(s, c);
        const i = s * k + c;
        if (this.count[i]! > 0) {
          const a = this.min[i]!,
            b = this.max[i]!;
          if (a !== b || (value === value && value !== a)) single = false;
          value = a;
        }
        if (loS[c]! < lo) lo = loS[c]!;
        if (hiS[c]! > hi) hi = hiS[c]!;
      }
      if (!(hi > lo)) continue;
      let best = -Infinity,
        bestT = 0;
      if (single) {
        // Zeros and v: the exact counts, split halfway.
        const t = value / 2;
        for (let c = 0; c < k; c++) {
          const W = totals[c]!,
            w = this.count[s * k + c]!;
          const zeros = Math.max(0, W - w);
          if (value > 0) {
            L[c] = zeros;
            R[c] = w;
          } else {
            L[c] = w;
            R[c] = zeros;
          }
        }
        best = splitMerit(criterion, L, R, k);
        bestT = t;
        bl.set(L);
        br.set(R);
      } else {
        const step = (hi - lo) / (bins + 1);
        for (let b = 1; b <= bins; b++) {
          const t = lo + step * b;
          if (!(t > lo && t < hi)) continue;
          for (let c = 0; c < k; c++) {
            const W = totals[c]!;
            if (W === 0) {
              L[c] = 0;
              R[c] = 0;
            } else if (t < loS[c]!) {
              L[c] = 0;
              R[c] = W;
            } else if (t >= hiS[c]!) {
              L[c] = W;
              R[c] = 0;
            } else {
              const sd = sdS[c]!;
              const l = sd > 0 ? W * normalCdf((t - muS[c]!) / sd) : t >= muS[c]! ? W : 0;
              L[c] = l;
              R[c] = W - l;
            }
          }
          const m = splitMerit(criterion, L, R, k);
          if (m > best) {
            best = m;
            bestT = t;
            bl.set(L);
            br.set(R);
          }
        }
      }
      if (best > out.merit) {
        out.second = out.merit;
        out.merit = best;
        out.feature = this.features[s]!;
        out.threshold = bestT;
        out.left.set(bl);
        out.right.set(br);
      } else if (best > out.second) out.second = best;
    }
  }

  toJSON(): GaussianObserverState {
    const n = this.size * this.classes;
    const arr = (a: Float64Array) => Array.from(a.subarray(0, n));
    return {
      totals: Array.from(this.totals),
      weight: this.weight,
      features: Array.from(this.features.subarray(0, this.size)),
      count: arr(this.count),
      mean: arr(this.mean),
      m2: arr(this.m2),
      min: arr(this.min),
      max: arr(this.max),
    };
  }

  static fromJSON(state: GaussianObserverState, classes: number, inputs: number, subset: Int32Array | null): GaussianObserver {
    const size = state.features.length;
    const o = new GaussianObserver(classes, inputs, subset, Math.max(8, size));
    o.totals.set(state.totals);
    o.weight = state.weight;
    for (let s = 0; s < size; s++) {
      const f = state.features[s]!;
      o.addSlot(f);
      if (o.slotOf !== null) o.slotOf[f] = s;
      else o.slotMap!.set(f, s);
    }
    o.count.set(state.count);
    o.mean.set(state.mean);
    o.m2.set(state.m2);
    o.min.set(state.min);
    o.max.set(state.max);
    return o;
  }
}

/**
 * Φ(z), the standard normal CDF, through erfc by Numerical Recipes' Chebyshev fit (erfcc,
 * fractional error < 1.2e-7): ample for ranking split points.
 */
function normalCdf(z: number): number {
  const x = -z / Math.SQRT2,
    a = Math.abs(x),
    t = 1 / (1 + 0.5 * a);
  const r =
    t *
    Math.exp(
      -a * a -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  // erfc(x) = r for x ≥ 0, 2 − r below; Φ(z) = erfc(−z/√2)/2.
  return 0.5 * (x >= 0 ? r : 2 - r);
}
