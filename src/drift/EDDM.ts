import { OptionReader, SpecError } from '../core/index.js';
import { DetectorBase } from './DetectorBase.js';
import type { DriftDetector, DriftDetectorState } from './DriftDetector.js';
import { DriftInputError } from './DriftInputError.js';
import type { DriftSignal } from './DriftSignal.js';

export interface EDDMOptions {
  /** Errors since the last restart before the maximum is recorded and a change can be signalled (default 30). */
  warmStart?: number;
  /** Warning when (p' + 2s') / (p'max + 2s'max) < alpha (default 0.95). */
  alpha?: number;
  /** Drift when (p' + 2s') / (p'max + 2s'max) < beta (default 0.9). */
  beta?: number;
}

export interface EDDMState extends DriftDetectorState {
  kind: 'eddm';
  options: Required<EDDMOptions>;
  n: number;
  errors: number;
  lastError: number;
  mean: number;
  m2: number;
  max: number | null;
  inWarning: boolean;
}

/**
 * EDDM, the early drift detection method (Baena-García, del Campo-Ávila, Fidalgo, Bifet, Gavaldà &
 * Morales-Bueno, "Early Drift Detection Method", 4th Int. Workshop on Knowledge Discovery from
 * Data Streams, 2006). Input: errors (1) and correct predictions (0). It follows the distance in
 * rows between consecutive errors: its running mean p' and standard deviation s', and the maximum
 * of p' + 2s'. Distances shrink when errors become more frequent, so after `warmStart` errors it
 * warns when (p' + 2s') / max < α and signals a drift when the ratio < β, then restarts. It reacts
 * to gradual changes earlier than DDM. The zone is judged at each error; a warning holds over the
 * correct rows that follow it.
 *
 * Defaults are the paper's (α = 0.95, β = 0.90, 30 errors before detection), as River documents
 * them (warm_start 30, alpha 0.95, beta 0.9) and MOA fixes them.
 */
export class EDDM extends DetectorBase implements DriftDetector {
  readonly kind = 'eddm';
  readonly warmStart: number;
  readonly alpha: number;
  readonly beta: number;
  private n = 0;
  private errors = 0;
  private lastError = 0;
  private mean = 0;
  private m2 = 0;
  private max = -Infinity;
  private inWarning = false;

  constructor(options: EDDMOptions = {}) {
    super();
    const o = new OptionReader('eddm', options as Record<string, unknown>);
    this.warmStart = o.int('warmStart', 30, 1);
    this.alpha = o.number('alpha', 0.95, 0, 1, '()');
    this.beta = o.number('beta', 0.9, 0, 1, '()');
    o.done();
    if (this.beta > this.alpha) throw new SpecError('eddm.beta', `expected a number ≤ alpha (${this.alpha}), got ${this.beta}`);
  }

  /** Error rate since the last restart (NaN before any row). */
  get estimate(): number {
    return this.n > 0 ? this.errors / this.n : NaN;
  }

  update(x: number): DriftSignal {
    if (x !== 0 && x !== 1) throw new DriftInputError('eddm', this.nRows + 1, x, '0 (correct) or 1 (error)');
    this.nRows++;
    const n = ++this.n;
    if (x === 0) return this.emit(this.inWarning ? 'warning' : 'none');
    const k = ++this.errors;
    const distance = n - this.lastError;
    this.lastError = n;
    const old = this.mean;
    this.mean += (distance - old) / k;
    this.m2 += (distance - this.mean) * (distance - old);
    if (k < this.warmStart) return this.emit('none');
    const m2s = this.mean + 2 * Math.sqrt(this.m2 / k);
    if (m2s > this.max) {
      this.max = m2s;
      this.inWarning = false;
      return this.emit('none');
    }
    const ratio = m2s / this.max;
    if (ratio < this.beta) {
      this.restart();
      return this.emit('drift');
    }
    this.inWarning = ratio < this.alpha;
    return this.emit(this.inWarning ? 'warning' : 'none');
  }

  reset(): void {
    this.resetCounters();
    this.restart();
  }

  private restart(): void {
    this.n = 0;
    this.errors = 0;
    this.lastError = 0;
    this.mean = 0;
    this.m2 = 0;
    this.max = -Infinity;
    this.inWarning = false;
  }

  toJSON(): EDDMState {
    return {
      kind: 'eddm',
      options: { warmStart: this.warmStart, alpha: this.alpha, beta: this.beta },
      ...this.counters(),
      n: this.n,
      errors: this.errors,
      lastError: this.lastError,
      mean: this.mean,
      m2: this.m2,
      max: Number.isFinite(this.max) ? this.max : null,
      inWarning: this.inWarning,
    };
  }

  static fromJSON(state: EDDMState): EDDM {
    DetectorBase.checkKind(state, 'eddm');
    const d = new EDDM(state.options);
    d.restoreCounters(state);
    d.n = state.n;
    d.errors = state.errors;
    d.lastError = state.lastError;
    d.mean = state.mean;
    d.m2 = state.m2;
    d.max = state.max ?? -Infinity;
    d.inWarning = state.inWarning;
    return d;
  }
}
