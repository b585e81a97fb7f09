import {
  BadInputError,
  type BadInputLocation,
  type BadRowPolicy,
  type BadRowReason,
  BadRows,
  type Batch,
  BatchBuilder,
  type ColumnType,
  inferSchema,
  type PullChunk,
  Schema,
  type Telemetry,
} from '../../core/index.js';
import { checkPositiveInt } from '../checkPositiveInt.js';
import { LineReader, type LineSink } from './LineReader.js';

/** Options of `ndjsonBatches` (and, through `NdjsonOptions`, of `fromNdjson`). */
export interface NdjsonBatchOptions {
  /** Source name in errors and dead letters: a path, `-`, `tcp://host:port#3`. */
  source: string;
  /** Declared columns (`Schema` or `{ col: type }`); keys not in it are ignored. Default: inferred. */
  schema?: Schema | Readonly<Record<string, ColumnType>>;
  /** Types that override inference, by column name. */
  types?: Readonly<Record<string, ColumnType>>;
  /** Rows buffered to infer the schema when none is declared (default 1000). */
  inferRows?: number;
  /** Rows per batch at most (default 8192). */
  batchSize?: number;
  /** Emit the rows parsed so far at the end of every input chunk (sockets: latency before batch size). */
  flushEachChunk?: boolean;
  /** Longest accepted line in bytes (default 8 MiB); longer lines are bad rows (`too-long`). */
  maxLineBytes?: number;
  /** String values read as missing (default `''`, `NA`, `N/A`, `null`, `NULL`, `None`). */
  nullValues?: readonly string[];
  /** Row id of the first row (default 0). */
  firstRowId?: number;
  /**
   * The books to keep, shared with the caller, who publishes them; or a policy, and then this
   * generator keeps its own books and publishes them when the input ends.
   */
  badRows?: BadRows | BadRowPolicy;
  /** Dead-letter path when `badRows` is a policy. */
  deadLetter?: string;
  /** Bus for `skipped` and `account` events when the books are kept here. */
  telemetry?: Telemetry;
  /**
   * Shared between connections of one socket source: the first connection to infer a schema
   * stores it here and later ones adopt it, so every batch of the stream has the same columns.
   */
  sharedSchema?: { current: Schema | null };
  /** Splits the bytes into rows (default: one per line, LineReader); `fromJson` passes a JsonArrayReader. */
  split?: (sink: LineSink, maxLineBytes: number | undefined) => { push(chunk: Uint8Array): void; end(): void };
}

const DEFAULT_INFER = 1000;
const DEFAULT_BATCH = 8192;

interface Held {
  row: Record<string, unknown>;
  line: number;
  text: string;
  at: At;
}

/** A 1-based character of a row's text → its file position (LineSink.line). */
type At = ((column: number) => { line: number; column: number }) | undefined;

/**
 * Newline-delimited JSON bytes → Batches: one JSON object per line, blank lines ignored. An
 * inferred integer column that meets a larger or fractional number becomes a number column from
 * that row on, keeping its earlier values (see BatchBuilder). Rows that
 * are not JSON objects (`json`), not UTF-8 (`utf8`), too long (`too-long`) or that break the
 * schema (`number`, `date`, `type`, `required`, from BatchBuilder) go to the bad-row policy with
 * their 1-based line, column (character, for JSON) and field. Every input row is counted in the
 * books: read = passed + skipped.
 */
export async function* ndjsonBatches(chunks: AsyncIterable<Uint8Array>, options: NdjsonBatchOptions): AsyncGenerator<PullChunk> {
  checkPositiveInt('inferRows', options.inferRows);
  checkPositiveInt('batchSize', options.batchSize);
  checkPositiveInt('maxLineBytes', options.maxLineBytes);
  const own = !(options.badRows instanceof BadRows);
  const books =
    options.badRows instanceof BadRows
      ? options.badRows
      : new BadRows(options.source, {
          badRows: options.badRows ?? 'skip',
          ...(options.deadLetter ? { deadLetter: options.deadLetter } : {}),
          ...(options.telemetry ? { telemetry: options.telemetry } : {}),
        });
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const inferRows = options.inferRows ?? DEFAULT_INFER;
  const nullValues = options.nullValues;
  let schema: Schema | null = options.schema instanceof Schema ? options.schema : options.schema ? Schema.from({ ...options.schema }) : null;
  let builder: BatchBuilder | null = null;
  let held: Held[] = [];
  let rowId = options.firstRowId ?? 0;
  const ready: Batch[] = [];
  let bytes = 0;
  let ok = false;

  const reject = (reason: BadRowReason, location: Omit<BadInputLocation, 'source'>, detail: string, raw: string) => {
    // Under `fail` the error names this input (a socket connection), not the books' source.
    if (books.policy === 'fail') throw new BadInputError(reason, { source: options.source, ...location }, detail);
    books.reject(reason, location, books.source === options.source ? detail : `${options.source}: ${detail}`, raw);
  };

  const start = (s: Schema, inferred: boolean) => {
    schema = s;
    // Inferred integer columns widen to number on a larger or fractional value; declared ones stay strict.
    const widen = inferred ? s.names.filter((n) => options.types?.[n] === undefined) : false;
    builder = new BatchBuilder(s, { capacity: Math.min(batchSize, 1 << 16), widen, ...(nullValues ? { nullValues } : {}) });
  };

  const append = (row: Record<string, unknown>, line: number, text: string, at?: At) => {
    const b = builder!;
    const fail = b.appendObject(row, rowId, line);
    if (fail) {
      const f = b.schema.fields[fail.field]!;
      const v = row[f.name];
      const value = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
      const detail =
        fail.reason === 'required'
          ? 'missing value in a required column'
          : fail.reason === 'type'
            ? `expected ${f.type}, got ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`
            : fail.reason === 'date'
              ? 'not a date/time'
              : 'not a number';
      reject(fail.reason, { ...where(line, valueColumn(text, f.name), at), field: f.name, value }, detail, text);
      return;
    }
    rowId++;
    if (b.length >= batchSize) ready.push(b.finish());
  };

  const endInference = () => {
    if (!schema) {
      const shared = options.sharedSchema?.current ?? null;
      const s = shared ?? inferFromRows(held, options.types, nullValues);
      if (options.sharedSchema && !shared) options.sharedSchema.current = s;
      start(s, true);
    }
    const rows = held;
    held = [];
    for (const h of rows) append(h.row, h.line, h.text, h.at);
  };

  const sink: LineSink = {
    line(text, line, at) {
      if (isBlank(text)) return;
      books.read++;
      let row: unknown;
      try {
        row = JSON.parse(text);
      } catch (err) {
        const msg = (err as Error).message;
        reject('json', where(line, errorColumn(msg, text), at), `malformed JSON: ${msg}`, text);
        return;
      }
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        reject(
          'json',
          where(line, firstNonBlank(text), at),
          `expected a JSON object, got ${row === null ? 'null' : Array.isArray(row) ? 'an array' : typeof row}`,
          text,
        );
        return;
      }
      // Another connection settled the schema meanwhile: adopt it, flushing held rows first.
      if (!builder && options.sharedSchema?.current) endInference();
      if (builder) append(row as Record<string, unknown>, line, text, at);
      else {
        held.push({ row: row as Record<string, unknown>, line, text, at });
        if (held.length >= inferRows) endInference();
      }
    },
    bad(reason, line, byte, raw) {
      books.read++;
      reject(reason, { line, column: byte }, reason === 'utf8' ? 'invalid UTF-8' : 'line longer than maxLineBytes', raw);
    },
  };
  const reader = options.split ? options.split(sink, options.maxLineBytes) : new LineReader(sink, options.maxLineBytes);

  if (schema) start(schema, false);
  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      reader.push(chunk);
      if (options.flushEachChunk && builder && (builder as BatchBuilder).length > 0) ready.push((builder as BatchBuilder).finish());
      while (ready.length > 0) {
        const batch = ready.shift()!;
        yield { batch, bytes };
        bytes = 0;
      }
    }
    reader.end();
    if (!builder && (held.length > 0 || options.sharedSchema?.current)) endInference();
    const b = builder as BatchBuilder | null;
    if (b && b.length > 0) ready.push(b.finish());
    for (const batch of ready) {
      yield { batch, bytes };
      bytes = 0;
    }
    ok = true;
  } finally {
    if (own) {
      books.close();
      books.publish(ok);
    }
  }
}

/** A row's file position: through `at` for a JSON array element, else its line and the column. */
function where(line: number, column: number, at: At): { line: number; column: number } {
  return at ? at(column) : { line, column };
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function firstNonBlank(s: string): number {
  const m = /\S/.exec(s);
  return m ? m.index + 1 : 1;
}

/**
 * 1-based character of a JSON.parse error. V8 gives `at position N` for most errors; for
 * `Unexpected token 'x'` the first occurrence of that token is the best guess it allows.
 */
function errorColumn(message: string, text: string): number {
  const pos = /at position (\d+)/.exec(message);
  if (pos) return Number(pos[1]) + 1;
  if (/Unexpected end of JSON input/.test(message)) return text.length + 1;
  const tok = /Unexpected token '(.)'/.exec(message);
  if (tok) {
    const i = text.indexOf(tok[1]!);
    if (i >= 0) return i + 1;
  }
  return firstNonBlank(text);
}

/** 1-based character where the value of `key` starts (or the key itself, or 1). */
function valueColumn(text: string, key: string): number {
  const k = text.indexOf(JSON.stringify(key));
  if (k < 0) return 1;
  const m = /^\s*:\s*/.exec(text.slice(k + JSON.stringify(key).length));
  return m ? k + JSON.stringify(key).length + m[0].length + 1 : k + 1;
}

/** Types from the held rows through the same rules as CSV (inferSchema), keys in first-seen order. */
function inferFromRows(held: readonly Held[], types: Readonly<Record<string, ColumnType>> | undefined, nullValues: readonly string[] | undefined): Schema {
  const keys = new Map<string, number>();
  const nested = new Map<string, number>();
  const present = new Map<string, number>();
  for (const h of held) for (const k of Object.keys(h.row)) if (!keys.has(k)) keys.set(k, keys.size);
  const header = [...keys.keys()];
  const rows = held.map((h) =>
    header.map((k) => {
      const v = h.row[k];
      if (v === null || v === undefined) return null;
      present.set(k, (present.get(k) ?? 0) + 1);
      if (typeof v === 'object') {
        nested.set(k, (nested.get(k) ?? 0) + 1);
        return null;
      }
      return String(v);
    }),
  );
  const inferred = inferSchema(header, rows, { ...(types ? { types } : {}), ...(nullValues ? { nullValues } : {}) });
  // Columns holding only objects or arrays have no flat type: leave them out rather than fail every row.
  const drop = header.filter((k) => (nested.get(k) ?? 0) > 0 && nested.get(k) === present.get(k) && !types?.[k]);
  return drop.length ? inferred.without(drop) : inferred;
}
