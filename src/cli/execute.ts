import { existsSync, statSync } from 'node:fs';
import { lastValueFrom, Observable, type OperatorFunction, Subject, type Subscription, tap } from 'rxjs';
import { asyncMap, type Batch, DeadLetter, SourceError, SpecError, Telemetry, textLogger } from '../core/index.js';
import type { DriftSpec } from '../drift/index.js';
import { ColumnStats } from '../features/index.js';
import { type BuiltPipeline, type BuiltStep, buildPipeline, makeStep, type Spec } from '../pipeline/index.js';
import type { PauseGate } from '../tui/index.js';
import type { TuneOptions } from '../tune/index.js';
import { CheckpointError, type CheckpointState, checkpointFile, readCheckpoint } from './Checkpoint.js';
import type { Report } from './Report.js';
import { sourceFromPath } from './sourceFromPath.js';
import { sourceName } from './sourceName.js';
import { type TrainStreamOptions, trainStream } from './trainStream.js';

export interface ExecuteOptions {
  json: boolean;
  quiet: boolean;
  /** Plain progress lines instead of the dashboard. */
  noTui: boolean;
  seed?: number;
  /** Key path of the target in errors (`--target` for the train command). */
  targetPath?: string;
  /** Key path of the task in errors (`--task` for the train command). */
  taskPath?: string;
  /** Steps decided from the first batch (the train command's default preprocessing). */
  autoSteps?: (batch: Batch, target: BuiltPipeline['target']) => Array<Record<string, unknown>>;
  /** Model options when the spec names no model (the kind then follows the task). */
  modelOptions?: Record<string, unknown>;
  /** Recorded in the saved artifact. */
  lineage: unknown;
  err: (line: string) => void;
  signal?: AbortSignal;
  /** SIGTERM: stop reading (after a last checkpoint when the spec takes them). */
  terminate?: AbortSignal;
  /** Go on from the checkpoint in the spec's training.checkpoint.dir, if there is one there (else start, saying so). */
  resume?: boolean;
  /** What the caller keeps in a checkpoint besides the run (the train command's plan), and puts back on resume. */
  checkpointExtra?: { save(): unknown; restore(saved: unknown): void };
}

/** Runs a validated spec: source → steps → model, with progress on stderr (or the dashboard); resolves to the report. */
export async function execute(spec: Spec, o: ExecuteOptions): Promise<Report> {
  const telemetry = new Telemetry();
  const cp = spec.training?.checkpoint;
  const run = cp ? runIdentity(spec, o.modelOptions) : null;
  let resumed: CheckpointState | null = null;
  if (o.resume) {
    if (!cp) throw new SpecError('training.checkpoint', 'resuming needs a checkpoint directory (--resume DIR, training.checkpoint.dir)');
    resumed = readCheckpoint(cp.dir);
    const file = checkpointFile(cp.dir);
    if (resumed?.finished) throw new CheckpointError(file, `the run finished (${resumed.created}): there is nothing to resume`);
    if (resumed) checkSameRun(file, resumed.run, run);
    else o.err(`no checkpoint in ${cp.dir} yet: starting from the beginning`);
  }
  const saved = (resumed?.extra ?? null) as { autoSteps?: Array<Record<string, unknown>>; caller?: unknown } | null;
  if (saved && saved.caller !== undefined) o.checkpointExtra?.restore(saved.caller);
  let autoDecided: Array<Record<string, unknown>> | null = saved?.autoSteps ?? null;
  let built = buildPipeline(spec, {
    telemetry,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.targetPath ? { targetPath: o.targetPath } : {}),
    onListening: ({ host, port }) => telemetry.emit({ type: 'log', level: 'info', message: `listening on ${host}:${port}` }),
  });
  if (o.autoSteps) {
    const decide = o.autoSteps;
    built = withAutoSteps(
      built,
      (b, t) => {
        autoDecided = decide(b, t);
        return autoDecided;
      },
      // A resumed run takes the steps decided from the first batch of the first run.
      autoDecided,
    );
  }

  const view = o.quiet ? null : await progress(telemetry, o, spec.name ?? 'sluice');
  const stop = view?.stop ?? (async () => {});
  if (view?.gate) {
    const gate = view.gate,
      source = built.source;
    built = { ...built, source: (from, o) => source(from, o).pipe(gate.operator()) };
  }
  // `q` on the dashboard ends the run like Ctrl-C (the report covers the rows seen) but exits 0.
  const signal = view?.quit ? (o.signal ? AbortSignal.any([o.signal, view.quit]) : view.quit) : o.signal;
  o = { ...o, ...(signal ? { signal } : {}) };
  // Every stage of the run appends to the source's dead letter; an old file is removed first.
  // A run resumed in a later pass, or from stdin or a socket (whose rows are not read again), keeps
  // the file (the first pass wrote every record); one resumed
  // from an offset keeps the records of the rows before it; one that reads its file again in the
  // first pass starts the file afresh (see docs/checkpoints.md).
  const keepBefore = !resumed
    ? undefined
    : resumed.position.epoch > 0 || !replayable(spec)
      ? Number.POSITIVE_INFINITY
      : resumed.position.at && built.seekable
        ? resumed.position.at.line
        : undefined;
  const release = built.deadLetter ? DeadLetter.share(built.deadLetter, keepBefore) : null;
  try {
    if (spec.target === undefined) {
      // No model, nothing to checkpoint: SIGTERM stops reading as Ctrl-C does.
      const stops = [o.signal, o.terminate].filter((x): x is AbortSignal => x !== undefined);
      return await streamOnly(built, stops.length > 0 ? AbortSignal.any(stops) : undefined);
    }
    const model = spec.model === undefined ? undefined : typeof spec.model === 'string' ? ([spec.model, {}] as const) : Object.entries(spec.model)[0]!;
    const seed = spec.seed ?? o.seed;
    return await trainStream(built, {
      ...(model ? { model: model[0], modelOptions: { ...(model[1] ?? {}) } } : o.modelOptions ? { modelOptions: o.modelOptions } : {}),
      ...(spec.task ? { task: spec.task } : {}),
      ...(spec.training?.batchSize !== undefined ? { batchSize: spec.training.batchSize } : {}),
      ...(spec.training?.epochs !== undefined ? { epochs: spec.training.epochs } : {}),
      ...(spec.training?.backend !== undefined ? { backend: spec.training.backend } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(spec.evaluation?.metrics ? { metrics: spec.evaluation.metrics } : {}),
      ...(spec.evaluation?.rolling !== undefined ? { rolling: spec.evaluation.rolling } : {}),
      ...(spec.evaluation?.threshold !== undefined ? { threshold: spec.evaluation.threshold } : {}),
      ...(spec.evaluation?.progressive !== undefined ? { progressive: spec.evaluation.progressive } : {}),
      ...(spec.output?.dir && spec.output.save !== false ? { saveDir: spec.output.dir } : {}),
      ...(spec.output?.report ? { reportPath: spec.output.report } : spec.output?.dir ? { reportPath: `${spec.output.dir}/report.json` } : {}),
      lineage: o.lineage,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.terminate ? { terminate: o.terminate } : {}),
      ...(cp
        ? {
            checkpoint: {
              dir: cp.dir,
              everyMs: (cp.every ?? 60) * 1000,
              run,
              resume: resumed,
              replayable: replayable(spec),
              extra: () => ({ autoSteps: autoDecided, ...(o.checkpointExtra ? { caller: o.checkpointExtra.save() } : {}) }),
            },
          }
        : {}),
      ...(view?.setSnapshot ? { onSnapshotReady: view.setSnapshot } : {}),
      sourceName: sourceName(spec),
      ...(spec.source.badRows ? { badRows: spec.source.badRows } : {}),
      ...(spec.training?.onDivergence ? { onDivergence: spec.training.onDivergence } : {}),
      ...(spec.drift ? { drift: spec.drift as DriftSpec } : {}),
      ...(spec.tune ? { tune: spec.tune as TuneOptions } : {}),
      ...(spec.dataDrift ? { dataDrift: await dataDriftOptions(spec.dataDrift, spec, telemetry) } : {}),
      ...(o.taskPath ? { taskPath: o.taskPath } : {}),
      // The train command checks its --drop itself (against the data as read).
      columnLists:
        o.targetPath === '--target'
          ? []
          : [
              ...(spec.features?.drop ? [{ path: 'features.drop', names: spec.features.drop }] : []),
              ...(spec.features?.include ? [{ path: 'features.include', names: spec.features.include }] : []),
            ],
    });
  } finally {
    release?.();
    await stop();
  }
}

interface ProgressView {
  stop(): Promise<void>;
  /** Dashboard only: holds batches while paused (`p`). */
  gate?: PauseGate;
  /** Dashboard only: aborted by `q`. */
  quit?: AbortSignal;
  /** Dashboard only: where `s` finds the snapshot function once the model exists. */
  setSnapshot?: (save: () => Promise<string>) => void;
}

/** The dashboard when stdout is a terminal (and neither --no-tui, --json nor CI), else textLogger lines on stderr. */
async function progress(telemetry: Telemetry, o: ExecuteOptions, title: string): Promise<ProgressView> {
  if (!o.noTui && !o.json && process.stdout.isTTY && !process.env.CI) {
    // React's development build draws several times slower.
    process.env.NODE_ENV ??= 'production';
    const tui = await import('../tui/index.js');
    const gate = new tui.PauseGate();
    const quit = new AbortController();
    let save: (() => Promise<string>) | null = null;
    const handle = tui.dashboard({
      telemetry,
      title,
      onPause: () => gate.pause(),
      onResume: () => gate.resume(),
      onQuit: () => {
        gate.resume();
        quit.abort();
      },
      onSnapshot: async () => {
        if (!save) throw new Error('no model yet: nothing to snapshot');
        return save();
      },
    });
    // The first frame is up before the pipeline starts, so the worker's start-up does not share the cores with the run.
    await handle.ready;
    return {
      stop: () => handle.stop(),
      gate,
      quit: quit.signal,
      setSnapshot: (f) => {
        save = f;
      },
    };
  }
  const sub = textLogger({ telemetry, write: o.err });
  return { stop: async () => sub.unsubscribe() };
}

/** A spec without a target: the steps run and the rows are counted. */
async function streamOnly(built: BuiltPipeline, signal: AbortSignal | undefined): Promise<Report> {
  const started = performance.now();
  let read = 0,
    skipped = 0;
  const byReason: Record<string, number> = {};
  const books = new Map<string, { skipped: number; byReason: Record<string, number> }>();
  const sub = built.telemetry.events$.subscribe((e) => {
    if (e.type === 'account') books.set(e.source, { skipped: e.skipped, byReason: { ...e.skippedByReason } as Record<string, number> });
  });
  try {
    await lastValueFrom(
      built.source().pipe(
        tap((b) => {
          read += b.length;
        }),
        built.steps,
        asyncMap(async () => {
          if (signal?.aborted) throw new Error('interrupted');
          return null;
        }),
      ),
      { defaultValue: null },
    ).catch((e) => {
      if (!signal?.aborted) throw e;
    });
  } finally {
    sub.unsubscribe();
  }
  for (const a of books.values()) {
    skipped += a.skipped;
    for (const [r, n] of Object.entries(a.byReason)) byReason[r] = (byReason[r] ?? 0) + n;
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  return {
    rows: {
      read: read + [...books.entries()].filter(([k]) => !k.startsWith('steps[')).reduce((s, [, a]) => s + a.skipped, 0),
      trained: 0,
      heldOut: 0,
      skipped,
      skippedByReason: byReason,
    },
    metrics: {},
    rowsPerSecond: read / Math.max(elapsedSeconds, 1e-9),
    elapsedSeconds,
    backend: null,
    adapter: null,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

/**
 * Appends steps decided from the first batch after the spec's own (target, split, steps). Later
 * subscriptions (epochs, the frozen test chain) reuse the same step instances.
 */
function withAutoSteps(
  built: BuiltPipeline,
  decide: NonNullable<ExecuteOptions['autoSteps']>,
  preset: Array<Record<string, unknown>> | null = null,
): BuiltPipeline {
  const steps: BuiltStep[] = [];
  let decided = false;
  const transforms = built.transforms;
  const add = (specs: Array<Record<string, unknown>>) =>
    specs.forEach((s, i) => {
      const [kind, opts] = Object.entries(s)[0]!;
      const step = makeStep(kind, opts, { target: built.target?.column ?? null, telemetry: built.telemetry, path: `auto[${i}].${kind}` });
      steps.push(step);
      if (step.transform) transforms.push(step.transform);
    });
  if (preset) {
    decided = true;
    add(preset);
  }
  const lazy =
    (pick: (s: BuiltStep) => OperatorFunction<Batch, Batch>): OperatorFunction<Batch, Batch> =>
    (source) =>
      new Observable<Batch>((subscriber) => {
        let input: Subject<Batch> | null = null;
        let inner: Subscription | null = null;
        const sub = source.subscribe({
          next(b) {
            if (!input) {
              try {
                if (!decided) {
                  decided = true;
                  add(decide(b, built.target));
                }
              } catch (e) {
                subscriber.error(e);
                return;
              }
              input = new Subject<Batch>();
              inner = steps.reduce((s: Observable<Batch>, step) => s.pipe(pick(step)), input).subscribe(subscriber);
            }
            input.next(b);
          },
          error(e) {
            if (input) input.error(e);
            else subscriber.error(e);
          },
          complete() {
            if (input) input.complete();
            else subscriber.complete();
          },
        });
        return () => {
          sub.unsubscribe();
          inner?.unsubscribe();
        };
      });
  const steps0 = built.steps,
    frozen0 = built.frozenSteps;
  return {
    ...built,
    steps: (s) =>
      s.pipe(
        steps0,
        lazy((x) => x.operator),
      ),
    frozenSteps: (s) =>
      s.pipe(
        frozen0,
        lazy((x) => x.frozen),
      ),
    transforms,
  };
}

/** The spec's dataDrift as trainStream options: a reference file is read into column statistics first. */
async function dataDriftOptions(d: NonNullable<Spec['dataDrift']>, spec: Spec, telemetry: Telemetry): Promise<NonNullable<TrainStreamOptions['dataDrift']>> {
  const { reference, ...rest } = d;
  if (reference === undefined) return rest;
  const source = sourceFromPath(reference);
  if (source.tcp || source.websocket || reference === '-') throw new SpecError('dataDrift.reference', `expected a file, got ${reference}`);
  if (!existsSync(reference)) throw new SourceError(reference, 'no such file (dataDrift.reference, --data-drift-reference)');
  // Read as the source is (delimiter, null values, types) when it is the same kind of file.
  const kind = (s: typeof source) => (['csv', 'arrow', 'parquet', 'ndjson', 'json'] as const).find((k) => s[k] !== undefined);
  const same = kind(source) === kind(spec.source);
  const { csv: _c, arrow: _a, parquet: _p, ndjson: _n, json: _j, deadLetter: _d, badRows: _b, maxRows: _m, ...text } = spec.source;
  const built = buildPipeline({ source: { ...(same ? text : {}), ...source }, ...(same && spec.schema ? { schema: spec.schema } : {}) }, { telemetry });
  const stats = new ColumnStats({ topCapacity: 256 });
  await lastValueFrom(built.source().pipe(tap((b) => stats.update(b))), { defaultValue: null });
  return { ...rest, reference: stats, referenceName: reference };
}

/** What a checkpoint must match to be resumed: the spec (without its checkpoint settings and outputs), the train command's model flags and, for a file, its size and time. */
function runIdentity(spec: Spec, modelOptions: Record<string, unknown> | undefined): unknown {
  const { checkpoint: _c, ...training } = spec.training ?? {};
  // Where the results go is not what is learned: a registry's staging directory is new in every run.
  const { output: _o, ...learned } = spec;
  const file = [spec.source.csv, spec.source.arrow, spec.source.parquet, spec.source.ndjson, spec.source.json].find((f) => f !== undefined && f !== '-');
  let input: { file: string; bytes: number; modified: number } | null = null;
  if (file && existsSync(file)) {
    const st = statSync(file);
    input = { file, bytes: st.size, modified: Math.round(st.mtimeMs) };
  }
  return JSON.parse(JSON.stringify({ spec: { ...learned, training }, modelOptions: modelOptions ?? null, input }));
}

/** A checkpoint resumes only the run that made it: the first key that differs is named. */
function checkSameRun(file: string, saved: unknown, now: unknown): void {
  const diff = firstDifference(saved, now, '');
  if (diff !== null)
    throw new CheckpointError(
      file,
      `made by another run: ${diff.path || '(root)'} was ${JSON.stringify(diff.a)}, is ${JSON.stringify(diff.b)} (resume with the same command or spec, on the same input)`,
    );
}

function firstDifference(a: unknown, b: unknown, path: string): { path: string; a: unknown; b: unknown } | null {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a as object), ...Object.keys(b as object)])) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : { path, a, b };
}

/** A source read again from its start gives the same rows: files and seeded synthetic streams, not stdin or sockets. */
function replayable(spec: Spec): boolean {
  const s = spec.source;
  if (s.tcp || s.websocket) return false;
  const file = s.csv ?? s.arrow ?? s.parquet ?? s.ndjson ?? s.json;
  return file !== undefined ? file !== '-' : s.synthetic !== undefined;
}
