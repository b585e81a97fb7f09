import { type BadRowPolicy, BadRows, type ColumnType, type PullChunk, type RowAccount, Schema, SpecError, Telemetry } from '../../core/index.js';
import { checkPositiveInt } from '../checkPositiveInt.js';
import { CsvParser, csvBatches } from '../csv/index.js';
import { ndjsonBatches } from '../json/index.js';

/** How the lines of a socket source are parsed (shared by `fromTcp` and `fromWebSocket`). */
export interface SocketFormatOptions {
  /** `ndjson` (default): one JSON object per line; `csv`: each connection starts with its header line. */
  format?: 'ndjson' | 'csv';
  /** Declared columns; with CSV `header: false` a Schema also names the columns, in order. Default: inferred per connection. */
  schema?: Schema | Readonly<Record<string, ColumnType>>;
  /** CSV: whether each connection starts with a header line (default true; `false` needs `schema`). */
  header?: boolean;
  /** CSV field separator (default `,`). */
  delimiter?: string;
  /** Rows buffered to infer types when no schema is declared (default 1000; the first connection's schema is reused by later NDJSON ones). */
  inferRows?: number;
  /** Rows per batch at most (default 8192); a batch is also emitted whenever the socket has no more data ready. */
  batchSize?: number;
  /** String values read as missing. */
  nullValues?: readonly string[];
  /** Longest accepted line in bytes (default 8 MiB); longer lines are bad rows (`too-long`) and are not buffered. */
  maxLineBytes?: number;
  /** CSV: longest field in bytes (default 1 MiB); a longer one makes its row bad (`field-too-large`). */
  maxFieldBytes?: number;
  /**
   * CSV: whether a quoted field may span lines (default false: each line is one record, so a
   * stray quote costs its own line, never the lines after it; the row is `field-count`).
   */
  quotedNewlines?: boolean;
  /** `skip` (default): count, dead-letter, go on; `fail`: error with `<source>#<connection>:line:column`. */
  badRows?: BadRowPolicy;
  /**
   * Dead-letter CSV. NDJSON connections share it (the detail names the connection); CSV
   * connections write `<name>.conn<N><ext>` each, since the CSV reader keeps its own file.
   */
  deadLetter?: string;
  /** Bus for progress, queue, skipped, account and retry `log` events (default `Telemetry.global`). */
  telemetry?: Telemetry;
}

/**
 * Parses the connections of one socket source into batches and keeps the source's books:
 * NDJSON connections share one BadRows; CSV connections (csvBatches keeps its own books) report
 * through a private telemetry bus whose `account` events are summed here and whose other events
 * are forwarded. `publish` emits the source-wide account (read = passed + skipped).
 */
export class SocketParser {
  readonly books: BadRows;
  private readonly csv = new Map<string, RowAccount>();
  private readonly sharedSchema: { current: Schema | null } = { current: null };
  private readonly telemetry: Telemetry;

  constructor(
    readonly source: string,
    private readonly options: SocketFormatOptions,
  ) {
    this.telemetry = options.telemetry ?? Telemetry.global;
    this.books = new BadRows(source, {
      ...(options.badRows ? { badRows: options.badRows } : {}),
      ...(options.deadLetter ? { deadLetter: options.deadLetter } : {}),
      telemetry: this.telemetry,
    });
  }

  /** Checks format options at creation (SpecError naming the option). */
  static validate(o: SocketFormatOptions): void {
    new BadRows('check', { ...(o.badRows ? { badRows: o.badRows } : {}) });
    if (o.format !== undefined && o.format !== 'ndjson' && o.format !== 'csv')
      throw new SpecError('format', `expected ndjson or csv, got ${JSON.stringify(o.format)}`);
    if (o.format === 'csv' && o.header === false && !o.schema) throw new SpecError('header', 'header: false needs a declared schema naming the columns');
    checkPositiveInt('inferRows', o.inferRows);
    checkPositiveInt('batchSize', o.batchSize);
    checkPositiveInt('maxLineBytes', o.maxLineBytes);
    if ((o.format ?? 'ndjson') === 'csv')
      CsvParser.validate({ ...SocketParser.csvOptions(o, 'check'), ...(o.quotedNewlines !== undefined ? { quotedNewlines: o.quotedNewlines } : {}) });
    else
      for (const key of ['maxFieldBytes', 'quotedNewlines'] as const)
        if (o[key] !== undefined) throw new SpecError(key, 'applies to format: csv only (an NDJSON line is always one record)');
  }

  /** Batches of one connection (`connection` names it in errors: `tcp://host:port#3`). */
  parse(chunks: AsyncIterable<Uint8Array>, connection: string, index: number): AsyncGenerator<PullChunk> {
    const o = this.options;
    if ((o.format ?? 'ndjson') === 'ndjson') {
      return ndjsonBatches(chunks, {
        source: connection,
        badRows: this.books,
        flushEachChunk: true,
        sharedSchema: this.sharedSchema,
        ...(o.schema ? { schema: o.schema } : {}),
        ...(o.inferRows ? { inferRows: o.inferRows } : {}),
        ...(o.batchSize ? { batchSize: o.batchSize } : {}),
        ...(o.nullValues ? { nullValues: o.nullValues } : {}),
        ...(o.maxLineBytes ? { maxLineBytes: o.maxLineBytes } : {}),
      });
    }
    const bus = new Telemetry();
    const sub = bus.events$.subscribe((e) => {
      if (e.type === 'account') this.csv.set(connection, { read: e.read, passed: e.passed, skipped: e.skipped, skippedByReason: e.skippedByReason });
      else this.telemetry.emit(e);
    });
    const opts = {
      ...SocketParser.csvOptions(o, connection),
      telemetry: bus,
      flushOnChunk: true,
      ...(o.deadLetter ? { deadLetter: withSuffix(o.deadLetter, `.conn${index}`) } : {}),
    };
    return (async function* () {
      try {
        yield* csvBatches(chunks, opts);
      } finally {
        sub.unsubscribe();
      }
    })();
  }

  /** Source-wide books: NDJSON rows plus every CSV connection's. */
  account(): RowAccount {
    const a = this.books.account();
    for (const c of this.csv.values()) {
      a.read += c.read;
      a.passed += c.passed;
      a.skipped += c.skipped;
      for (const [k, v] of Object.entries(c.skippedByReason))
        a.skippedByReason[k as keyof RowAccount['skippedByReason']] = (a.skippedByReason[k as keyof RowAccount['skippedByReason']] ?? 0) + (v ?? 0);
    }
    return a;
  }

  publish(done: boolean): void {
    this.telemetry.emit({ type: 'account', source: this.source, ...this.account(), done });
  }

  close(): void {
    this.books.close();
  }

  private static csvOptions(o: SocketFormatOptions, name: string) {
    return {
      name,
      ...(o.badRows ? { badRows: o.badRows } : {}),
      ...(o.schema ? { schema: o.header === false && !(o.schema instanceof Schema) ? Schema.from({ ...o.schema }) : o.schema } : {}),
      ...(o.header !== undefined ? { header: o.header } : {}),
      ...(o.delimiter ? { delimiter: o.delimiter } : {}),
      ...(o.inferRows ? { inferRows: o.inferRows } : {}),
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
      ...(o.nullValues ? { nullValues: o.nullValues } : {}),
      ...(o.maxLineBytes ? { maxRowBytes: o.maxLineBytes } : {}),
      ...(o.maxFieldBytes !== undefined ? { maxFieldBytes: o.maxFieldBytes } : {}),
      // Line-per-record by default: a stray quote must not swallow the lines after it.
      quotedNewlines: o.quotedNewlines ?? false,
    };
  }
}

function withSuffix(path: string, suffix: string): string {
  const m = /(\.[^./\\]+)$/.exec(path);
  return m ? path.slice(0, -m[1]!.length) + suffix + m[1] : path + suffix;
}
