import { OptionReader, SpecError } from '../core/index.js';
import { DetectorBase } from './DetectorBase.js';
import type { DriftDetector, DriftDetectorState } from './DriftDetector.js';
import { DriftInputError } from './DriftInputError.js';
import type { DriftSignal } from './DriftSignal.js';

export interface DDMOptions {
  /** Rows since the last restart before a warning or drift can be signalled (default 30). */
  warmStart?: number;
  /** Warning when p + s ≥ p_min + warningThreshold · s_min (default 2, about 95% confidence). */
  warningThreshold?: number;
  /** Drift when p + s ≥ p_min + driftThreshold · s_min (default 3, about 99%). */
  driftThreshold?: number;
}

export interface DDMState extends DriftDetectorState {
  kind: 'ddm';
  options: Required<DDMOptions>;
  n: number;
  p: number;
  pMin: number | null;
  sMin: number | null;
}

/**
 * DDM, the drift detection method (Gama, Medas, Castillo & Rodrigues, "Learning with Drift
 * Detection", SBIA 2004). The input is a stream of errors (1) and correct predictions (0), whose
 * error rate p_i, with s_i = sqrt(p_i (1 − p_i) / i), falls or holds while the concept is
 * stable. The detector records p_min and s_min where p_i + s_i is lowest; after `warmStart` rows
 * it warns when p_i + s_i ≥ p_min + 2·s_min and signals a drift when p_i + s_i ≥ p_min + 3·s_min,
 * then restarts its statistics.
 *
 * One guard beyond the paper: a minimum with s = 0 (no error yet, or only errors) is not
 * recorded, since it would make the first error after the warm-up a drift, whatever the rate.
 * Defaults are the paper's levels (2 and 3) and its 30-row minimum, as River (warm_start 30,
 * warning_threshold 2.0, drift_threshold 3.0) and MOA document them.
 */
export class DDM extends DetectorBase implements DriftDetector {
  readonly kind = 'ddm';
  readonly warmStart: number;
  readonly warningThreshold: number;
  readonly driftThreshold: number;
  private n = 0;
  private p = 0;
  private pMin = Infinity;
  private sMin = Infinity;

  constructor(options: DDMOptions = {}) {
    super();
    const o = new OptionReader('ddm', options as Record<string, unknown>);
    this.warmStart = o.int('warmStart', 30, 1);
    this.warningThreshold = o.number('warningThreshold', 2, 0, Infinity, '()');
    this.driftThreshold = o.number('driftThreshold', 3, 0, Infinity, '()');
    o.done();
    if (this.driftThreshold < this.warningThreshold)
      throw new SpecError('ddm.driftThreshold', `expected a number ≥ warningThreshold (${this.warningThreshold}), got ${this.driftThreshold}`);
  }

  /** Error rate since the last restart (NaN before any row). */
  get estimate(): number {
    return this.n > 0 ? this.p : NaN;
  }

  update(x: number): DriftSignal {
    if (x !== 0 && x !== 1) throw new DriftInputError('ddm', this.nRows + 1, x, '0 (correct) or 1 (error)');
    this.nRows++;
    const n = ++this.n;
    const p = this.p + (x - this.p) / n;
    this.p = p;
    if (n < this.warmStart) return this.emit('none');
    const s = Math.sqrt((p * (1 - p)) / n);
    if (s > 0 && p + s <= this.pMin + this.sMin) {
      this.pMin = p;
      this.sMin = s;
    }
    if (this.sMin === Infinity) return this.emit('none');
    if (p + s >= this.pMin + this.driftThreshold * this.sMin) {
      this.restart();
      return this.emit('drift');
    }
    return this.emit(p + s >= this.pMin + this.warningThreshold * this.sMin ? 'warning' : 'none');
  }

  reset(): void {
    this.resetCounters();
    this.restart();
  }

  private restart(): void {
    this.n = 0;
    this.p = 0;
    this.pMin = Infinity;
    this.sMin = Infinity;
  }

  toJSON(): DDMState {
    return {
      kind: 'ddm',
      options: { warmStart: this.warmStart, warningThreshold: this.warningThreshold, driftThreshold: this.driftThreshold },
      ...this.counters(),
      n: this.n,
      p: this.p,
      pMin: Number.isFinite(this.pMin) ? this.pMin : null,
      sMin: Number.isFinite(this.sMin) ? this.sMin : null,
    };
  }

  static fromJSON(state: DDMState): DDM {
    DetectorBase.checkKind(state, 'ddm');
    const d = new DDM(state.options);
    d.restoreCounters(state);
    d.n = state.n;
    d.p = state.p;
    d.pMin = state.pMin ?? Infinity;
    d.sMin = state.sMin ?? Infinity;
    return d;
  }
}
