import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Observable, lastValueFrom, tap } from 'rxjs';
import {
  BadRows, SchemaError, SluiceError, SpecError, asyncMap, writeFileAtomic,
  type Batch, type FeatureMatrix, type Telemetry,
} from '../core/index.js';
import { Pipeline, SPLIT_COLUMN, trainMask } from '../features/index.js';
import type { Model, Task } from '../learn/index.js';
import { MetricSet, type MetricSpec, type Predictions } from '../metrics/index.js';
import type { BuiltPipeline } from '../spec/index.js';
import type { Report } from './Report.js';

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
}

type CreateModel = (options: Record<string, unknown>) => Promise<Model>;

/** Metrics when none are asked for, by task. */
const DEFAULT_METRICS: Record<Task, MetricSpec[]> = {
  binary: ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss'],
  multiclass: ['accuracy', { name: 'f1', average: 'macro' }],
  regression: ['mae', 'rmse', 'r2'],
};

/** The models' own default mini-batch (createModel), used when none is given. */
const DEFAULT_BATCH = 32;

/** Gap between `metrics` telemetry events: the dashboard and the plain logger read them. */
const METRICS_EVERY_MS = 500;

/**
 * Runs a built pipeline into a model: each batch is split into training and held-out rows, the
 * training rows are scored by the model before it learns from them (progressive metrics), the
 * held-out rows are only scored. Then a test file, if any, goes through the frozen pipeline and
 * the final model. Returns the report; the model's device is released in every case.
 */
export async function trainStream(built: BuiltPipeline, o: TrainStreamOptions): Promise<Report> {
  const started = performance.now();
  const telemetry = built.telemetry;
  const target = built.target;
  if (!target) throw new SpecError('target', 'a model needs a target column or expression');

  const accounts = new Map<string, { read: number; skipped: number; byReason: Record<string, number> }>();
  let booksOpen = true;
  const sub = telemetry.events$.subscribe((e) => {
    if (e.type === 'account' && booksOpen) accounts.set(e.source, { read: e.read, skipped: e.skipped, byReason: { ...e.skippedByReason } as Record<string, number> });
  });

  const vectorizer = built.vectorizer;
  vectorizer.badRows = new BadRows('vectorize', { badRows: 'skip', telemetry });
  let model: Model | null = null;
  let task: Task | null = null;
  let progressive: MetricSet | null = null, held: MetricSet | null = null;
  let fromSource = 0, trained = 0, lastEmit = 0, epoch = 0;
  const makeSets = (t: Task) => {
    const specs = o.metrics?.length ? o.metrics : DEFAULT_METRICS[t];
    const opts = { ...(o.threshold !== undefined ? { threshold: o.threshold } : {}), path: 'evaluation.metrics' };
    progressive = new MetricSet(specs, { ...opts, ...(o.rolling !== undefined ? { rolling: o.rolling } : {}) });
    held = new MetricSet(specs, opts);
  };

  const start = async (batch: Batch) => {
    if (!batch.has(target.column)) {
      throw new SchemaError(`target column "${target.column}" is not in the data after the steps; columns: ${batch.names.filter((n) => n !== SPLIT_COLUMN).join(', ')}`);
    }
    const t = batch.column(target.column);
    const kind = o.model;
    const classification = o.task === 'classification' || (o.task === undefined && (t.type === 'boolean' || t.type === 'category' || t.type === 'text' || kind === 'logistic' || kind === 'softmax' || kind === 'svm'));
    let classes = typeof o.modelOptions?.classes === 'number' ? o.modelOptions.classes : 2;
    if (classification && (t.type === 'category' || t.type === 'text')) classes = Math.max(classes, vectorizer.classes?.length ?? 2, t.dictionary.size);
    if (classification && t.type === 'integer' && o.modelOptions?.classes === undefined) {
      let max = 1;
      for (let i = 0; i < batch.length; i++) max = Math.max(max, t.values[i]!);
      classes = max + 1;
    }
    task = !classification ? 'regression' : classes > 2 || kind === 'softmax' ? 'multiclass' : 'binary';
    const learn = await import('../learn/index.js') as unknown as { createModel?: CreateModel };
    if (typeof learn.createModel !== 'function') throw new SluiceError('UNAVAILABLE', 'no models are available in this build (src/learn exports no createModel)');
    const { classes: _c, ...rest } = o.modelOptions ?? {};
    model = await learn.createModel({
      ...rest,
      kind: kind ?? (task === 'regression' ? 'linear' : task === 'binary' ? 'logistic' : 'softmax'),
      task,
      ...(task === 'multiclass' ? { classes } : {}),
      ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
      ...(o.backend !== undefined ? { backend: o.backend } : {}),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
    });
    makeSets(task);
    o.onSnapshotReady?.(async () => {
      const dir = o.saveDir ?? tmpdir();
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `snapshot-${trained}.json`);
      const artifact = { version: 1, task, lineage: o.lineage ?? null, pipeline: new Pipeline([...built.transforms, vectorizer]).toJSON(), model: await model!.state(), rows: trained };
      writeFileAtomic(path, JSON.stringify(artifact));
      telemetry.emit({ type: 'checkpoint', path });
      return path;
    });
  };

  const predictions = (m: Model, p: Float32Array): Predictions => (m.task === 'regression' ? { values: p } : { probabilities: p });
  const score = async (set: MetricSet, x: FeatureMatrix) => {
    if (!model || x.rows === 0 || !x.targets) return;
    set.update(x.targets, predictions(model, await model.predict(x)), x.weights ?? undefined);
  };

  const step = async (batch: Batch): Promise<Batch | null> => {
    if (o.signal?.aborted) return null;
    if (!model) await start(batch);
    const mask = trainMask(batch);
    const trainRows = mask ? batch.filter(mask) : batch;
    vectorizer.learn(trainRows);
    const x = vectorizer.apply(trainRows);
    // Test-then-train per model mini-batch, not per source batch: a file read as one big batch
    // would otherwise be scored entirely by the untrained model.
    const chunk = o.batchSize ?? DEFAULT_BATCH;
    for (let i = 0; i < x.rows; i += chunk) {
      const part = i === 0 && x.rows <= chunk ? x : x.sliceRows(i, Math.min(x.rows, i + chunk));
      if (epoch === 0 && o.progressive !== false) await score(progressive!, part);
      await model!.learn(part);
      if (epoch === 0) trained += part.rows;
    }
    if (mask) {
      const rest = batch.filter(mask.map((v) => 1 - v));
      if (rest.length > 0) await score(held!, vectorizer.apply(rest));
    }
    const now = performance.now();
    if (now - lastEmit >= METRICS_EVERY_MS) { lastEmit = now; emitMetrics(); }
    return null;
  };
  const emitMetrics = () => {
    if (!progressive) return;
    const p = progressive as MetricSet;
    const rolling = p.rollingValues();
    telemetry.emit({ type: 'metrics', rows: trained, values: p.values(), ...(rolling ? { rolling } : {}), ...(model ? { model: (model as Model).kind } : {}) });
  };

  const run = (source: Observable<Batch>, counting: boolean) =>
    lastValueFrom(source.pipe(tap((b) => { if (counting) fromSource += b.length; }), built.steps, asyncMap(step)), { defaultValue: null });

  try {
    const epochs = o.epochs ?? 1;
    for (epoch = 0; epoch < epochs && !o.signal?.aborted; epoch++) {
      if (epoch > 0) (held as MetricSet | null)?.reset();
      await run(abortable(built.source(), o.signal), epoch === 0);
      booksOpen = false;
    }
    emitMetrics();
    let test: Record<string, number | null> | undefined;
    if (built.testSource && model && !o.signal?.aborted) {
      held!.reset();
      await lastValueFrom(built.testSource().pipe(built.frozenSteps, asyncMap(async (b) => { await score(held!, vectorizer.apply(b)); return null; })), { defaultValue: null });
      test = nulls(held!.values());
    } else if (held && (built.transforms.some((t) => t.kind === 'split'))) test = nulls((held as MetricSet).values());

    const elapsedSeconds = (performance.now() - started) / 1000;
    let skipped = 0, sourceSkipped = 0;
    const byReason: Record<string, number> = {};
    for (const [name, a] of accounts) {
      skipped += a.skipped;
      if (!name.startsWith('steps[') && name !== 'vectorize') sourceSkipped += a.skipped;
      for (const [r, n] of Object.entries(a.byReason)) byReason[r] = (byReason[r] ?? 0) + n;
    }
    const m = model as Model | null;
    const report: Report = {
      rows: { read: fromSource + sourceSkipped, trained, skipped, skippedByReason: byReason },
      metrics: progressive ? nulls((progressive as MetricSet).values()) : {},
      ...(test ? { test } : {}),
      rowsPerSecond: fromSource / Math.max(elapsedSeconds, 1e-9),
      elapsedSeconds,
      backend: m?.backendName ?? null,
      adapter: m?.adapter ?? null,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
    };
    if (o.saveDir && m) {
      mkdirSync(o.saveDir, { recursive: true });
      const artifact = { version: 1, task, lineage: o.lineage ?? null, pipeline: new Pipeline([...built.transforms, vectorizer]).toJSON(), model: await m.state(), report };
      writeFileAtomic(`${o.saveDir}/pipeline.json`, JSON.stringify(artifact));
      telemetry.emit({ type: 'checkpoint', path: `${o.saveDir}/pipeline.json` });
    }
    const reportPath = o.reportPath ?? (o.saveDir ? `${o.saveDir}/report.json` : undefined);
    if (reportPath) mkdirSync(dirname(reportPath), { recursive: true });
    if (reportPath) writeFileAtomic(reportPath, JSON.stringify(report, null, 2) + '\n');
    return report;
  } finally {
    sub.unsubscribe();
    await (model as Model | null)?.dispose();
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
    if (signal.aborted) { subscriber.complete(); return; }
    signal.addEventListener('abort', onAbort, { once: true });
    const s = source.subscribe(subscriber);
    return () => { signal.removeEventListener('abort', onAbort); s.unsubscribe(); };
  });
}
