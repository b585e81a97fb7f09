import { existsSync } from 'node:fs';
import type { Subscription } from 'rxjs';
import { asyncMap, type BadRowReason, BadRows, type Batch, DeadLetter, SourceError, SpecError, Telemetry } from '../core/index.js';
import type { FeatureBooks, SavedPipeline } from '../operators/index.js';
import { buildPipeline, type SourceSpec } from '../pipeline/index.js';
import type { ServedModel } from './ServedModel.js';

/** What GET /health says about the stream learned beside the requests. */
export interface LearnFromStatus {
  /** The source as given (a path, -, tcp://…, ws://…). */
  source: string;
  /** reading: learning from it; ended: it ended (a file read to its end), learning stopped and serving goes on; failed: see error; stopped: the server closed. */
  state: 'reading' | 'ended' | 'failed' | 'stopped';
  /** Rows the source passed on (its skipped rows not included). */
  rows: number;
  /** Rows learned (labelled rows through the test-then-train engine). */
  learned: number;
  /** Rows skipped: the source's bad rows, rows the steps reject, rows without a usable label. */
  skipped: number;
  skippedByReason: Partial<Record<BadRowReason, number>>;
  /** Rows per learning slice now (chosen so a slice takes about `sliceMs`). */
  sliceRows: number;
  error?: string;
}

export interface LearnFromOptions {
  /** The source, as `sluice train` takes it (sourceFromPath): a file, stdin, a TCP or WebSocket stream. */
  source: SourceSpec;
  /** Its name in logs and /health (default: the file path, or the source's kind). */
  name?: string;
  /**
   * Rows per learning slice: a number fixes it; absent, it is chosen as the stream goes so that
   * a slice (the steps and the model's updates of its rows) takes about `sliceMs`.
   */
  sliceRows?: number;
  /** The time a slice aims at when `sliceRows` is not fixed (default 1.5 ms): the longest a /predict waits for learning. */
  sliceMs?: number;
}

/** How the learner reaches the server: the model served now, kept while a slice runs. */
export interface LearnFromHost {
  using<T>(fn: (served: ServedModel) => Promise<T>): Promise<T>;
  /** Rows learned from the stream (for /metrics). */
  onLearned(rows: number): void;
  /** Rows passed on by the source (for /metrics). */
  onRows(rows: number): void;
  /** A row skipped, with its reason (for /metrics). */
  onSkipped(reason: BadRowReason): void;
  log(line: string): void;
}

/** The smallest slice (and the first, before any is timed). */
const MIN_SLICE_ROWS = 64;
const MAX_SLICE_ROWS = 16_384;
/** Slices whose cost per row sizes the next one. */
const TIMED_SLICES = 15;
/** Source batch size when the source spec names none: a batch is parsed in one go on this thread (a CSV under 16 MiB), so it is kept small too. */
const SOURCE_BATCH_ROWS = 4096;
const DEFAULT_SLICE_MS = 1.5;

/**
 * A stream learned beside the requests (`sluice serve --learn-from SOURCE`): each source batch's
 * labelled rows go through the model's frozen steps and the served model's test-then-train engine,
 * as POST /learn's do, in slices of a few hundred rows with the event loop let go between two
 * slices (setImmediate), so a /predict waits for one slice at most, never for a whole batch. Each
 * slice is one update of the served model's queue (ServedModel.learn): /learn, /feedback and the
 * stream take turns, one update at a time. Bad rows follow the source's policy (`badRows`: skip,
 * counted and dead-lettered, or fail, which stops learning with the row named); a row without a
 * usable label is skipped as `label`. When the source ends, learning stops and serving goes on.
 */
export class LearnFrom {
  readonly name: string;
  private readonly sliceMs: number;
  private readonly fixed: number | null;
  /** Milliseconds per row of the last slices timed (their median sizes the next). */
  private readonly perRow: number[] = [];
  private state: LearnFromStatus['state'] = 'reading';
  private error: string | null = null;
  private rows = 0;
  private learned = 0;
  private readonly byReason: Partial<Record<BadRowReason, number>> = {};
  private sub: Subscription | null = null;
  private skipSub: Subscription | null = null;
  private stopping = false;
  private working: Promise<unknown> = Promise.resolve();
  private readonly books: FeatureBooks;
  private readonly stepBooks = new Map<string, BadRows>();
  private readonly labelBooks: BadRows;
  private readonly telemetry = new Telemetry();
  private releaseLetter: (() => void) | null = null;
  private readonly open: () => ReturnType<ReturnType<typeof buildPipeline>['source']>;
  private readonly labelColumns: readonly string[];

  constructor(
    model: SavedPipeline,
    options: LearnFromOptions,
    private readonly host: LearnFromHost,
  ) {
    const source = options.source;
    this.name = options.name ?? sourceName(source);
    if (options.sliceRows !== undefined && !(Number.isSafeInteger(options.sliceRows) && options.sliceRows >= 1))
      throw new SpecError('learnFrom.sliceRows', `expected an integer ≥ 1, got ${String(options.sliceRows)}`);
    if (options.sliceMs !== undefined && !(typeof options.sliceMs === 'number' && options.sliceMs > 0 && Number.isFinite(options.sliceMs)))
      throw new SpecError('learnFrom.sliceMs', `expected a number of milliseconds > 0, got ${String(options.sliceMs)}`);
    this.fixed = options.sliceRows ?? null;
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    if (model.labelColumns.length === 0) throw new SpecError('learnFrom', 'the model has no target column, so it cannot learn from a stream');
    this.labelColumns = model.labelColumns;
    // A missing file is an error now, before the server listens (as `sluice train` would say it).
    const file = source.csv ?? source.arrow ?? source.parquet ?? source.ndjson ?? source.json;
    if (file !== undefined && file !== '-' && !existsSync(file)) throw new SourceError(file, 'no such file');
    const policy = source.badRows ?? 'skip';
    const letter = source.deadLetter ? { deadLetter: source.deadLetter, deadLetterAppend: true } : {};
    const make = (step: string) => new BadRows(step, { badRows: policy, telemetry: this.telemetry, ...letter });
    this.labelBooks = make(this.name);
    this.books = {
      steps: (step) => {
        let b = this.stepBooks.get(step);
        if (b === undefined) {
          b = make(step);
          this.stepBooks.set(step, b);
        }
        return b;
      },
      labels: this.labelBooks,
    };
    // A CSV is typed as the training source was, the label columns included (as predict types its inputs).
    const types = model.inputTypes && { ...model.inputTypes, ...(model.labelTypes ?? {}) };
    const built = buildPipeline(
      {
        source: { batchSize: SOURCE_BATCH_ROWS, ...source },
        ...(source.csv !== undefined && types ? { typeHints: types } : {}),
      },
      {
        telemetry: this.telemetry,
        onListening: ({ host, port }) => this.host.log(`learning from ${this.name}: listening on ${host}:${port}`),
      },
    );
    this.open = () => built.source();
    if (built.deadLetter) this.releaseLetter = DeadLetter.share(built.deadLetter);
  }

  /** Starts reading (the server calls it once it is ready). */
  start(): void {
    if (this.sub !== null) return;
    // Only these two: a source computes its progress events only for someone who listens.
    this.skipSub = this.telemetry.on('skipped').subscribe((e) => {
      this.byReason[e.reason] = (this.byReason[e.reason] ?? 0) + 1;
      this.host.onSkipped(e.reason);
    });
    this.skipSub.add(
      this.telemetry.on('log').subscribe((e) => {
        if (e.level !== 'info') this.host.log(`learning from ${this.name}: ${e.message}`);
      }),
    );
    this.host.log(`learning from ${this.name}`);
    this.sub = this.open()
      .pipe(
        asyncMap(async (b: Batch) => {
          const work = this.learnBatch(b);
          this.working = work.catch(() => {});
          await work;
          return null;
        }),
      )
      .subscribe({
        error: (e: unknown) => this.finish('failed', e),
        complete: () => this.finish('ended', null),
      });
  }

  /** Stops reading and waits for the slice in progress (the server closes). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sub?.unsubscribe();
    await this.working;
    if (this.state === 'reading') this.finish('stopped', null);
  }

  status(): LearnFromStatus {
    return {
      source: this.name,
      state: this.state,
      rows: this.rows,
      learned: this.learned,
      skipped: Object.values(this.byReason).reduce((s, n) => s + (n ?? 0), 0),
      skippedByReason: { ...this.byReason },
      sliceRows: this.fixed ?? this.sliceRowsFor(1),
      ...(this.error !== null ? { error: this.error } : {}),
    };
  }

  /**
   * Rows per slice now: fixed, or about `sliceMs` of work at the cost per row of the last slices
   * (their median, so one slice caught by a garbage collection does not shrink the next ones), in
   * whole mini-batches of `b`, at least MIN_SLICE_ROWS (a slice has a fixed cost too).
   */
  private sliceRowsFor(b: number): number {
    if (this.fixed !== null) return this.fixed;
    const r = this.perRow;
    const rows = r.length === 0 ? MIN_SLICE_ROWS : Math.min(MAX_SLICE_ROWS, this.sliceMs / r.slice().sort((x, y) => x - y)[r.length >> 1]!);
    return Math.max(b, Math.floor(Math.max(rows, MIN_SLICE_ROWS) / b) * b);
  }

  private async learnBatch(batch: Batch): Promise<void> {
    if (this.stopping) return;
    if (this.rows === 0) {
      const missing = this.labelColumns.filter((c) => !batch.has(c));
      if (missing.length > 0)
        throw new SourceError(
          this.name,
          `no label column ${missing.map((c) => `"${c}"`).join(', ')} in the stream (it has ${batch.names.join(', ')}): the model learns labelled rows`,
        );
    }
    this.rows += batch.length;
    this.host.onRows(batch.length);
    for (let at = 0; at < batch.length && !this.stopping; ) {
      const took = await this.host.using(async (served) => {
        const n = Math.min(this.sliceRowsFor(served.model.model.batchSize), batch.length - at);
        const part = at === 0 && n === batch.length ? batch : batch.slice(at, at + n);
        const t0 = performance.now();
        const x = served.model.features(part, true, this.books);
        let labelled = 0;
        if (x.rows > 0) {
          const t = x.targets;
          for (let i = 0; i < x.rows; i++) if (t && Number.isFinite(t[i]!)) labelled++;
          const ms = await served.learn(x, 'stream', labelled);
          this.time(n, performance.now() - t0 - ms.waited);
        }
        this.learned += labelled;
        this.host.onLearned(labelled);
        return n;
      });
      at += took;
      // The event loop runs between two slices: requests waiting are answered now.
      await new Promise<void>((done) => setImmediate(done));
    }
  }

  /** Keeps the cost per row of the last TIMED_SLICES slices (the time spent waiting for other updates left out). */
  private time(rows: number, ms: number): void {
    if (rows <= 0 || !(ms >= 0)) return;
    this.perRow.push(Math.max(ms, 1e-3) / rows);
    if (this.perRow.length > TIMED_SLICES) this.perRow.shift();
  }

  private finish(state: 'ended' | 'failed' | 'stopped', e: unknown): void {
    if (this.state !== 'reading') return;
    this.state = state;
    if (e !== null) this.error = (e as Error)?.message ?? String(e);
    this.skipSub?.unsubscribe();
    for (const b of [...this.stepBooks.values(), this.labelBooks]) b.close();
    this.releaseLetter?.();
    this.releaseLetter = null;
    const s = this.status();
    const skipped = s.skipped > 0 ? `, ${s.skipped} skipped (${describe(s.skippedByReason)})` : '';
    if (state === 'ended')
      this.host.log(`learning from ${this.name}: the source ended after ${s.rows} rows (${s.learned} learned${skipped}); learning stopped, serving goes on`);
    else if (state === 'failed')
      this.host.log(
        `learning from ${this.name}: failed after ${s.rows} rows (${s.learned} learned${skipped}): ${this.error}; learning stopped, serving goes on`,
      );
  }
}

function describe(byReason: Partial<Record<string, number>>): string {
  return Object.entries(byReason)
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
}

/** A source's name: its path or address. */
export function sourceName(s: SourceSpec): string {
  const file = s.csv ?? s.arrow ?? s.parquet ?? s.ndjson ?? s.json;
  if (file !== undefined) return file;
  if (s.websocket !== undefined) return s.websocket;
  if (s.tcp !== undefined) return s.tcp.connect !== undefined ? `tcp://${s.tcp.connect}` : `tcp://${s.tcp.host ?? '127.0.0.1'}:${s.tcp.listen}`;
  if (s.synthetic !== undefined) return `synthetic ${typeof s.synthetic === 'string' ? s.synthetic : Object.keys(s.synthetic)[0]}`;
  return 'stream';
}
