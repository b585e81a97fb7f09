import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lastValueFrom, Observable, take, tap } from 'rxjs';
import {
  asyncMap,
  type BadRowPolicy,
  BadRows,
  type Batch,
  type ColumnType,
  DeadLetter,
  type FeatureMatrix,
  QuiesceGate,
  type RowAccount,
  SchemaError,
  SluiceError,
  SpecError,
  Telemetry,
  writeFileAtomic,
} from '../core/index.js';
import { DataDriftMonitor, DriftAdapter, type DriftSpec, readDriftSpec } from '../drift/index.js';
import { HeldOutSample, rowView, type ScoredChunk, TestThenTrain, type TestThenTrainState } from '../evaluate/index.js';
import { type ColumnStats, labelRejects, Pipeline, rejectRows, SPLIT_COLUMN, trainMask } from '../features/index.js';
import { DivergenceWatch, type Model, type ModelOptions, type ModelState, type Task } from '../learn/index.js';
import { MetricSet, type MetricSpec, makeMetric, type Predictions } from '../metrics/index.js';
import type { BuiltPipeline } from '../pipeline/index.js';
import { TreeModel } from '../trees/index.js';
import { RaceModel, type TuneOptions } from '../tune/index.js';
import { CheckpointError, type CheckpointState, checkpointFile, restoreTransforms, writeCheckpoint } from './Checkpoint.js';
import { chooseTask, describeChoice, type TaskChoice } from './chooseTask.js';
import type { Report } from './Report.js';
import { sealSaved } from './sealSaved.js';

export interface TrainStreamOptions {
  /** Model kind (default from the task: logistic, softmax or linear). */
  model?: string;
  /** Model options from the spec or the flags (hidden, optimizer, lr, l1, l2, momentum, activation, classes). */
  modelOptions?: Record<string, unknown>;
  task?: 'classification' | 'regression';
  batchSize?: number;
  epochs?: number;
  backend?: string;
  seed?: number;
  metrics?: string[];
  rolling?: number;
  threshold?: number;
  /** Score training rows before learning from them (default true). */
  progressive?: boolean;
  /** Directory for pipeline.json (preprocessing + model) and report.json. */
  saveDir?: string;
  /** Report path (default `<saveDir>/report.json` when saving). */
  reportPath?: string;
  /** A spec or command line recorded in the artifact. */
  lineage?: unknown;
  /** Aborting stops reading; the report covers the rows seen. */
  signal?: AbortSignal;
  /** Receives a function that saves a snapshot of the pipeline and model as they are now (the dashboard's `s`). */
  onSnapshotReady?: (save: () => Promise<string>) => void;
  /** The input's name (file path or address): label errors under `fail` name it with the line. */
  sourceName?: string;
  /** Policy for rows the run itself rejects (missing features at vectorize, bad labels); default skip. */
  badRows?: BadRowPolicy;
  /** On divergence: `stop` (default) fails the run; `restore` puts back the last good state and ends it there. */
  onDivergence?: 'stop' | 'restore';
  /** Key path of the task in errors (`--task` for the train command; default `task`). */
  taskPath?: string;
  /** Error drift detection and adaptation (the spec's `drift`, `--drift` / `--on-drift`): watched on the first pass's progressive rows. */
  drift?: DriftSpec;
  /**
   * Data drift of the source's columns (the spec's `dataDrift`, `--data-drift`): the first pass's
   * rows as read, before any step, against `reference` (a file's statistics, named by
   * `referenceName`) or the first `referenceRows`.
   */
  dataDrift?: { reference?: ColumnStats; referenceName?: string; referenceRows?: number; window?: number; columns?: string[] };
  /** Column lists (features.drop, features.include) whose names must be in the data, read or made by the steps. */
  columnLists?: ReadonlyArray<{ path: string; names: readonly string[] }>;
  /**
   * Periodic checkpoints into `dir` (checkpoint.json), taken with the pipeline stopped still
   * between two source batches, and one more when the run is stopped (`signal`, `terminate`).
   * `resume` goes on from one: the same run (`run`, checked by the caller) over the same source.
   */
  checkpoint?: {
    dir: string;
    everyMs: number;
    run: unknown;
    resume?: CheckpointState | null;
    /** The source can be read again from its start (a file): a resumed run passes over the rows already taken. Otherwise (stdin, sockets) it goes on with what comes next. */
    replayable: boolean;
    /** Recorded in every checkpoint (the automatic steps decided). */
    extra?: () => unknown;
  };
  /** Stop reading (SIGTERM): with checkpoints, after one more; the report covers the rows up to there. */
  terminate?: AbortSignal;
  /** Race candidate configurations instead of training one model (the spec's `tune`, `--auto`; docs/tune.md). */
  tune?: TuneOptions;
}

/** Training diverged: non-finite predictions or a runaway loss. Exit status 1; the message says what to try. */
export class DivergedError extends SluiceError {
  constructor(
    message: string,
    readonly report: Report,
  ) {
    super('DIVERGED', message);
  }
}

/** Nothing was learned: every row was skipped, or there were none. Exit status 1 with the reasons. */
export class NoRowsError extends SluiceError {
  constructor(
    message: string,
    readonly report: Report,
  ) {
    super('NO_ROWS', message);
  }
}

type CreateModel = (options: Record<string, unknown>) => Promise<Model>;

/** Metrics when none are asked for, by task. */
const DEFAULT_METRICS: Record<Task, MetricSpec[]> = {
  binary: ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss'],
  multiclass: ['accuracy', { name: 'f1', average: 'macro' }],
  regression: ['mae', 'rmse', 'r2'],
};

/** Gap between `metrics` telemetry events: the dashboard and the plain logger read them. */
const METRICS_EVERY_MS = 500;

/**
 * Runs a built pipeline into a model: each batch is split into training and held-out rows. The
 * training rows go through the one test-then-train engine (TestThenTrain: each mini-batch of the
 * model's batch size scored by the model before it learns it, whatever the source's batch size),
 * watched for divergence; the held-out rows are kept (a bounded sample) and scored by the final
 * model at the end. A test file, if any, goes through the frozen pipeline and the final model
 * instead. Returns the report; the model's device is released in every case.
 */
export async function trainStream(built: BuiltPipeline, o: TrainStreamOptions): Promise<Report> {
  const started = performance.now();
  // The models' module loads while the source starts (a parse thread's first batch takes ~0.1 s); awaited at the first batch.
  const learnModule = import('../learn/index.js');
  learnModule.catch(() => {});
  const telemetry = built.telemetry;
  const target = built.target;
  if (!target) throw new SpecError('target', 'a model needs a target column or expression');
  const taskPath = o.taskPath ?? 'task';
  const ck = o.checkpoint ?? null;
  const resumed = ck?.resume ?? null;
  if (ck) refuseUncheckpointable(built, o);
  // A CSV file goes on from the byte offset the checkpoint recorded; other files are read again from their start.
  const seekFrom = resumed?.position.at && built.seekable && ck!.replayable ? resumed.position.at : null;
  // Stage books restart at zero in a resumed run, and so does a stdin or socket source: their counts
  // at the checkpoint are added. A file source counts from its start again: read again, or going on
  // from an offset with its books as they were there.
  const bookBase = new Map<string, Books>();
  if (resumed) {
    for (const [name, a] of Object.entries(resumed.books.accounts)) if (isStage(name) || !ck!.replayable) bookBase.set(name, a);
    bookBase.set(VECTORIZE_BASE, resumed.books.vectorize);
    bookBase.set(LABEL_BASE, resumed.books.label);
  }

  // The books of the first pass: every source and step publishes an `account` event when it ends.
  const accounts = new Map<string, Pick<RowAccount, 'read' | 'skipped' | 'skippedByReason'>>();
  let booksOpen = true;
  // Dropped connections are counted in the report as well as warned about.
  const disconnects: NonNullable<Report['disconnects']> = [];
  // By type (on), not events$: a run that nobody else watches then reads no metrics mid-run (emitMetrics).
  const sub = telemetry.on('account').subscribe((e) => {
    if (booksOpen) accounts.set(e.source, addBooks(bookBase.get(e.source), { read: e.read, skipped: e.skipped, skippedByReason: { ...e.skippedByReason } }));
  });
  sub.add(
    telemetry.on('disconnect').subscribe((e) => {
      if (disconnects.length < MAX_DISCONNECTS)
        disconnects.push({ source: e.source, connection: e.connection, code: e.code, rows: e.rows, reconnecting: e.reconnecting });
    }),
  );

  // Rows the run itself rejects share the source's policy and dead letter.
  const policy = o.badRows ?? 'skip';
  const letter = built.deadLetter ? { deadLetter: built.deadLetter, deadLetterAppend: true } : {};
  const vectorizer = built.vectorizer;
  const vectorBooks = new BadRows('vectorize', { badRows: policy, telemetry, ...letter });
  const labelBooks = new BadRows(o.sourceName ?? 'input', { badRows: policy, telemetry, ...letter });
  vectorizer.badRows = vectorBooks;
  // Books nobody reads: for rows predicted only (no label), already counted elsewhere.
  const unbooked = new BadRows('vectorize', { badRows: 'skip', telemetry: new Telemetry() });
  let model: Model | null = null;
  let engine: TestThenTrain | null = null;
  // Drift (o.drift): checked before any row is read; the adapter wraps the model once it exists.
  const driftSpec = o.drift ? readDriftSpec(o.drift, 'drift') : null;
  let drift: DriftAdapter | null = null;
  let spare: Model | null = null;
  const dd = o.dataDrift;
  const dataMonitor = resumed?.dataDrift
    ? DataDriftMonitor.fromJSON(resumed.dataDrift, { telemetry })
    : dd
      ? new DataDriftMonitor({
          telemetry,
          ...(dd.reference ? { reference: dd.reference } : {}),
          ...(dd.referenceRows !== undefined ? { referenceRows: dd.referenceRows } : {}),
          ...(dd.window !== undefined ? { window: dd.window } : {}),
          ...(dd.columns ? { columns: dd.columns } : {}),
        })
      : null;
  let liveShown: ColumnStats | null = null;
  // Held-out rows as vectorized at their time, scored by the final model at the end.
  const sample = resumed ? HeldOutSample.fromJSON(resumed.sample) : new HeldOutSample(undefined, o.seed ?? 1);
  let task: Task | null = null;
  let choice: TaskChoice | null = null;
  let classes = 2;
  let progressive: MetricSet | null = null,
    held: MetricSet | null = null;
  let watch: DivergenceWatch | null = null;
  let good: { state: ModelState; rows: number } | null = null,
    lastGood = 0;
  let diverged: { why: string; restoredAt: number | null } | null = null;
  let divergence: string | null = null;
  let rawNames: readonly string[] | null = null;
  // The source's column types, saved with the pipeline: predict reads new data with them.
  let rawTypes: Record<string, string> | null = null;
  let fromSource = 0,
    trained = 0,
    heldOut = 0,
    unlabeled = 0,
    stopped = 0,
    lastEmit = 0,
    epoch = 0;
  // Divergence ends the reading as Ctrl-C does.
  const halt = new AbortController();
  // With checkpoints, Ctrl-C too stops at a checkpoint (stopAtCheckpoint), not at once.
  const stopping = o.signal && !ck ? AbortSignal.any([o.signal, halt.signal]) : halt.signal;
  let terminated = false;
  const interrupted = () => (o.signal?.aborted ?? false) || terminated;
  // The gate of the pass being read (null between passes), and where its rows start.
  let gate: QuiesceGate | null = null;
  // Rows of the pass taken before this read (a resumed pass), and of them those to pass over (a source read again from its start).
  let rows0 = 0;
  let skip0 = 0;
  let at0: CheckpointState['position']['at'] = null;
  let engineState: TestThenTrainState | null = resumed?.engine ?? null;
  let checkpointFailed = false;
  let lastYield = 0;
  let lastSaved = resumed ? `${resumed.position.epoch}:${resumed.position.rows}:false` : '';
  if (resumed) {
    restoreTransforms(checkpointFile(ck!.dir), resumed.pipeline, built.transforms, vectorizer);
    ({ fromSource, trained, heldOut, unlabeled, stopped } = resumed.counters);
    rawNames = resumed.rawNames;
    rawTypes = resumed.rawTypes;
    booksOpen = resumed.books.open;
    for (const [name, a] of Object.entries(resumed.books.accounts)) accounts.set(name, a);
  }
  const makeSets = (t: Task) => {
    const specs = o.metrics?.length ? o.metrics : DEFAULT_METRICS[t];
    checkMetrics(specs, t);
    const opts = { ...(o.threshold !== undefined ? { threshold: o.threshold } : {}), path: 'evaluation.metrics' };
    progressive = new MetricSet(specs, { ...opts, ...(o.rolling !== undefined ? { rolling: o.rolling } : {}) });
    held = new MetricSet(specs, opts);
  };

  /** The task, metrics and model, from the first batch; a resumed run's from its checkpoint (no batch needed: it may have none left to read). */
  const start = async (batch: Batch | null) => {
    if (batch && !batch.has(target.column)) {
      throw new SchemaError(
        `target column "${target.column}" is not in the data after the steps; columns: ${batch.names.filter((n) => n !== SPLIT_COLUMN).join(', ')}`,
      );
    }
    for (const list of batch ? (o.columnLists ?? []) : []) {
      const unknown = list.names.filter((n) => !batch!.has(n) && !(rawNames ?? []).includes(n));
      if (unknown.length > 0)
        throw new SpecError(
          list.path,
          `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the data has ${[...new Set([...(rawNames ?? []), ...batch!.names])].filter((n) => n !== SPLIT_COLUMN).join(', ')}`,
        );
    }
    const kind = o.model;
    // The task, sorted classes, positive class and target scale, from the first batch (chooseTask).
    const optClasses = o.modelOptions?.classes;
    if (resumed || !batch) choice = resumed!.choice;
    else
      choice = chooseTask(batch.column(target.column), batch.length, {
        column: target.expression ?? target.column,
        task: o.task,
        model: kind,
        classes: typeof optClasses === 'number' ? optClasses : undefined,
        positive: built.positive ?? undefined,
        taskPath,
        positivePath: taskPath === '--task' ? '--positive' : 'positive',
        lines: batch.lines,
      });
    task = choice.task;
    if (choice.classes && !resumed) vectorizer.fixClasses(choice.classes);
    classes = Math.max(choice.classes?.length ?? 1, 2);
    // The models that scale a regression target inside (linear with normalized or ftrl, passiveAggressive) get the first batch's scale.
    const optimizer = o.modelOptions?.optimizer;
    const kindOf = kind ?? (task === 'regression' ? 'linear' : null);
    const scaled =
      choice.targetScale !== null &&
      (kindOf === 'passiveAggressive' || (kindOf === 'linear' && (optimizer === undefined || optimizer === 'normalized' || optimizer === 'ftrl')));
    if (!scaled && !resumed) choice = { ...choice, targetScale: null };
    telemetry.emit({ type: 'log', level: 'info', message: describeChoice(choice) });
    makeSets(task);
    watch = new DivergenceWatch(task);
    if (resumed) {
      if (resumed.progressive) progressive = MetricSet.fromJSON(resumed.progressive);
      if (resumed.watch) watch = DivergenceWatch.fromJSON(resumed.watch);
      telemetry.emit({
        type: 'log',
        level: 'info',
        message: `resumed from ${checkpointFile(ck!.dir)} (${resumed.created}): pass ${resumed.position.epoch + 1}, ${resumed.position.rows} rows in, ${resumed.counters.trained} learned; ${
          seekFrom
            ? `reading on from byte ${seekFrom.offset} (line ${seekFrom.line})`
            : ck!.replayable
              ? `reading the input again from its start, passing over ${resumed.position.rows} rows`
              : 'going on with what the source sends next'
        }`,
      });
    }
    const learn = (await learnModule) as unknown as {
      createModel?: CreateModel;
      modelFromState?: (s: ModelState, o: Record<string, unknown>) => Promise<Model>;
    };
    if (typeof learn.createModel !== 'function')
      throw new SluiceError('UNAVAILABLE', 'no models are available in this build (src/learn exports no createModel)');
    const { classes: _c, ...rest } = o.modelOptions ?? {};
    // No batch size given: the model's own default (per-row for the linear kinds).
    const modelOptions = {
      ...rest,
      kind: kind ?? (task === 'regression' ? 'linear' : task === 'binary' ? 'logistic' : 'softmax'),
      task,
      ...(task === 'multiclass' ? { classes } : {}),
      ...(choice.targetScale ? { targetScale: choice.targetScale } : {}),
      ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
      ...(o.backend !== undefined ? { backend: o.backend } : {}),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
    };
    if (resumed) {
      try {
        model = await learn.modelFromState!(resumed.model, o.backend !== undefined ? { backend: o.backend } : {});
      } catch (e) {
        throw new CheckpointError(checkpointFile(ck!.dir), `its model cannot be rebuilt: ${(e as Error).message}`);
      }
      // The last good state and its schedule go on as they were (onDivergence: restore).
      good = resumed.good ? { state: resumed.good.state, rows: resumed.good.rows } : null;
      lastGood = resumed.good?.last ?? 0;
    } else if (o.tune) {
      // Every candidate shares the task, classes, target scale, batch size, backend and seed; the space varies the rest.
      model = await RaceModel.create(modelOptions as ModelOptions, o.tune, {
        onDrop: (out, lead, row, why) =>
          telemetry.emit({
            type: 'log',
            level: 'info',
            message: `tune: candidate #${out.id} (${out.label}) dropped at row ${row}: ${why}; leader #${lead.id} (${lead.label})`,
          }),
        onLeader: (lead, was, row, why) =>
          telemetry.emit({ type: 'log', level: 'info', message: `tune: #${lead.id} (${lead.label}) leads from row ${row}, after #${was.id}: ${why}` }),
      });
      const race = model as RaceModel;
      telemetry.emit({
        type: 'log',
        level: 'info',
        message: `tune: racing ${race.alive} candidates (${race
          .record()
          .leaderboard.map((e) => `#${e.id} ${e.label}`)
          .join('; ')})`,
      });
    } else model = await learn.createModel(modelOptions);
    if (driftSpec && o.progressive !== false) {
      // The engine trains the adaptive model; swap's second model is built the same way.
      const d = driftSpec;
      if (d.onDrift === 'swap') spare = await learn.createModel(modelOptions);
      drift = new DriftAdapter(model, d.make(), d.onDrift, {
        ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
        onAlarm: (signal, row, message) => telemetry.emit({ type: signal, detector: d.kind, row, message }),
      });
      model = drift.model;
    }
    o.onSnapshotReady?.(async () => {
      const dir = o.saveDir ?? tmpdir();
      mkdirSync(dir, { recursive: true });
      if (epoch === 0 && engine) trained = engine.learned;
      const path = join(dir, `snapshot-${trained}.json`);
      const artifact = {
        version: 1,
        task,
        lineage: o.lineage ?? null,
        input: { types: rawTypes },
        pipeline: new Pipeline([...built.transforms, vectorizer]).toJSON(),
        model: await model!.state(),
        rows: trained,
      };
      writeFileAtomic(path, JSON.stringify(artifact));
      telemetry.emit({ type: 'checkpoint', path });
      return path;
    });
  };

  const predictions = (m: Model, p: Float32Array): Predictions => (m.task === 'regression' ? { values: p } : { probabilities: p });
  const score = async (set: MetricSet, x: FeatureMatrix): Promise<Float32Array | null> => {
    if (!model || x.rows === 0 || !x.targets) return null;
    const p = await model.predict(x);
    set.update(x.targets, predictions(model, p), x.weights ?? undefined);
    return p;
  };

  /**
   * The divergence watch reads each chunk of predictions the engine made (every ~256 rows), after
   * they were learned; it stops the engine on divergence, and keeps the last good state for
   * `restore` (every SNAPSHOT_ROWS rows learned).
   */
  const watchChunk = (c: ScoredChunk): boolean | Promise<boolean> => {
    const w = model!.outputs;
    const n = c.targets.length;
    for (let i = 0; i < n && !divergence; i += WATCH_ROWS) divergence = watch!.updateRows(c.targets, c.predictions, w, i, Math.min(n, i + WATCH_ROWS));
    if (divergence) return true;
    const learned = engine!.learned;
    if (o.onDivergence === 'restore' && watch!.healthy && (good === null || learned - lastGood >= SNAPSHOT_ROWS)) {
      lastGood = learned;
      return model!.state().then((state) => {
        good = { state, rows: learned };
        return false;
      });
    }
    return false;
  };
  // Epoch 0 scores (progressive metrics) and is watched; later passes, or progressive: false, only learn.
  const makeEngine = (m: Model) => {
    // A resumed pass's engine goes on from the checkpoint's (counters, partial chunk, rows waiting for their mini-batch).
    const restore = engineState ? { restore: engineState } : {};
    engineState = null;
    return epoch === 0 && o.progressive !== false
      ? new TestThenTrain(m, { metrics: progressive, onChunk: watchChunk, ...(drift ? { onScored: (drift as DriftAdapter).observe } : {}), ...restore })
      : new TestThenTrain(m, { learnOnly: true, ...restore });
  };

  const divergedAt = async (why: string) => {
    if (o.onDivergence === 'restore' && good) {
      model!.load((good as { state: ModelState }).state);
      diverged = { why, restoredAt: (good as { rows: number }).rows };
      telemetry.emit({
        type: 'log',
        level: 'warn',
        message: `training diverged (${why}); restored the model as it was after ${diverged.restoredAt} rows and stopped there`,
      });
    } else {
      diverged = { why, restoredAt: null };
    }
    halt.abort();
  };

  const step = async (batch: Batch): Promise<Batch | null> => {
    // Rows already on their way when the run stops (Ctrl-C, `q`, divergence) are counted, not lost.
    if (stopping.aborted) {
      if (epoch === 0) stopped += batch.length;
      return null;
    }
    if (!model) await start(batch);
    engine ??= makeEngine(model!);
    // Rows whose label cannot be learned are skipped (reason `label`), and only predicted.
    const rejects = labelRejects(batch, target.column, task === 'regression' ? 'regression' : 'classification', classes, vectorizer.classes);
    let labeled = batch;
    if (rejects.length > 0) {
      const books = epoch === 0 ? labelBooks : null;
      labeled = books ? rejectRows(batch, rejects, books, labelBooks.source) : batch.filter(keepOf(batch.length, rejects, 1));
      const rest = batch.filter(keepOf(batch.length, rejects, 0));
      // Their rows with missing features are already skipped as `label`: vectorize's books stay out.
      const vb = vectorizer.badRows;
      vectorizer.badRows = unbooked;
      try {
        const xu = vectorizer.apply(rest.drop([target.column]));
        if (xu.rows > 0) await model!.predict(xu);
      } finally {
        vectorizer.badRows = vb;
      }
      if (epoch === 0) unlabeled += rest.length;
      if (labeled.length === 0) return null;
    }
    const mask = trainMask(labeled);
    const trainRows = mask ? labeled.filter(mask) : labeled;
    vectorizer.learn(trainRows);
    const x = vectorizer.apply(trainRows);
    if (good === null && x.rows > 0 && o.onDivergence === 'restore' && epoch === 0 && o.progressive !== false) {
      // The untrained model is the first good state (the watch first reads predictions after ~256
      // rows were learned); a one-row prediction fixes its input width so the state can go back.
      await engine.model.predict(rowView(x, 0, 1));
      good = { state: await engine.model.state(), rows: 0 };
    }
    const d = drift as DriftAdapter | null;
    if (d && !d.model.primed && x.rows > 0) {
      await d.model.prime(x, spare);
      spare = null;
    }
    if (x.rows > 0) await engine.process(x);
    if (epoch === 0) trained = engine.learned;
    if (divergence && !diverged) await divergedAt(divergence);
    if (mask && diverged) {
      if (epoch === 0) stopped += mask.length - trainRows.length;
    } else if (mask) {
      let rest = labeled.filter(mask.map((v) => 1 - v));
      const held0 = rest.length;
      // A held-out label never seen in training is no class of the model: held out, not scorable.
      const known = vectorizer.classes;
      if (known && rest.length > 0) rest = rest.filter(knownLabels(rest, target.column, known));
      // Rows vectorize rejects are in its books (skipped), not held out.
      const xh = vectorizer.apply(rest);
      if (epoch === 0) {
        heldOut += xh.rows + (held0 - rest.length);
        sample.add(xh);
      }
    }
    const now = performance.now();
    if (now - lastEmit >= METRICS_EVERY_MS) {
      lastEmit = now;
      emitMetrics();
    }
    // A parse thread hands batches on back to back as promise callbacks: without a turn of the
    // event loop now and then, timers (checkpoints) and signal handlers (Ctrl-C, SIGTERM) wait for the pass to end.
    if (now - lastYield >= YIELD_MS) {
      lastYield = now;
      await new Promise<void>((r) => setImmediate(r));
    }
    return null;
  };
  const emitMetrics = () => {
    // A reading is not free (ROC AUC sorts the scores buffered since the last one): skipped when nobody listens (--quiet).
    if (!progressive || !telemetry.wants('metrics')) return;
    const p = progressive as MetricSet;
    const rolling = p.rollingValues();
    if (model instanceof RaceModel && telemetry.wants('leaderboard')) telemetry.emit({ type: 'leaderboard', ...model.standings() });
    const trees = model instanceof TreeModel ? model.summary() : null;
    telemetry.emit({
      type: 'metrics',
      rows: trained,
      values: p.values(),
      ...(rolling ? { rolling } : {}),
      ...(model ? { model: (model as Model).kind } : {}),
      ...(trees ? { trees } : {}),
    });
  };

  /**
   * Saves the run as it is: called by the gate with nothing in work, so every piece of state covers
   * exactly the rows let through. Nothing before the first batch (no model yet).
   */
  const saveCheckpoint = async (finished = false): Promise<void> => {
    if (!ck || !model || !choice || !task) return;
    // Between the end of a pass's reading and its last mini-batch (finish), no position says what the model holds.
    if (!finished && gate === null) return;
    // Nothing taken since the last one (a resumed run before its first batch, a slow batch): the file is current.
    const where = `${epoch}:${rows0 + (gate?.passed ?? 0)}:${finished}`;
    if (where === lastSaved) return;
    const m = model as Model;
    const state: CheckpointState = {
      format: 'sluice-checkpoint',
      version: 1,
      created: new Date().toISOString(),
      finished,
      run: ck.run,
      position: { epoch, rows: rows0 + (gate?.passed ?? 0), at: gate?.lastAt ?? at0 },
      counters: { fromSource, trained: epoch === 0 && engine ? (engine as TestThenTrain).learned : trained, heldOut, unlabeled, stopped },
      books: {
        accounts: Object.fromEntries(accounts),
        vectorize: addBooks(bookBase.get(VECTORIZE_BASE), vectorBooks.account()),
        label: addBooks(bookBase.get(LABEL_BASE), labelBooks.account()),
        open: booksOpen,
      },
      choice: choice as TaskChoice,
      task: task as Task,
      classes,
      rawNames: rawNames ? [...rawNames] : null,
      rawTypes,
      pipeline: new Pipeline([...built.transforms, vectorizer]).toJSON(),
      model: await m.state(),
      engine: (engine as TestThenTrain | null)?.snapshot() ?? null,
      progressive: (progressive as MetricSet | null)?.toJSON() ?? null,
      watch: (watch as DivergenceWatch | null)?.toJSON() ?? null,
      sample: sample.toJSON(),
      dataDrift: dataMonitor?.toJSON() ?? null,
      good: good ? { state: (good as { state: ModelState }).state, rows: (good as { rows: number }).rows, last: lastGood } : null,
      extra: ck.extra?.() ?? null,
    };
    mkdirSync(ck.dir, { recursive: true });
    // The dead-letter records of the rows up to the position are on disk before the checkpoint says so.
    DeadLetter.flushAll();
    telemetry.emit({ type: 'checkpoint', path: writeCheckpoint(ck.dir, state) });
    lastSaved = where;
  };
  // A checkpoint that cannot be written (disk full) is said once; the run goes on.
  const tryCheckpoint = (finished = false) =>
    saveCheckpoint(finished).catch((e) => {
      if (!checkpointFailed)
        telemetry.emit({ type: 'log', level: 'warn', message: `checkpoint not written to ${ck!.dir}: ${(e as Error).message}; training goes on` });
      checkpointFailed = true;
    });
  /** Stops reading at the next still point, after a checkpoint (SIGTERM; Ctrl-C with checkpoints). */
  const stopAtCheckpoint = () => {
    if (terminated) return;
    const stop = async () => {
      if (terminated) return;
      await tryCheckpoint();
      terminated = true;
      halt.abort();
    };
    if (gate && ck) gate.quiesce(stop).catch(() => {});
    else void stop();
  };
  const stopListeners: Array<() => void> = [];
  for (const sig of [o.terminate, ck ? o.signal : undefined]) {
    if (!sig) continue;
    if (sig.aborted) stopAtCheckpoint();
    sig.addEventListener('abort', stopAtCheckpoint, { once: true });
    stopListeners.push(() => sig.removeEventListener('abort', stopAtCheckpoint));
  }
  // The next checkpoint is due `everyMs` after the last one ended, and at least ten times its cost
  // later: a state that grows (the exact ROC AUC keeps every score) cannot take over the run.
  let timer: NodeJS.Timeout | null = null;
  const schedule = (ms: number) => {
    if (!ck || terminated) return;
    timer = setTimeout(() => {
      if (!(gate && !gate.holding && model && !terminated)) return schedule(ck.everyMs);
      const t0 = performance.now();
      gate
        .quiesce(tryCheckpoint)
        .catch(() => {})
        .finally(() => schedule(Math.max(ck.everyMs, 10 * (performance.now() - t0))));
    }, ms);
    timer.unref();
  };
  schedule(ck?.everyMs ?? 0);

  const run = (source: Observable<Batch>, counting: boolean) =>
    lastValueFrom(
      source.pipe(
        skipRows(skip0),
        gate!.operator(),
        tap((b) => {
          rawNames ??= b.names;
          rawTypes ??= Object.fromEntries(b.schema.fields.filter((f) => f.name !== SPLIT_COLUMN).map((f) => [f.name, f.type]));
          if (counting) fromSource += b.length;
          if (counting && dataMonitor) {
            dataMonitor.update(b);
            const live = dataMonitor.live;
            if (live && live !== liveShown) {
              // A reference file that lacks or retypes a column would watch it silently not at all: said once.
              if (liveShown === null) {
                const skipped = Object.entries(notComparedOf(dataMonitor.report!));
                if (skipped.length > 0)
                  telemetry.emit({ type: 'log', level: 'warn', message: `data drift: not compared: ${skipped.map(([c, why]) => `${c} (${why})`).join(', ')}` });
              }
              liveShown = live;
              // The compared window and its verdicts feed the dashboard's column panel (when anyone listens).
              if (telemetry.wants('stats'))
                telemetry.emit({
                  type: 'stats',
                  source: `last ${dd!.window ?? 10_000} rows`,
                  columns: live.summaries() as Record<string, unknown>,
                  drift: dataMonitor.verdicts,
                });
            }
          }
        }),
        built.steps,
        asyncMap(step),
      ),
      { defaultValue: null },
    );

  try {
    if (built.testSource) await checkTestSchema(built);
    const epochs = o.epochs ?? 1;
    if (resumed) {
      // The model and engine come back before any row: a checkpoint at the end of a pass leaves none to read.
      epoch = resumed.position.epoch;
      await start(null);
      engine = makeEngine(model!);
    }
    for (epoch = resumed?.position.epoch ?? 0; epoch < epochs && !stopping.aborted; epoch++) {
      // A resumed pass passes over the rows it had taken (when the source is read again from its start).
      const resuming = resumed !== null && epoch === resumed.position.epoch;
      rows0 = resuming && ck!.replayable ? resumed.position.rows : 0;
      at0 = resuming && seekFrom ? seekFrom : null;
      skip0 = resuming && ck!.replayable && !seekFrom ? resumed.position.rows : 0;
      gate = new QuiesceGate();
      if (epoch > 0) {
        // Later passes see the same rows again: their rejects are not counted or dead-lettered twice.
        vectorizer.badRows = new BadRows('vectorize', { badRows: policy, telemetry });
        // A resumed pass keeps the engine its checkpoint restored.
        if (!resuming) engine = null;
      }
      // Later passes read the same rows again: the source's rejects were dead-lettered by the first.
      const letter = epoch > 0 ? { deadLetter: false } : undefined;
      const source = at0 ? built.source({ ...at0, types: at0.types as Record<string, ColumnType>, emitted: rows0 }, letter) : built.source(undefined, letter);
      await run(abortable(source, stopping), epoch === 0);
      gate = null;
      // The last partial mini-batch of the pass is learned as it is.
      await (engine as TestThenTrain | null)?.finish();
      if (epoch === 0) {
        const e = engine as TestThenTrain | null;
        trained = e?.learned ?? 0;
        // Rows the engine took but did not learn after divergence stopped it.
        stopped += e?.unlearned ?? 0;
        accounts.set('vectorize', addBooks(bookBase.get(VECTORIZE_BASE), vectorBooks.account()));
        accounts.set('label', addBooks(bookBase.get(LABEL_BASE), labelBooks.account()));
        if (stopped > 0) accounts.set('stopped', { read: stopped, skipped: stopped, skippedByReason: { stopped } });
      }
      booksOpen = false;
    }
    emitMetrics();
    let test: Record<string, number | null> | undefined;
    let testRows: number | undefined;
    const failedRun = diverged !== null && (diverged as { restoredAt: number | null }).restoredAt === null;
    if (built.testSource && model && !interrupted() && !failedRun) {
      held!.reset();
      testRows = 0;
      await lastValueFrom(
        built.testSource().pipe(
          built.frozenSteps,
          asyncMap(async (b) => {
            const x = vectorizer.apply(b);
            if (await score(held!, x)) testRows! += x.rows;
            return null;
          }),
        ),
        { defaultValue: null },
      );
      test = nulls(held!.values());
    } else if (held && built.transforms.some((t) => t.kind === 'split')) {
      // The held-out rows are scored by the final model (a diverged one scores nothing).
      if (model && !failedRun) testRows = await sample.score(model, held);
      test = nulls((held as MetricSet).values());
    }

    const elapsedSeconds = (performance.now() - started) / 1000;
    const rows = balance(fromSource, trained, heldOut, accounts, built.flow, telemetry);
    const m = model as Model | null;
    const p = progressive as MetricSet | null;
    const rolling = p?.rollingValues();
    const d = diverged as { why: string; restoredAt: number | null } | null;
    const report: Report = {
      rows: { ...rows, ...(unlabeled > 0 ? { unlabeled } : {}) },
      metrics: p ? nulls(p.values()) : Object.fromEntries((o.metrics ?? []).map((s) => [metricKey(s), null])),
      ...(rolling ? { rolling: { window: o.rolling!, values: nulls(rolling) } } : {}),
      ...(test ? { test } : {}),
      ...(testRows !== undefined ? { testRows } : {}),
      ...(d ? { diverged: { reason: d.why, restoredAtRow: d.restoredAt } } : {}),
      ...(disconnects.length ? { disconnects } : {}),
      ...(choice ? { choices: { ...(choice as TaskChoice) } } : {}),
      ...(drift ? { drift: (drift as DriftAdapter).report() } : {}),
      ...(dataMonitor && dd ? { dataDrift: dataDriftReport(dataMonitor, dd.referenceName ?? null, dd.reference ? null : (dd.referenceRows ?? 10_000)) } : {}),
      ...(m instanceof TreeModel ? { trees: m.summary() } : {}),
      ...(m instanceof RaceModel ? { tune: m.record() } : {}),
      rowsPerSecond: rows.read / Math.max(elapsedSeconds, 1e-9),
      elapsedSeconds,
      backend: m?.backendName ?? null,
      adapter: m?.adapter ?? null,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
    };
    const failed = d !== null && d.restoredAt === null;
    // A run stopped at a checkpoint is to be resumed: its model is not a result yet (a registry
    // would publish it as a version); the report still says how far it got.
    const pausedAtCheckpoint = ck !== null && terminated;
    if (o.saveDir && m && !failed && !pausedAtCheckpoint) {
      mkdirSync(o.saveDir, { recursive: true });
      const artifact = {
        version: 1,
        task,
        lineage: o.lineage ?? null,
        input: { types: rawTypes },
        pipeline: new Pipeline([...built.transforms, vectorizer]).toJSON(),
        model: await m.state(),
        report,
      };
      writeFileAtomic(`${o.saveDir}/pipeline.json`, JSON.stringify(artifact));
      telemetry.emit({ type: 'checkpoint', path: `${o.saveDir}/pipeline.json` });
    }
    const reportPath = o.reportPath ?? (o.saveDir ? `${o.saveDir}/report.json` : undefined);
    if (reportPath) mkdirSync(dirname(reportPath), { recursive: true });
    if (reportPath) writeFileAtomic(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    if (o.saveDir) sealSaved(o.saveDir);
    // A run that read to its end leaves a checkpoint that says so: --resume then has nothing to do.
    if (ck && !interrupted() && !failed) await tryCheckpoint(true);
    if (failed) {
      throw new DivergedError(
        `training diverged after ${trained} rows: ${d.why}. Try a smaller learning rate (--lr, model.lr), standardize or clip the features, or scale the target; with --on-divergence restore (training.onDivergence: restore) the run keeps the last good model instead${o.saveDir ? '. Nothing was saved' : ''}`,
        report,
      );
    }
    if (trained === 0 && !interrupted()) {
      const why = Object.entries(rows.skippedByReason)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ');
      throw new NoRowsError(
        `no rows to learn from: read ${rows.read}, skipped ${rows.skipped}${why ? ` (${why})` : ''}${rows.heldOut ? `, held out ${rows.heldOut}` : ''}`,
        report,
      );
    }
    return report;
  } finally {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const off of stopListeners) off();
    sub.unsubscribe();
    vectorBooks.close();
    labelBooks.close();
    await (model as Model | null)?.dispose();
    // A spare never handed to the adaptive model (no row was learned).
    await (spare as Model | null)?.dispose();
  }
}

/** Keys of the resumed vectorize and label books' counts in `bookBase` (not book names). */
const VECTORIZE_BASE = ' vectorize';
const LABEL_BASE = ' label';

type Books = Pick<RowAccount, 'read' | 'skipped' | 'skippedByReason'>;

/** A book's counts plus those it had at the checkpoint a run resumed from. */
function addBooks(base: Books | undefined, a: Books): Books {
  if (!base) return a;
  const byReason: Record<string, number> = { ...(base.skippedByReason as Record<string, number>) };
  for (const [r, n] of Object.entries(a.skippedByReason)) byReason[r] = (byReason[r] ?? 0) + (n ?? 0);
  return { read: base.read + a.read, skipped: base.skipped + a.skipped, skippedByReason: byReason };
}

/** Passes over the first `n` rows of a stream (a resumed pass: the rows a checkpoint had taken). */
function skipRows(n: number): (source: Observable<Batch>) => Observable<Batch> {
  if (n === 0) return (source) => source;
  return (source) =>
    new Observable<Batch>((subscriber) => {
      let left = n;
      return source.subscribe({
        next(b) {
          if (left === 0) return subscriber.next(b);
          if (b.length <= left) {
            left -= b.length;
            return;
          }
          // Batches are cut as in the first run, so this happens only when the source's batching changed.
          const rest = b.slice(left, b.length);
          left = 0;
          subscriber.next(rest);
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * State that checkpoints do not save yet: refused up front rather than resumed wrong. Error drift
 * adaptation holds a second model and detector state; dedupe its seen keys.
 */
function refuseUncheckpointable(built: BuiltPipeline, o: TrainStreamOptions): void {
  if (o.tune) throw new SpecError('training.checkpoint', 'checkpoints do not cover a hyperparameter race (tune, --auto) yet: run it without --checkpoint');
  if (o.drift)
    throw new SpecError('training.checkpoint', 'checkpoints do not cover error-drift detection (drift, --drift, --on-drift) yet: run it without --checkpoint');
  const dedupe = [...built.flow.keys()].find((k) => k.endsWith('.dedupe'));
  if (dedupe)
    throw new SpecError('training.checkpoint', `checkpoints do not cover ${dedupe} yet (the keys it has seen are not saved): run it without checkpoints`);
}

/** Dropped connections listed in a report (a flapping producer could otherwise grow it without bound). */
const MAX_DISCONNECTS = 100;

/** Longest stretch of the pipeline without a turn of the event loop (timers, signals): a setImmediate costs ~µs. */
const YIELD_MS = 50;

/** Rows between snapshots kept for `onDivergence: restore` (a state read costs a pass over the weights). */
const SNAPSHOT_ROWS = 10_000;

/**
 * Rows per update of the divergence watch: its start reference is the first such rows (a runaway
 * rate blows up within a few updates), and the engine's chunks of ~256 rows are fed to it in
 * these pieces, as the old per-mini-batch loop did at batch size 32.
 */
const WATCH_ROWS = 32;

function metricKey(s: MetricSpec): string {
  return typeof s === 'string' ? s : typeof s.as === 'string' ? s.as : s.name;
}

/** 1 for the rows listed in `rejects` when `mark` is 0, else 1 for the others. */
function keepOf(n: number, rejects: ReadonlyArray<{ row: number }>, mark: 0 | 1): Uint8Array {
  const keep = new Uint8Array(n).fill(mark);
  for (const r of rejects) keep[r.row] = 1 - mark;
  return keep;
}

/** Rows whose category label is one of the model's classes. */
function knownLabels(batch: Batch, column: string, known: readonly string[]): Uint8Array {
  const c = batch.column(column);
  const keep = new Uint8Array(batch.length).fill(1);
  if (c.type !== 'category' && c.type !== 'text') return keep;
  const set = new Set(known);
  const ok = c.dictionary.values.map((s) => set.has(s));
  for (let i = 0; i < batch.length; i++) keep[i] = c.codes[i]! >= 0 && ok[c.codes[i]!] ? 1 : 0;
  return keep;
}

/** A metric must fit the task: regression metrics read values, classification metrics labels or probabilities. */
function checkMetrics(specs: readonly MetricSpec[], task: Task): void {
  specs.forEach((spec, i) => {
    const name = typeof spec === 'string' ? spec : spec.name;
    const regression = makeMetric(name, {}, `evaluation.metrics[${i}]`).input === 'values';
    if (regression !== (task === 'regression')) {
      throw new SpecError(
        `evaluation.metrics[${i}]`,
        `"${name}" is a ${regression ? 'regression' : 'classification'} metric, but the task is ${task === 'regression' ? 'regression' : `${task} classification`}; the task's defaults are ${DEFAULT_METRICS[task].map((s) => (typeof s === 'string' ? s : s.name)).join(', ')}`,
      );
    }
  });
}

/**
 * The run's books: read = trained + heldOut + skipped, with skippedByReason covering every path.
 * Rows a step lost without a reason are counted as `unaccounted` under that step's name, and warned
 * about, so the equation holds and the loss is visible.
 */
function balance(
  fromSource: number,
  trained: number,
  heldOut: number,
  accounts: ReadonlyMap<string, Pick<RowAccount, 'read' | 'skipped' | 'skippedByReason'>>,
  flow: BuiltPipeline['flow'],
  telemetry: Telemetry,
): Report['rows'] {
  let skipped = 0,
    sourceSkipped = 0;
  const byReason: Record<string, number> = {};
  for (const [name, a] of accounts) {
    skipped += a.skipped;
    if (!isStage(name)) sourceSkipped += a.skipped;
    for (const [r, n] of Object.entries(a.skippedByReason)) byReason[r] = (byReason[r] ?? 0) + (n ?? 0);
  }
  const read = fromSource + sourceSkipped;
  const lost = read - trained - heldOut - skipped;
  if (lost !== 0) {
    const where = [...flow].filter(([name, f]) => f.in - f.out !== (accounts.get(name)?.skipped ?? 0)).map(([name]) => name);
    telemetry.emit({
      type: 'log',
      level: 'warn',
      message: `${Math.abs(lost)} rows ${lost > 0 ? 'were lost' : 'were counted twice'} without a reason${where.length ? ` in ${where.join(', ')}` : ''}: please report this`,
    });
    if (lost > 0) {
      byReason.unaccounted = (byReason.unaccounted ?? 0) + lost;
      skipped += lost;
    }
  }
  return { read, trained, heldOut, skipped, skippedByReason: byReason };
}

/** Books of the run's stages (not sources): spec steps, automatic steps, vectorize and labels. */
function isStage(name: string): boolean {
  return name.startsWith('steps[') || name.startsWith('auto[') || name === 'vectorize' || name === 'label' || name === 'stopped';
}

/** Fails before training when the test file lacks a column of the training data (it would fail only after training). */
async function checkTestSchema(built: BuiltPipeline): Promise<void> {
  const first = (src: Observable<Batch>) => lastValueFrom(src.pipe(take(1)), { defaultValue: null });
  const [train, test] = await Promise.all([first(built.source()), first(built.testSource!())]);
  if (!train || !test) return;
  const missing = train.names.filter((n) => !test.has(n));
  if (missing.length > 0) {
    throw new SpecError(
      'evaluation.test',
      `the test file lacks column${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} of the training data; it has ${test.names.join(', ')}`,
    );
  }
  const family = (t: string) => (t === 'integer' || t === 'number' || t === 'boolean' ? 'number' : t === 'category' || t === 'text' ? 'text' : t);
  for (const n of train.names) {
    const a = train.column(n).type,
      b = test.column(n).type;
    if (family(a) !== family(b) && test.length > 0 && train.length > 0)
      throw new SpecError('evaluation.test', `column "${n}" is ${a} in the training data but ${b} in the test file`);
  }
}

/** JSON has no NaN: a metric with no value yet is null. */
function nulls(values: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));
}

/** Completes the stream when the signal aborts (Ctrl-C): teardown releases the source. */
function abortable(source: Observable<Batch>, signal: AbortSignal | undefined): Observable<Batch> {
  if (!signal) return source;
  return new Observable<Batch>((subscriber) => {
    const onAbort = () => subscriber.complete();
    if (signal.aborted) {
      subscriber.complete();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    const s = source.subscribe(subscriber);
    return () => {
      signal.removeEventListener('abort', onAbort);
      s.unsubscribe();
    };
  });
}

/** The report's data-drift section: the reference, rows watched, alerts, each column's verdict at the last comparison, and the columns not compared. */
function dataDriftReport(m: DataDriftMonitor, file: string | null, firstRows: number | null): NonNullable<Report['dataDrift']> {
  const r = m.report;
  const notCompared = r ? notComparedOf(r) : {};
  return {
    reference: file ?? `first ${firstRows} rows`,
    rows: m.rows,
    alerts: m.alerts,
    columns: r ? Object.fromEntries(Object.entries(r.columns).map(([k, c]) => [k, c.verdict])) : {},
    ...(Object.keys(notCompared).length > 0 ? { notCompared } : {}),
  };
}

/** Columns of the stream a comparison could not measure, and why (a reference file lacking them, or typing them otherwise). */
function notComparedOf(r: NonNullable<DataDriftMonitor['report']>): Record<string, string> {
  return { ...Object.fromEntries(r.onlyLive.map((c) => [c, 'not in the reference'])), ...r.notCompared };
}
