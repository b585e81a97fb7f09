import { OptionReader } from '../core/index.js';
import { DetectorBase } from './DetectorBase.js';
import type { DriftDetector, DriftDetectorState } from './DriftDetector.js';
import { DriftInputError } from './DriftInputError.js';
import type { DriftSignal } from './DriftSignal.js';

export type PageHinkleyMode = 'up' | 'down' | 'both';

export interface PageHinkleyOptions {
  /** Rows before a drift can be signalled (default 30). */
  minInstances?: number;
  /** δ: the magnitude of change tolerated per row (default 0.005). */
  delta?: number;
  /** λ: the drift threshold on the cumulative deviation (default 50). */
  threshold?: number;
  /** α: fading factor of the cumulative sums, 1 for none (default 0.9999). */
  alpha?: number;
  /** Which changes of the mean to detect: increases, decreases or both (default both). */
  mode?: PageHinkleyMode;
}

export interface PageHinkleyState extends DriftDetectorState {
  kind: 'pageHinkley';
  options: Required<PageHinkleyOptions>;
  n: number;
  mean: number;
  sumUp: number;
  minUp: number | null;
  sumDown: number;
  maxDown: number | null;
}

const MODES = ['up', 'down', 'both'] as const;

/**
 * Page-Hinkley test (E. S. Page, "Continuous Inspection Schemes", Biometrika 41, 1954), the
 * sequential CUSUM form used for streams (Gama et al., "On evaluating stream learning
 * algorithms", Machine Learning 90, 2013, with the fading factor α). With x̄_t the mean of the
 * rows since the last restart: m_t = α·m_{t−1} + (x_t − x̄_t − δ) and M_t = min m; a rise of the
 * mean is detected when m_t − M_t > λ. For falls, the mirror sum with +δ against its maximum.
 * After a drift the statistics restart.
 *
 * Input: any finite number per row. No warning level (the definition has none). Defaults are
 * River's documented ones (min_instances 30, delta 0.005, threshold 50, alpha 1 − 0.0001,
 * mode both), which MOA shares. O(1) memory and time.
 */
export class PageHinkley extends DetectorBase implements DriftDetector {
  readonly kind = 'pageHinkley';
  readonly minInstances: number;
  readonly delta: number;
  readonly threshold: number;
  readonly alpha: number;
  readonly mode: PageHinkleyMode;
  private readonly up: boolean;
  private readonly down: boolean;
  private n = 0;
  private mean = 0;
  private sumUp = 0;
  private minUp = Infinity;
  private sumDown = 0;
  private maxDown = -Infinity;

  constructor(options: PageHinkleyOptions = {}) {
    super();
    const o = new OptionReader('pageHinkley', options as Record<string, unknown>);
    this.minInstances = o.int('minInstances', 30, 1);
    this.delta = o.number('delta', 0.005, 0, Infinity, '[)');
    this.threshold = o.number('threshold', 50, 0, Infinity, '()');
    this.alpha = o.number('alpha', 1 - 0.0001, 0, 1, '(]');
    this.mode = o.oneOf('mode', 'both', MODES);
    o.done();
    this.up = this.mode !== 'down';
    this.down = this.mode !== 'up';
  }

  /** Mean of the rows since the last restart (NaN before any). */
  get estimate(): number {
    return this.n > 0 ? this.mean : NaN;
  }

  update(x: number): DriftSignal {
    if (x - x !== 0) throw new DriftInputError('pageHinkley', this.nRows + 1, x, 'a finite number');
    this.nRows++;
    const n = ++this.n;
    this.mean += (x - this.mean) / n;
    const dev = x - this.mean;
    const up = this.alpha * this.sumUp + dev - this.delta;
    const down = this.alpha * this.sumDown + dev + this.delta;
    this.sumUp = up;
    this.sumDown = down;
    if (up < this.minUp) this.minUp = up;
    if (down > this.maxDown) this.maxDown = down;
    if (n >= this.minInstances && ((this.up && up - this.minUp > this.threshold) || (this.down && this.maxDown - down > this.threshold))) {
      this.restart();
      return this.emit('drift');
    }
    return this.emit('none');
  }

  reset(): void {
    this.resetCounters();
    this.restart();
  }

  private restart(): void {
    this.n = 0;
    this.mean = 0;
    this.sumUp = 0;
    this.minUp = Infinity;
    this.sumDown = 0;
    this.maxDown = -Infinity;
  }

  toJSON(): PageHinkleyState {
    return {
      kind: 'pageHinkley',
      options: { minInstances: this.minInstances, delta: this.delta, threshold: this.threshold, alpha: this.alpha, mode: this.mode },
      ...this.counters(),
      n: this.n,
      mean: this.mean,
      sumUp: this.sumUp,
      // JSON has no Infinity: null stands for "no row yet".
      minUp: Number.isFinite(this.minUp) ? this.minUp : null,
      sumDown: this.sumDown,
      maxDown: Number.isFinite(this.maxDown) ? this.maxDown : null,
    };
  }

  static fromJSON(state: PageHinkleyState): PageHinkley {
    DetectorBase.checkKind(state, 'pageHinkley');
    const d = new PageHinkley(state.options);
    d.restoreCounters(state);
    d.n = state.n;
    d.mean = state.mean;
    d.sumUp = state.sumUp;
    d.minUp = state.minUp ?? Infinity;
    d.sumDown = state.sumDown;
    d.maxDown = state.maxDown ?? -Infinity;
    return d;
  }
}
