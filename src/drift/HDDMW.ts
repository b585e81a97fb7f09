import { OptionReader, SpecError } from '../core/index.js';
import { DetectorBase } from './DetectorBase.js';
import type { DriftDetector, DriftDetectorState } from './DriftDetector.js';
import { DriftInputError } from './DriftInputError.js';
import type { DriftSignal } from './DriftSignal.js';

export interface HDDMWOptions {
  /** α_D: confidence of the drift test (default 0.001). */
  driftConfidence?: number;
  /** α_W: confidence of the warning test (default 0.005). */
  warningConfidence?: number;
  /** λ: weight of the newest row in the moving averages (default 0.05); larger forgets faster. */
  lambda?: number;
  /** Also detect falls of the mean (default false: only rises, as of an error rate). */
  twoSided?: boolean;
}

/** An exponentially weighted mean and the sum of its squared weights (McDiarmid's D). */
interface Ewma {
  mean: number;
  d: number;
  /** Rows folded in; 0 when empty. */
  n: number;
}

export interface HDDMWState extends DriftDetectorState {
  kind: 'hddmW';
  options: Required<HDDMWOptions>;
  total: Ewma;
  upCut: number | null;
  upBefore: Ewma;
  upAfter: Ewma;
  downCut: number | null;
  downBefore: Ewma;
  downAfter: Ewma;
}

/**
 * HDDM-W, the Hoeffding drift detection method with the W-test on weighted moving averages
 * (Frías-Blanco et al., "Online and Non-Parametric Drift Detection Methods Based on Hoeffding's
 * Bounds", IEEE TKDE 27(3), 2015). Input: values in [0, 1]. Each average is an EWMA,
 * X̂ ← λx + (1 − λ)X̂, and D ← λ² + (1 − λ)²D (the sum of its squared weights) gives McDiarmid's
 * bound ε = sqrt(D · ln(1/α) / 2). The cut point is the row where X̂ + ε_D was lowest: the EWMA
 * there is kept, and a second EWMA restarts on the rows after it. The mean has risen when
 * X̂_after − X̂_cut > sqrt((D_cut + D_after) · ln(1/α) / 2), with α = α_D for a drift (then all
 * statistics restart) and α_W for a warning. Two-sided, falls are tested the same way from the
 * row where X̂ − ε_D was highest.
 *
 * Defaults: drift confidence 0.001, warning confidence 0.005, λ = 0.05, one-sided, as River
 * documents them (lambda_val 0.05, two_sided_test=False). O(1) memory and time.
 */
export class HDDMW extends DetectorBase implements DriftDetector {
  readonly kind = 'hddmW';
  readonly driftConfidence: number;
  readonly warningConfidence: number;
  readonly lambda: number;
  readonly twoSided: boolean;
  private readonly lnDrift: number;
  private readonly lnWarning: number;
  private total: Ewma = empty();
  private upCut = Infinity;
  private upBefore: Ewma = empty();
  private upAfter: Ewma = empty();
  private downCut = -Infinity;
  private downBefore: Ewma = empty();
  private downAfter: Ewma = empty();

  constructor(options: HDDMWOptions = {}) {
    super();
    const o = new OptionReader('hddmW', options as Record<string, unknown>);
    this.driftConfidence = o.number('driftConfidence', 0.001, 0, 1, '()');
    this.warningConfidence = o.number('warningConfidence', 0.005, 0, 1, '()');
    this.lambda = o.number('lambda', 0.05, 0, 1, '(]');
    this.twoSided = o.bool('twoSided', false);
    o.done();
    if (this.warningConfidence < this.driftConfidence)
      throw new SpecError('hddmW.warningConfidence', `expected a number ≥ driftConfidence (${this.driftConfidence}), got ${this.warningConfidence}`);
    this.lnDrift = Math.log(1 / this.driftConfidence);
    this.lnWarning = Math.log(1 / this.warningConfidence);
  }

  /** The EWMA of the rows since the last restart (NaN before any). */
  get estimate(): number {
    return this.total.n > 0 ? this.total.mean : NaN;
  }

  update(x: number): DriftSignal {
    if (!(x >= 0 && x <= 1)) throw new DriftInputError('hddmW', this.nRows + 1, x, 'a number in [0, 1]');
    this.nRows++;
    const t = this.total;
    this.fold(t, x);
    const eps = Math.sqrt((t.d * this.lnDrift) / 2);
    if (t.mean + eps < this.upCut) {
      this.upCut = t.mean + eps;
      copy(t, this.upBefore);
      clear(this.upAfter);
    } else this.fold(this.upAfter, x);
    if (this.twoSided) {
      if (t.mean - eps > this.downCut) {
        this.downCut = t.mean - eps;
        copy(t, this.downBefore);
        clear(this.downAfter);
      } else this.fold(this.downAfter, x);
    }
    if (rose(this.upBefore, this.upAfter, this.lnDrift) || (this.twoSided && rose(this.downAfter, this.downBefore, this.lnDrift))) {
      this.restart();
      return this.emit('drift');
    }
    const warn = rose(this.upBefore, this.upAfter, this.lnWarning) || (this.twoSided && rose(this.downAfter, this.downBefore, this.lnWarning));
    return this.emit(warn ? 'warning' : 'none');
  }

  private fold(e: Ewma, x: number): void {
    const l = this.lambda,
      k = 1 - l;
    if (e.n === 0) {
      e.mean = x;
      e.d = 1;
    } else {
      e.mean = l * x + k * e.mean;
      e.d = l * l + k * k * e.d;
    }
    e.n++;
  }

  reset(): void {
    this.resetCounters();
    this.restart();
  }

  private restart(): void {
    for (const e of [this.total, this.upBefore, this.upAfter, this.downBefore, this.downAfter]) clear(e);
    this.upCut = Infinity;
    this.downCut = -Infinity;
  }

  toJSON(): HDDMWState {
    return {
      kind: 'hddmW',
      options: { driftConfidence: this.driftConfidence, warningConfidence: this.warningConfidence, lambda: this.lambda, twoSided: this.twoSided },
      ...this.counters(),
      total: { ...this.total },
      upCut: Number.isFinite(this.upCut) ? this.upCut : null,
      upBefore: { ...this.upBefore },
      upAfter: { ...this.upAfter },
      downCut: Number.isFinite(this.downCut) ? this.downCut : null,
      downBefore: { ...this.downBefore },
      downAfter: { ...this.downAfter },
    };
  }

  static fromJSON(state: HDDMWState): HDDMW {
    DetectorBase.checkKind(state, 'hddmW');
    const d = new HDDMW(state.options);
    d.restoreCounters(state);
    copy(state.total, d.total);
    d.upCut = state.upCut ?? Infinity;
    copy(state.upBefore, d.upBefore);
    copy(state.upAfter, d.upAfter);
    d.downCut = state.downCut ?? -Infinity;
    copy(state.downBefore, d.downBefore);
    copy(state.downAfter, d.downAfter);
    return d;
  }
}

function empty(): Ewma {
  return { mean: 0, d: 0, n: 0 };
}

function clear(e: Ewma): void {
  e.mean = 0;
  e.d = 0;
  e.n = 0;
}

function copy(from: Ewma, to: Ewma): void {
  to.mean = from.mean;
  to.d = from.d;
  to.n = from.n;
}

/** `after` exceeds `before` by more than McDiarmid's bound on their difference. */
function rose(before: Ewma, after: Ewma, ln: number): boolean {
  if (before.n === 0 || after.n === 0) return false;
  return after.mean - before.mean > Math.sqrt(((before.d + after.d) * ln) / 2);
}
