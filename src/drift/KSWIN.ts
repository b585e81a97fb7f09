import { OptionReader, Rng, SluiceError, SpecError } from '../core/index.js';
import { DetectorBase } from './DetectorBase.js';
import type { DriftDetector, DriftDetectorState } from './DriftDetector.js';
import { DriftInputError } from './DriftInputError.js';
import type { DriftSignal } from './DriftSignal.js';

export interface KSWINOptions {
  /** Significance of the Kolmogorov–Smirnov test; keep it small, the test runs every row (default 0.005). */
  alpha?: number;
  /** n: rows in the sliding window (default 100). */
  windowSize?: number;
  /** r: rows in each of the two samples compared, the newest r against r drawn from the rest (default 30). */
  statSize?: number;
  /** Seed of the draws (default 42). */
  seed?: number;
}

export interface KSWINState extends DriftDetectorState {
  kind: 'kswin';
  options: Required<KSWINOptions>;
  /** The window, oldest row first. */
  window: number[];
  rng: ReturnType<Rng['toJSON']>;
  /** The permutation the draws shuffle in place. */
  perm: number[];
}

/**
 * KSWIN, Kolmogorov–Smirnov windowing (Raab, Heusinger & Schleif, "Reactive Soft Prototype
 * Computing for Concept Drift Streams", Neurocomputing 416, 2020). Keeps the last n rows; once
 * the window is full, every row compares the newest r rows R with r rows W drawn uniformly
 * without replacement from the older n − r, by the two-sample KS statistic
 * D = sup |F_R − F_W|. A drift is detected when D > sqrt(−ln(α) / r), the paper's rejection
 * rule; the window then keeps only R. It tests the whole distribution, not only the mean, so
 * it suits raw feature values as well as losses. No warning level (the definition has none).
 *
 * Defaults are River's documented ones (alpha 0.005, window_size 100, stat_size 30); River's
 * seed defaults to none (unseeded), here to 42 so that runs repeat. Memory O(n), time O(r log r)
 * per row.
 */
export class KSWIN extends DetectorBase implements DriftDetector {
  readonly kind = 'kswin';
  readonly alpha: number;
  readonly windowSize: number;
  readonly statSize: number;
  readonly seed: number;
  private readonly critical: number;
  private readonly buf: Float64Array;
  private readonly perm: Int32Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private rng: Rng;
  private start = 0;
  private count = 0;

  constructor(options: KSWINOptions = {}) {
    super();
    const o = new OptionReader('kswin', options as Record<string, unknown>);
    this.alpha = o.number('alpha', 0.005, 0, 1, '()');
    this.windowSize = o.int('windowSize', 100, 2);
    this.statSize = o.int('statSize', 30, 1);
    this.seed = o.seed('seed', 42);
    o.done();
    if (this.windowSize < 2 * this.statSize)
      throw new SpecError('kswin.windowSize', `expected an integer ≥ 2 × statSize (${2 * this.statSize}), got ${this.windowSize}`);
    this.critical = Math.sqrt(-Math.log(this.alpha) / this.statSize);
    this.buf = new Float64Array(this.windowSize);
    this.perm = Int32Array.from({ length: this.windowSize - this.statSize }, (_, i) => i);
    this.a = new Float64Array(this.statSize);
    this.b = new Float64Array(this.statSize);
    this.rng = new Rng(this.seed);
  }

  /** Rows in the window. */
  get width(): number {
    return this.count;
  }

  /** Mean of the window (NaN when empty). */
  get estimate(): number {
    if (this.count === 0) return NaN;
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.buf[(this.start + i) % this.windowSize]!;
    return s / this.count;
  }

  update(x: number): DriftSignal {
    if (x - x !== 0) throw new DriftInputError('kswin', this.nRows + 1, x, 'a finite number');
    this.nRows++;
    const W = this.windowSize,
      r = this.statSize,
      buf = this.buf;
    if (this.count < W) {
      buf[(this.start + this.count) % W] = x;
      if (++this.count < W) return this.emit('none');
    } else {
      buf[this.start] = x;
      this.start = (this.start + 1) % W;
    }
    // Partial Fisher–Yates on a standing permutation: its first r entries are a uniform r-subset.
    const older = W - r,
      perm = this.perm,
      a = this.a,
      b = this.b;
    for (let i = 0; i < r; i++) {
      const j = i + this.rng.int(older - i);
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
      a[i] = buf[(this.start + perm[i]!) % W]!;
      b[i] = buf[(this.start + older + i) % W]!;
    }
    a.sort();
    b.sort();
    if (ksStatistic(a, b) > this.critical) {
      // Keep only the newest r rows: they stay where they are in the ring.
      this.start = (this.start + older) % W;
      this.count = r;
      return this.emit('drift');
    }
    return this.emit('none');
  }

  reset(): void {
    this.resetCounters();
    this.start = 0;
    this.count = 0;
    for (let i = 0; i < this.perm.length; i++) this.perm[i] = i;
    this.rng = new Rng(this.seed);
  }

  toJSON(): KSWINState {
    const window: number[] = [];
    for (let i = 0; i < this.count; i++) window.push(this.buf[(this.start + i) % this.windowSize]!);
    return {
      kind: 'kswin',
      options: { alpha: this.alpha, windowSize: this.windowSize, statSize: this.statSize, seed: this.seed },
      ...this.counters(),
      window,
      rng: this.rng.toJSON(),
      perm: Array.from(this.perm),
    };
  }

  static fromJSON(state: KSWINState): KSWIN {
    DetectorBase.checkKind(state, 'kswin');
    const d = new KSWIN(state.options);
    d.restoreCounters(state);
    if (!Array.isArray(state.window) || state.window.length > d.windowSize || !Array.isArray(state.perm) || state.perm.length !== d.perm.length)
      throw new SluiceError('DRIFT_STATE', `kswin.fromJSON: expected a window of at most ${d.windowSize} values and a permutation of ${d.perm.length}`);
    d.buf.set(state.window);
    d.count = state.window.length;
    d.perm.set(state.perm);
    d.rng = Rng.fromJSON(state.rng);
    return d;
  }
}

/** Two-sample KS statistic of two sorted samples: the largest gap between their empirical CDFs (ties step together). */
function ksStatistic(a: Float64Array, b: Float64Array): number {
  const na = a.length,
    nb = b.length;
  let i = 0,
    j = 0,
    d = 0;
  while (i < na && j < nb) {
    const v = a[i]! < b[j]! ? a[i]! : b[j]!;
    while (i < na && a[i]! <= v) i++;
    while (j < nb && b[j]! <= v) j++;
    const gap = Math.abs(i / na - j / nb);
    if (gap > d) d = gap;
  }
  return d;
}
