import { OptionReader, SpecError } from '../core/index.js';
import { DetectorBase } from './DetectorBase.js';
import type { DriftDetector, DriftDetectorState } from './DriftDetector.js';
import { DriftInputError } from './DriftInputError.js';
import type { DriftSignal } from './DriftSignal.js';

export interface HDDMAOptions {
  /** α_D: confidence of the drift test (default 0.001). */
  driftConfidence?: number;
  /** α_W: confidence of the warning test (default 0.005). */
  warningConfidence?: number;
  /** Also detect falls of the mean (default false: only rises, as of an error rate). */
  twoSided?: boolean;
}

export interface HDDMAState extends DriftDetectorState {
  kind: 'hddmA';
  options: Required<HDDMAOptions>;
  n: number;
  sum: number;
  nMin: number;
  sumMin: number;
  nMax: number;
  sumMax: number;
}

/**
 * HDDM-A, the Hoeffding drift detection method with the A-test on moving averages (Frías-Blanco,
 * del Campo-Ávila, Ramos-Jiménez, Morales-Bueno, Ortiz-Díaz & Caballero-Mota, "Online and
 * Non-Parametric Drift Detection Methods Based on Hoeffding's Bounds", IEEE TKDE 27(3), 2015).
 * Input: values in [0, 1] (errors 0/1, or a bounded loss). With X̄_n the mean of all n rows since
 * the last restart and ε_n = sqrt(ln(1/α_D) / (2n)) its Hoeffding bound, the cut point is the row
 * where X̄_cut + ε_cut was lowest; the mean has risen when
 * X̄_n − X̄_cut ≥ sqrt((n − cut) / (2·cut·n) · ln(2/α)), with α = α_D for a drift (then the
 * statistics restart) and α = α_W for a warning. Two-sided, falls are tested the same way against
 * the row where X̄ − ε was highest. The bounds are those of the authors' MOA implementation.
 *
 * Defaults: drift confidence 0.001, warning confidence 0.005, one-sided, as River documents them
 * (drift_confidence, warning_confidence, two_sided_test=False). O(1) memory and time.
 */
export class HDDMA extends DetectorBase implements DriftDetector {
  readonly kind = 'hddmA';
  readonly driftConfidence: number;
  readonly warningConfidence: number;
  readonly twoSided: boolean;
  private readonly lnCut: number;
  private readonly lnDrift: number;
  private readonly lnWarning: number;
  private n = 0;
  private sum = 0;
  private nMin = 0;
  private sumMin = 0;
  private nMax = 0;
  private sumMax = 0;

  constructor(options: HDDMAOptions = {}) {
    super();
    const o = new OptionReader('hddmA', options as Record<string, unknown>);
    this.driftConfidence = o.number('driftConfidence', 0.001, 0, 1, '()');
    this.warningConfidence = o.number('warningConfidence', 0.005, 0, 1, '()');
    this.twoSided = o.bool('twoSided', false);
    o.done();
    if (this.warningConfidence < this.driftConfidence)
      throw new SpecError('hddmA.warningConfidence', `expected a number ≥ driftConfidence (${this.driftConfidence}), got ${this.warningConfidence}`);
    this.lnCut = Math.log(1 / this.driftConfidence);
    this.lnDrift = Math.log(2 / this.driftConfidence);
    this.lnWarning = Math.log(2 / this.warningConfidence);
  }

  /** Mean since the last restart (NaN before any row). */
  get estimate(): number {
    return this.n > 0 ? this.sum / this.n : NaN;
  }

  update(x: number): DriftSignal {
    if (!(x >= 0 && x <= 1)) throw new DriftInputError('hddmA', this.nRows + 1, x, 'a number in [0, 1]');
    this.nRows++;
    const n = ++this.n;
    const sum = (this.sum += x);
    if (this.nMin === 0) {
      this.nMin = n;
      this.sumMin = sum;
      this.nMax = n;
      this.sumMax = sum;
    }
    const mean = sum / n,
      eps = Math.sqrt(this.lnCut / (2 * n));
    if (this.sumMin / this.nMin + Math.sqrt(this.lnCut / (2 * this.nMin)) >= mean + eps) {
      this.nMin = n;
      this.sumMin = sum;
    }
    if (this.sumMax / this.nMax - Math.sqrt(this.lnCut / (2 * this.nMax)) <= mean - eps) {
      this.nMax = n;
      this.sumMax = sum;
    }
    if (this.rose(this.lnDrift) || (this.twoSided && this.fell(this.lnDrift))) {
      this.restart();
      return this.emit('drift');
    }
    return this.emit(this.rose(this.lnWarning) || (this.twoSided && this.fell(this.lnWarning)) ? 'warning' : 'none');
  }

  /** X̄_n − X̄_cut ≥ sqrt(m/2 · ln(2/α)), m = (n − cut)/(cut·n). */
  private rose(ln: number): boolean {
    const n = this.n,
      cut = this.nMin;
    if (cut === n) return false;
    return this.sum / n - this.sumMin / cut >= Math.sqrt(((n - cut) / (cut * n) / 2) * ln);
  }

  private fell(ln: number): boolean {
    const n = this.n,
      cut = this.nMax;
    if (cut === n) return false;
    return this.sumMax / cut - this.sum / n >= Math.sqrt(((n - cut) / (cut * n) / 2) * ln);
  }

  reset(): void {
    this.resetCounters();
    this.restart();
  }

  private restart(): void {
    this.n = 0;
    this.sum = 0;
    this.nMin = 0;
    this.sumMin = 0;
    this.nMax = 0;
    this.sumMax = 0;
  }

  toJSON(): HDDMAState {
    return {
      kind: 'hddmA',
      options: { driftConfidence: this.driftConfidence, warningConfidence: this.warningConfidence, twoSided: this.twoSided },
      ...this.counters(),
      n: this.n,
      sum: this.sum,
      nMin: this.nMin,
      sumMin: this.sumMin,
      nMax: this.nMax,
      sumMax: this.sumMax,
    };
  }

  static fromJSON(state: HDDMAState): HDDMA {
    DetectorBase.checkKind(state, 'hddmA');
    const d = new HDDMA(state.options);
    d.restoreCounters(state);
    d.n = state.n;
    d.sum = state.sum;
    d.nMin = state.nMin;
    d.sumMin = state.sumMin;
    d.nMax = state.nMax;
    d.sumMax = state.sumMax;
    return d;
  }
}
