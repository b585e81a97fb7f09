import { type FeatureMatrix, SchemaError, SluiceError, SpecError } from '../core/index.js';
import type { Model } from '../learn/index.js';
import { MetricSet, type MetricSetState, type MetricSpec } from '../metrics/index.js';
import { HeldPredictions } from './HeldPredictions.js';
import { predictionsOf } from './predictionsOf.js';
import { takeRows } from './takeRows.js';

export type LabelDelay = { rows: number } | { ms: number };

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
  /** Stop after this many rows (the last batch is cut). */
  maxRows?: number;
  /** Clock for `labelDelay.ms` (default Date.now); tests pass a fake one. */
  now?: () => number;
}

/** The progressive (test-then-train) report: running per batch, and a final one. */
export interface ProgressiveReport {
  /** Rows predicted. */
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
 * Progressive evaluation (test-then-train, "prequential"), without RxJS: every row is predicted by
 * the current model before the model learns from it, and the prediction is scored when its label is
 * known. Without a label delay that is the same batch: predict, score, learn. With one, predictions
 * wait in HeldPredictions and the model learns rows only as their labels arrive; labels are checked
 * at batch boundaries, so a label arrives no earlier than the delay says (possibly a batch later).
 * Rows with a missing target are predicted but neither scored nor learned.
 */
export class ProgressiveEvaluator {
  readonly metrics: MetricSet;
  private readonly delay: LabelDelay | null;
  private readonly maxRows: number;
  private readonly now: () => number;
  private readonly held: HeldPredictions | null;
  private rowsSeen = 0;
  private labeledRows = 0;
  private started = -1;

  constructor(
    readonly model: Model,
    options: ProgressiveOptions,
    path = 'progressive',
  ) {
    ProgressiveEvaluator.check(options, path);
    this.metrics = new MetricSet(options.metrics, {
      path: `${path}.metrics`,
      ...(options.rolling !== undefined ? { rolling: options.rolling } : {}),
      ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
    });
    this.delay = options.labelDelay ?? null;
    this.maxRows = options.maxRows ?? Infinity;
    this.now = options.now ?? Date.now;
    this.held = this.delay ? new HeldPredictions(model.outputs) : null;
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
  }

  /** True once `maxRows` rows have been predicted. */
  get done(): boolean {
    return this.rowsSeen >= this.maxRows;
  }

  /** Predicts the batch (cut at maxRows), then scores and learns the rows whose labels are known. Returns `done`. */
  async process(m: FeatureMatrix): Promise<boolean> {
    if (this.started < 0) this.started = performance.now();
    if (this.done) return true;
    if (!m.targets) throw new SchemaError('progressive evaluation needs targets: give vectorize a target column');
    const x = this.rowsSeen + m.rows > this.maxRows ? m.sliceRows(0, this.maxRows - this.rowsSeen) : m;
    if (x.rows === 0) return this.done;
    const predictions = await this.model.predict(x);
    if (predictions.length !== x.rows * this.model.outputs)
      throw new SluiceError('PREDICTIONS', `${this.model.kind}.predict gave ${predictions.length} values for ${x.rows} rows × ${this.model.outputs} outputs`);
    const at = this.rowsSeen;
    this.rowsSeen += x.rows;
    if (!this.held) {
      await this.settle(x, predictions);
    } else {
      this.held.hold(x, predictions, at, this.now());
      const d = this.delay!;
      const due = 'rows' in d ? this.held.release(this.rowsSeen - d.rows, -Infinity) : this.held.release(-Infinity, this.now() - d.ms);
      if (due) await this.settle(due.matrix, due.predictions);
    }
    return this.done;
  }

  /** End of stream: every held prediction gets its label (scored and learned). */
  async finish(): Promise<void> {
    const due = this.held?.release(Infinity, Infinity);
    if (due) await this.settle(due.matrix, due.predictions);
  }

  report(final = false): ProgressiveReport {
    const elapsed = this.started < 0 ? 0 : (performance.now() - this.started) / 1000;
    const rolling = this.metrics.rollingValues();
    return {
      rows: this.rowsSeen,
      labeled: this.labeledRows,
      pending: this.held?.size ?? 0,
      metrics: this.metrics.values(),
      ...(rolling ? { rolling } : {}),
      rowsPerSecond: elapsed > 0 ? this.rowsSeen / elapsed : 0,
      elapsedSeconds: elapsed,
      step: this.model.step,
      backend: this.model.backendName,
      adapter: this.model.adapter,
      final,
    };
  }

  /** Counters and metric states (held predictions are not part of it: snapshot without a label delay). */
  toJSON(): ProgressiveState {
    return { rows: this.rowsSeen, labeled: this.labeledRows, metrics: this.metrics.toJSON() };
  }

  static fromJSON(model: Model, state: ProgressiveState, options: ProgressiveOptions): ProgressiveEvaluator {
    const ev = new ProgressiveEvaluator(model, options);
    const w = ev as unknown as { rowsSeen: number; labeledRows: number; metrics: MetricSet };
    w.rowsSeen = state.rows;
    w.labeledRows = state.labeled;
    w.metrics = MetricSet.fromJSON(state.metrics);
    return ev;
  }

  /** Scores the held predictions of rows whose labels are now known, then learns those rows. */
  private async settle(m: FeatureMatrix, predictions: Float32Array): Promise<void> {
    const t = m.targets!;
    let missing = 0;
    for (let i = 0; i < t.length; i++) if (!(t[i]! - t[i]! === 0)) missing++;
    let x = m,
      p = predictions;
    if (missing === m.rows) return;
    if (missing > 0) {
      const keep = new Int32Array(m.rows - missing),
        w = this.model.outputs;
      for (let i = 0, k = 0; i < t.length; i++) if (t[i]! - t[i]! === 0) keep[k++] = i;
      x = takeRows(m, keep);
      p = new Float32Array(keep.length * w);
      for (let k = 0; k < keep.length; k++) p.set(predictions.subarray(keep[k]! * w, (keep[k]! + 1) * w), k * w);
    }
    this.metrics.update(x.targets!, predictionsOf(this.model.task, p), x.weights ?? undefined);
    await this.model.learn(x);
    this.labeledRows += x.rows;
  }
}
