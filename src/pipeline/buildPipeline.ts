import { defer, map, type Observable, type OperatorFunction, pipe, takeWhile, tap } from 'rxjs';
import { type Batch, type ColumnType, type SourcePosition, SpecError, Telemetry } from '../core/index.js';
import { Derive, Splitter, type Transform, Vectorize } from '../features/index.js';
import { fromArrowIpc, fromCsv, fromJson, fromNdjson, fromParquet, fromTcp, fromWebSocket, synthetic, transform } from '../operators/index.js';
import { defined, makeStep } from './makeStep.js';
import type { SourceSpec, Spec } from './Spec.js';
import { COLUMN_NAME } from './validateSpec.js';

/** Name of the column an expression target is derived into. */
export const TARGET_COLUMN = 'target';

/** A validated spec mapped onto the operators; nothing is read until `source()` is subscribed. */
export interface BuiltPipeline {
  /**
   * A fresh read of the source, cut at `maxRows` (each epoch subscribes again). `from` goes on
   * from where an earlier read's batch left off (its `sourceAt`, with the columns and types it
   * had, and the rows emitted up to it): only when `seekable`. `deadLetter: false` reads without
   * writing the dead letter (a later pass: its rejected rows were written by the first).
   */
  source(from?: SourceResume, options?: { deadLetter?: boolean }): Observable<Batch>;
  /** Whether `source(from)` can go on from a batch's `sourceAt`: a CSV file (not stdin). */
  seekable: boolean;
  /** `evaluation.test` read with the source's options, or null. */
  testSource: (() => Observable<Batch>) | null;
  /** Target derivation, split and steps, learning from training rows. */
  steps: OperatorFunction<Batch, Batch>;
  /** The same chain applying its learned state without learning (test files). */
  frozenSteps: OperatorFunction<Batch, Batch>;
  /** Transforms with saveable state, in order (target derive and split first when present). */
  transforms: Transform[];
  /** The last step: batch → FeatureMatrix (learns its layout from training rows). */
  vectorizer: Vectorize;
  /** The target column after the steps, the expression it came from, and every column it reads. */
  target: { column: string; expression: string | null; reads: readonly string[] } | null;
  /** The spec's `positive`: the positive class of a binary task, or null (the default rule). */
  positive: string | null;
  telemetry: Telemetry;
  /** The source's dead-letter file, which every step shares (DeadLetter.share), or null. */
  deadLetter: string | null;
  /** Rows in and out of each spec step by name (`steps[1].dedupe`), for the run's books. */
  flow: ReadonlyMap<string, StepFlow>;
}

export interface BuildOptions {
  telemetry?: Telemetry;
  /** Called when a tcp `listen` source has bound its port. */
  onListening?: (address: { host: string; port: number }) => void;
  /** Seed when the spec has none. */
  seed?: number;
  /** Key path naming the target in errors (default `target`; the train command says `--target`). */
  targetPath?: string;
}

/** Maps a validated spec (readSpec/validateSpec) onto sources, transforms and vectorize. */
export function buildPipeline(spec: Spec, options: BuildOptions = {}): BuiltPipeline {
  const telemetry = options.telemetry ?? new Telemetry();
  const seed = spec.seed ?? options.seed ?? 1;
  const parts: Array<{ op: OperatorFunction<Batch, Batch>; frozen: OperatorFunction<Batch, Batch>; t: Transform | null }> = [];
  const flow = new Map<string, StepFlow>();

  let target: BuiltPipeline['target'] = null;
  if (spec.target !== undefined) {
    if (COLUMN_NAME.test(spec.target)) target = { column: spec.target, expression: null, reads: [spec.target] };
    else {
      const d = new Derive(TARGET_COLUMN, spec.target, { telemetry });
      target = { column: TARGET_COLUMN, expression: spec.target, reads: d.columns };
      parts.push({ op: transform(d), frozen: transform(d, { frozen: true }), t: d });
    }
  }
  if (spec.split) {
    const s = new Splitter(
      defined({
        fractions: { train: 1 - spec.split.test, test: spec.split.test },
        key: spec.split.key,
        stratify: spec.split.stratify,
        seed: spec.split.seed ?? seed,
      }),
    );
    // Held-out rows of a test *file* are all test rows anyway: the frozen chain skips the split.
    parts.push({ op: transform(s), frozen: pipe(), t: s });
  }
  (spec.steps ?? []).forEach((s, i) => {
    const [kind, opts] = Object.entries(s)[0]!;
    const step = makeStep(kind, opts, {
      target: target?.column ?? null,
      telemetry,
      path: `steps[${i}]`,
      ...(spec.source.deadLetter ? { deadLetter: spec.source.deadLetter } : {}),
    });
    parts.push({ op: counted(`steps[${i}].${kind}`, step.operator, flow), frozen: step.frozen, t: step.transform });
  });

  const reads = target ? target.reads.filter((c) => c !== target!.column) : [];
  const vectorizer = new Vectorize(
    defined({
      target: target?.column,
      drop: [...reads, ...(spec.features?.drop ?? [])],
      features: spec.features?.include,
      missing: spec.features?.missing,
    }),
  );

  const src = spec.source;
  const maxRows = src.maxRows ?? spec.training?.maxRows;
  const testFile = spec.evaluation?.test;
  const seekable = src.csv !== undefined && src.csv !== '-';
  return {
    source: (from, o) => {
      if (from && !seekable) throw new SpecError('source', 'this source cannot go on from a position: only a CSV file can');
      const s = o?.deadLetter === false ? { ...src, deadLetter: undefined } : src;
      return limitRows(
        openSource(s, spec.schema, telemetry, options, undefined, spec.typeHints, from),
        maxRows === undefined || !from ? maxRows : maxRows - from.emitted,
      );
    },
    seekable,
    testSource: testFile ? () => openSource(src, spec.schema, telemetry, options, testFile) : null,
    steps: compose([checkTarget(target, options.targetPath ?? 'target'), ...parts.map((p) => p.op)]),
    frozenSteps: compose(parts.map((p) => p.frozen)),
    transforms: parts.flatMap((p) => (p.t ? [p.t] : [])),
    vectorizer,
    target,
    positive: spec.positive ?? null,
    telemetry,
    deadLetter: spec.source.deadLetter ?? null,
    flow,
  };
}

/** Where a source goes on from (BuiltPipeline.source): a batch's sourceAt, the columns and types there, and the rows emitted up to it. */
export type SourceResume = SourcePosition & { names: readonly string[]; types: Readonly<Record<string, ColumnType>>; emitted: number };

/** Rows into and out of one step, summed over every subscription. */
export interface StepFlow {
  in: number;
  out: number;
}

/** Counts the rows a step takes and passes on, so a run can tell which step lost rows it did not account for. */
function counted(name: string, op: OperatorFunction<Batch, Batch>, flow: Map<string, StepFlow>): OperatorFunction<Batch, Batch> {
  const f: StepFlow = { in: 0, out: 0 };
  flow.set(name, f);
  return (source) =>
    source.pipe(
      tap((b) => {
        f.in += b.length;
      }),
      op,
      tap((b) => {
        f.out += b.length;
      }),
    );
}

/** Fails on the first batch when the target (or a column its expression reads) is not in the data. */
function checkTarget(target: BuiltPipeline['target'], path: string): OperatorFunction<Batch, Batch> {
  if (!target) return pipe();
  return (source) =>
    defer(() => {
      let checked = false;
      return source.pipe(
        map((b) => {
          if (!checked) {
            checked = true;
            const missing = (target.expression ? target.reads : [target.column]).filter((c) => !b.has(c));
            if (missing.length > 0) {
              throw new SpecError(
                path,
                `unknown column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}; the data has ${b.names.join(', ')}`,
              );
            }
          }
          return b;
        }),
      );
    });
}

function compose(ops: ReadonlyArray<OperatorFunction<Batch, Batch>>): OperatorFunction<Batch, Batch> {
  return (source) => ops.reduce((s, op) => s.pipe(op), source);
}

/** Cuts a stream after `n` rows (the last batch sliced); completes at once when reached. */
function limitRows(source: Observable<Batch>, n: number | undefined): Observable<Batch> {
  if (n === undefined) return source;
  return defer(() => {
    let left = n;
    return source.pipe(
      map((b) => {
        const out = b.length > left ? b.slice(0, left) : b;
        left -= out.length;
        return out;
      }),
      takeWhile(() => left > 0, true),
    );
  });
}

/** The source a spec names; `file` replaces the path of a file source (evaluation.test). */
function openSource(
  s: SourceSpec,
  schema: Spec['schema'],
  telemetry: Telemetry,
  options: BuildOptions,
  file?: string,
  typeHints?: Spec['typeHints'],
  from?: SourceResume,
): Observable<Batch> {
  const common = defined({ badRows: s.badRows, deadLetter: file ? undefined : s.deadLetter, capacity: s.capacity, batchSize: s.batchSize, telemetry });
  const text = defined({
    schema,
    header: s.header,
    delimiter: s.delimiter,
    inferRows: s.inferRows,
    nullValues: s.nullValues,
    maxFieldBytes: s.maxFieldBytes,
    quotedNewlines: s.quotedNewlines,
  });
  // The parse thread has its own DeadLetter: it is told to append to the run's shared file.
  if (s.csv !== undefined)
    return fromCsv(file ?? s.csv, {
      ...common,
      ...text,
      ...defined({ parseThread: s.parseThread, typeHints }),
      ...(from
        ? {
            resume: { offset: from.offset, line: from.line, row: from.row, names: from.names, types: from.types, ...(from.books ? { books: from.books } : {}) },
          }
        : {}),
      ...(common.deadLetter ? { deadLetterAppend: true } : {}),
    });
  if (s.arrow !== undefined) return fromArrowIpc(file ?? s.arrow, common);
  if (s.parquet !== undefined) return fromParquet(file ?? s.parquet, defined({ ...common, columns: s.columns }));
  if (s.ndjson !== undefined) return fromNdjson(file ?? s.ndjson, defined({ ...common, schema, inferRows: s.inferRows, nullValues: s.nullValues }));
  if (s.json !== undefined) return fromJson(file ?? s.json, defined({ ...common, schema, inferRows: s.inferRows, nullValues: s.nullValues }));
  if (file !== undefined) throw new SpecError('evaluation.test', 'a test file needs a file source (csv, arrow, parquet, ndjson or json)');
  const socket = defined({ ...common, ...text, format: s.format });
  if (s.tcp?.listen !== undefined && s.reconnect)
    throw new SpecError('source.reconnect', 'a tcp server (listen) does not reconnect; reconnect applies to tcp.connect and websocket');
  for (const k of ['backoff', 'maxRetries'] as const)
    if (s[k] !== undefined && !s.reconnect) throw new SpecError(`source.${k}`, 'applies only with reconnect: true');
  // Backoff's cap is 10 s; a longer first delay raises it.
  const reconnect = s.reconnect
    ? defined({ initialDelayMs: s.backoff, maxDelayMs: s.backoff !== undefined ? Math.max(10_000, s.backoff) : undefined, maxRetries: s.maxRetries })
    : false;
  if (s.tcp !== undefined) {
    return fromTcp(
      defined({
        ...socket,
        listen: s.tcp.listen,
        host: s.tcp.host,
        connect: s.tcp.connect,
        maxConnections: s.tcp.maxConnections,
        ...(s.tcp.connect !== undefined ? { reconnect } : {}),
        onListening: options.onListening,
      }),
    );
  }
  if (s.websocket !== undefined) return fromWebSocket(s.websocket, { ...socket, reconnect });
  if (s.synthetic !== undefined) {
    const [name, opts] = typeof s.synthetic === 'string' ? [s.synthetic, {}] : Object.entries(s.synthetic)[0]!;
    return synthetic(name, defined({ ...(opts ?? {}), rows: s.maxRows, batchSize: s.batchSize, capacity: s.capacity, telemetry, name }));
  }
  throw new SpecError('source', 'expected one of csv, arrow, parquet, ndjson, json, tcp, websocket, synthetic');
}
