import { BadInputError, type Batch, type FeatureMatrix, SchemaError, SpecError } from '../core/index.js';
import { DriftMonitor, type ResolvedDriftSpec } from '../drift/index.js';
import { predictionsOf, TestThenTrain } from '../evaluate/index.js';
import type { ModelState, Task } from '../learn/index.js';
import { MetricSet, type MetricSpec, makeMetric } from '../metrics/index.js';
import type { SavedPipeline } from '../operators/index.js';
import { RequestError } from './RequestError.js';
import { atRow, whereRow } from './requestBatch.js';

/** Progressive metrics when none are asked for, by task (those of `sluice train`). */
export const DEFAULT_SERVE_METRICS: Readonly<Record<Task, readonly MetricSpec[]>> = {
  binary: ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss'],
  multiclass: ['accuracy', { name: 'f1', average: 'macro' }],
  regression: ['mae', 'rmse', 'r2'],
};

/** A served model between two updates (`ServedModel.snapshot`). */
export interface ServedSnapshot {
  state: ModelState;
  metrics: Record<string, number>;
  rolling: Record<string, number> | null;
  learned: { learn: number; feedback: number; stream: number };
  scored: number;
}

export interface ServedModelOptions {
  metrics?: readonly MetricSpec[];
  rolling?: number;
  drift?: ResolvedDriftSpec | null;
  /** Called at each drift alarm of this model's rows. */
  onAlarm?: (signal: 'warning' | 'drift') => void;
}

/**
 * A model being served: its version, what its requests need, how many requests are using it, and
 * what learning on it keeps: the progressive metrics of the rows it scored before learning them
 * (POST /learn through the one test-then-train engine, POST /feedback from the predictions logged
 * for their ids), and a drift monitor on those rows when asked for. A model swapped out keeps
 * these to itself: its successor starts with fresh metrics.
 *
 * Updates run one at a time (`exclusive`). On the CPU (how `sluice serve` loads a model) a
 * request's update runs to its end without giving way to I/O, so a /predict sees the model before
 * or after a whole /learn or /feedback request, never between two of its mini-batches. A model on
 * a GPU backend waits for device reads inside an update: /predict then waits for the update in
 * progress (`settled`) rather than read a model half way through a request.
 */
export class ServedModel {
  inflight = 0;
  /** Swapped out: disposed of when `inflight` drops to 0. */
  retired = false;
  disposed = false;
  /** The names predict adds, in order. */
  readonly added: string[];
  readonly metrics: MetricSet;
  readonly monitor: DriftMonitor | null;
  /** Rows learned by this model in this server, by endpoint (stream: `learnFrom`). */
  learned = { learn: 0, feedback: 0, stream: 0 };
  /**
   * The version this model is: the one loaded, then each version published from it (`snapshot()`
   * then the registry's publish); the model served is that version, so nothing is reloaded.
   */
  version: string | undefined;
  /** The version loaded (what `version` was before any publish). */
  readonly loaded: string | undefined;
  private readonly engine: TestThenTrain;
  private tail: Promise<unknown> = Promise.resolve();
  private running: Promise<unknown> | null = null;

  constructor(
    readonly model: SavedPipeline,
    version: string | undefined,
    options: ServedModelOptions = {},
  ) {
    this.version = version;
    this.loaded = version;
    this.added = model.addedColumns();
    const specs = options.metrics?.length ? options.metrics : DEFAULT_SERVE_METRICS[model.task];
    checkMetrics(specs, model.task);
    this.metrics = new MetricSet(specs, { ...(options.rolling !== undefined ? { rolling: options.rolling } : {}) });
    const onAlarm = options.onAlarm;
    this.monitor = options.drift
      ? new DriftMonitor(options.drift.make(), model.task, model.model.outputs, onAlarm ? { onAlarm: (signal) => onAlarm(signal) } : {})
      : null;
    this.engine = new TestThenTrain(model.model, { metrics: this.metrics, ...(this.monitor ? { onScored: this.monitor.observe } : {}) });
  }

  /** Labelled rows scored into the metrics. */
  get scored(): number {
    return this.engine.scored + this.feedbackScored;
  }
  private feedbackScored = 0;

  /** Resolves once no update is running or queued (what /predict waits for on a GPU backend). */
  async settled(): Promise<void> {
    while (this.running !== null) await this.running.catch(() => {});
  }

  /** True while an update runs or waits. */
  get updating(): boolean {
    return this.running !== null;
  }

  /** The scored batch (predictBatch), a step's rejection as a 422 naming the row. */
  async predict(batch: Batch, one: boolean): Promise<Batch> {
    try {
      const scored = await this.model.predictBatch(batch);
      if (scored.length !== batch.length) throw new Error(`predict returned ${scored.length} rows for ${batch.length}`);
      return scored;
    } catch (e) {
      throw rejected(e, one);
    }
  }

  /** The model's input for labelled rows (the frozen steps, the target read), a step's rejection as a 422 naming the row. */
  features(batch: Batch, one: boolean): FeatureMatrix {
    try {
      return this.model.features(batch, true);
    } catch (e) {
      throw rejected(e, one);
    }
  }

  /**
   * POST /learn: every row of x (all labelled) through the test-then-train engine: scored by the
   * model as it is before the row's mini-batch, counted in the metrics, then learned. A trailing
   * partial mini-batch is learned as it is, so the model has learned every row when this resolves.
   * `stream`: a slice of `--learn-from` (LearnFrom), whose `labelled` rows are counted (a row with
   * no label is predicted, neither scored nor learned). Resolves with the time spent waiting for
   * the updates queued before it (ms).
   */
  learn(x: FeatureMatrix, endpoint: 'learn' | 'stream' = 'learn', labelled = x.rows): Promise<{ waited: number }> {
    const queued = performance.now();
    let waited = 0;
    return this.exclusive(async () => {
      waited = performance.now() - queued;
      await this.engine.process(x);
      await this.engine.finish();
      this.learned[endpoint] += labelled;
    }).then(() => ({ waited }));
  }

  /**
   * What a new version of this model records, read between two updates (after every update
   * queued before it, before any queued after): the model's state, the progressive metrics and
   * the rows learned since it started serving. A version is never half an update.
   */
  snapshot(): Promise<ServedSnapshot> {
    let out: ServedSnapshot | null = null;
    return this.exclusive(async () => {
      out = {
        state: await this.model.model.state(),
        metrics: this.metrics.values(),
        rolling: this.metrics.rollingValues() ?? null,
        learned: { ...this.learned },
        scored: this.scored,
      };
    }).then(() => out!);
  }

  /**
   * POST /feedback: rows of x (labelled; their features from the logged rows) whose predictions
   * were logged. Those this model made (`mine[i]`) are scored against their labels into the
   * metrics and the drift monitor; then the model learns every row.
   */
  feedback(x: FeatureMatrix, predictions: Float32Array, mine: readonly boolean[]): Promise<void> {
    return this.exclusive(async () => {
      const w = this.model.model.outputs;
      const keep = mine.reduce((s, m) => s + (m ? 1 : 0), 0);
      if (keep > 0) {
        const t = new Float32Array(keep),
          p = new Float32Array(keep * w);
        for (let i = 0, k = 0; i < x.rows; i++) {
          if (!mine[i]) continue;
          t[k] = x.targets![i]!;
          p.set(predictions.subarray(i * w, (i + 1) * w), k * w);
          k++;
        }
        this.metrics.update(t, predictionsOf(this.model.task, p));
        this.monitor?.observe(this.scored, t, p);
        this.feedbackScored += keep;
      }
      await this.model.model.learn(x);
      this.learned.feedback += x.rows;
    });
  }

  /** Runs `fn` after every update queued before it, and marks the model updating until it ends. */
  private exclusive(fn: () => Promise<void>): Promise<void> {
    const run = this.tail.then(fn);
    const mark = run.catch(() => {});
    this.tail = mark;
    this.running = mark;
    void mark.then(() => {
      if (this.running === mark) this.running = null;
    });
    return run;
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}

/** A step's rejection of row i (lines 1..n) as a 422 naming the row, field and reason; other errors as they are. */
export function rejected(e: unknown, one: boolean): unknown {
  if (e instanceof BadInputError) {
    const i = e.location.line - 1;
    return new RequestError(422, `${whereRow(i, one)}rejected by the model's ${e.location.source} step: ${e.reason}: ${e.message.replace(/^.*?: /, '')}`, {
      ...(e.location.field !== undefined ? { field: e.location.field } : {}),
      ...atRow(i, one),
      reason: e.reason,
    });
  }
  if (e instanceof SchemaError && e.column !== undefined) return new RequestError(422, e.message, { field: e.column });
  return e;
}

/** Each metric must fit the task: regression metrics read values, classification metrics labels or probabilities. */
function checkMetrics(specs: readonly MetricSpec[], task: Task): void {
  specs.forEach((s, i) => {
    const name = typeof s === 'string' ? s : s.name;
    const { name: _n, as: _a, ...opts } = typeof s === 'string' ? { name: s } : s;
    const regression = makeMetric(name, opts, `metrics[${i}]`).input === 'values';
    if (regression !== (task === 'regression'))
      throw new SpecError(`metrics[${i}]`, `"${name}" is a ${regression ? 'regression' : 'classification'} metric, and the model is ${task}`);
  });
}
