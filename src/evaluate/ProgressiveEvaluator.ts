import { type FeatureMatrix, SpecError } from '../core/index.js';
import type { Model } from '../learn/index.js';
import { MetricSet, type MetricSetState, type MetricSpec } from '../metrics/index.js';
import { type LabelDelay, type ScoredHook, TestThenTrain } from './TestThenTrain.js';

export type { LabelDelay } from './TestThenTrain.js';

export interface ProgressiveOptions {
  /** Metric names or specs (see MetricSet), e.g. `['accuracy', 'rocAuc', 'logLoss']`. */
  metrics: readonly MetricSpec[];
  /** Also report every metric over the last `rolling` scored rows. */
  rolling?: number;
  /** Binary decision threshold for label metrics (default 0.5). */
  threshold?: number;
  /**
   * A row's label becomes known `rows` rows later, or `ms` after its prediction: until then its
   * prediction is held (joined back by row id), and the model learns the row only then.
   */
  labelDelay?: LabelDelay;
  /** Stop after this many rows (the batch that crosses it is cut). */
  maxRows?: number;
  /** Clock for `labelDelay.ms` (default Date.now); tests pass a fake one. */
  now?: () => number;
  /** Per-row outcomes after each scored run of rows (see TestThenTrainOptions.onScored), e.g. for a drift monitor. */
  onScored?: ScoredHook;
}

/** The progressive (test-then-train) report: running per batch, and a final one. */
export interface ProgressiveReport {
  /** Rows taken in (the rows of a partial mini-batch are predicted when it completes, by the same model). */
  rows: number;
  /** Rows scored and learned (rows whose label arrived and is not missing). */
  labeled: number;
  /** Rows whose label has not arrived yet (label delay). */
  pending: number;
  metrics: Record<string, number>;
  rolling?: Record<string, number>;
  rowsPerSecond: number;
  elapsedSeconds: number;
  /** Model updates so far. */
  step: number;
  backend: string;
  adapter: string;
  final: boolean;
}

export interface ProgressiveState {
  rows: number;
  labeled: number;
  metrics: MetricSetState;
}

/**
 * Progressive evaluation (test-then-train, "prequential"), without RxJS: the TestThenTrain engine
 * with its own MetricSet, a report and a state. Every row is predicted by the model as it was
 * before the row's mini-batch (mini-batches counted over the whole stream, so the metrics do not
 * depend on the source's batch size), scored, then learned. With a label delay, predictions wait
 * in HeldPredictions and rows are learned only as their labels arrive; labels are checked at batch
 * boundaries, so a label arrives no earlier than the delay says (possibly a batch later). Rows with
 * a missing target are predicted but neither scored nor learned.
 */
export class ProgressiveEvaluator {
  readonly metrics: MetricSet;
  private readonly engine: TestThenTrain;
  private started = -1;

  constructor(
    readonly model: Model,
    options: ProgressiveOptions,
    path = 'progressive',
    resume?: ProgressiveState,
  ) {
    ProgressiveEvaluator.check(options, path);
    this.metrics = resume
      ? MetricSet.fromJSON(resume.metrics)
      : new MetricSet(options.metrics, {
          path: `${path}.metrics`,
          ...(options.rolling !== undefined ? { rolling: options.rolling } : {}),
          ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
        });
    this.engine = new TestThenTrain(model, {
      metrics: this.metrics,
      ...(options.labelDelay ? { labelDelay: options.labelDelay } : {}),
      ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.onScored ? { onScored: options.onScored } : {}),
      ...(resume ? { resume: { rows: resume.rows, scored: resume.labeled } } : {}),
    });
  }

  /** Option checks (SpecError at `path.option`), also run by the operator at creation. */
  static check(options: ProgressiveOptions, path = 'progressive'): void {
    if (options === null || typeof options !== 'object') throw new SpecError(path, 'expected options with a metrics list');
    new MetricSet(options.metrics, {
      path: `${path}.metrics`,
      ...(options.rolling !== undefined ? { rolling: options.rolling } : {}),
      ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
    });
    const d = options.labelDelay as Record<string, unknown> | undefined;
    if (d !== undefined) {
      const keys = d && typeof d === 'object' ? Object.keys(d) : [];
      if (keys.length !== 1 || (keys[0] !== 'rows' && keys[0] !== 'ms'))
        throw new SpecError(`${path}.labelDelay`, `expected { rows } or { ms }, got ${JSON.stringify(d)}`);
      const v = d[keys[0]!];
      if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v) || (keys[0] === 'rows' && !Number.isInteger(v)))
        throw new SpecError(`${path}.labelDelay.${keys[0]}`, `expected ${keys[0] === 'rows' ? 'an integer' : 'a number'} ≥ 0, got ${JSON.stringify(v)}`);
    }
    const m = options.maxRows;
    if (m !== undefined && (!Number.isInteger(m) || m < 1)) throw new SpecError(`${path}.maxRows`, `expected an integer ≥ 1, got ${JSON.stringify(m)}`);
    if (options.now !== undefined && typeof options.now !== 'function') throw new SpecError(`${path}.now`, 'expected a function returning epoch ms');
    if (options.onScored !== undefined && typeof options.onScored !== 'function') throw new SpecError(`${path}.onScored`, 'expected a function');
  }

  /** True once `maxRows` rows have been taken in. */
  get done(): boolean {
    return this.engine.done;
  }

  /** Takes the batch (cut at maxRows): predicted, scored and learned in whole mini-batches (see TestThenTrain). Returns `done`. */
  async process(m: FeatureMatrix): Promise<boolean> {
    if (this.started < 0) this.started = performance.now();
    return this.engine.process(m);
  }

  /** End of stream: every held prediction gets its label, the last partial mini-batch is predicted and learned. */
  async finish(): Promise<void> {
    await this.engine.finish();
  }

  report(final = false): ProgressiveReport {
    const elapsed = this.started < 0 ? 0 : (performance.now() - this.started) / 1000;
    const rolling = this.metrics.rollingValues();
    const rows = this.engine.rows;
    return {
      rows,
      labeled: this.engine.scored,
      pending: this.engine.waiting,
      metrics: this.metrics.values(),
      ...(rolling ? { rolling } : {}),
      rowsPerSecond: elapsed > 0 ? rows / elapsed : 0,
      elapsedSeconds: elapsed,
      step: this.model.step,
      backend: this.model.backendName,
      adapter: this.model.adapter,
      final,
    };
  }

  /** Counters and metric states (held predictions and a partial mini-batch are not part of it: snapshot at the end, or without a label delay). */
  toJSON(): ProgressiveState {
    return { rows: this.engine.rows, labeled: this.engine.scored, metrics: this.metrics.toJSON() };
  }

  static fromJSON(model: Model, state: ProgressiveState, options: ProgressiveOptions): ProgressiveEvaluator {
    return new ProgressiveEvaluator(model, options, 'progressive', state);
  }
}
