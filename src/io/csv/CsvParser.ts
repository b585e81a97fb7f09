import { isUtf8 } from 'node:buffer';
import {
  BadInputError,
  type BadRowReason,
  type BadRows,
  Batch,
  type Column,
  type ColumnType,
  type Field,
  INPUT_TYPES,
  inferSchema,
  type PullChunk,
  parseBoolean,
  parseDatetime,
  parseNumber,
  Schema,
  SchemaError,
  type SourcePosition,
  SpecError,
  StringDictionary,
  validity,
} from '../../core/index.js';
import { ByteStringCache } from './ByteStringCache.js';
import { parseDatetimeBytes } from './parseDatetimeBytes.js';
import { parseNumberBytes } from './parseNumberBytes.js';

export interface CsvParserOptions {
  /** Source name in errors, dead letters and telemetry (a path, `-`, `tcp://…`); default `csv`. */
  name?: string;
  /** Field separator: one single-byte character (default `,`). */
  delimiter?: string;
  /** Whether the first row names the columns (default true); without, names are `col1..colN`. */
  header?: boolean;
  /**
   * Column types. A Schema or `{ col: type }` naming every column is used as is; naming only some
   * overrides inference for those. A Schema field with `nullable: false` is required. With
   * `header: false`, a full Schema instance also names the columns, in order.
   */
  schema?: Schema | Readonly<Record<string, ColumnType>>;
  /**
   * Types for those of these columns the input has (after `schema`, which wins); the others are
   * ignored, where `schema` naming an absent column is an error. For data that may lack some
   * columns of a known layout: `sluice predict` reads with the training source's types.
   */
  typeHints?: Readonly<Record<string, ColumnType>>;
  /** Rows read to infer the types not declared (default 1000). */
  inferRows?: number;
  /** Field values read as missing (default `'', NA, N/A, null, NULL, None`). */
  nullValues?: readonly string[];
  /** Columns that must hold a value: a missing one makes the row bad (`required`). */
  required?: readonly string[];
  /**
   * Rows per batch. Default: 32768, or fewer for wide rows so that a batch holds at most 2^19
   * cells (a 785-column file gets 667-row batches): memory stays bounded whatever the width.
   */
  batchSize?: number;
  /** A row longer than this is bad (`too-long`) and is skipped without being buffered (default 64 MiB). */
  maxRowBytes?: number;
  /**
   * Longest field in bytes as written, quotes and `""` included in the count (default 1 MiB). A
   * quoted field that would cross it is taken for a stray quote: its row ends at the first
   * newline after the field's opening quote, is bad (`field-too-large`), and parsing resumes
   * after that newline, so one stray quote costs one row, not the rest of the input. An
   * unquoted field over it makes its row `field-too-large` too.
   */
  maxFieldBytes?: number;
  /**
   * Whether a quoted field may hold newlines (default true, RFC 4180). With false, a newline
   * always ends the row, and a quote still open there makes the row bad (`field-count`,
   * unterminated quoted field): for line-per-record input such as sockets.
   */
  quotedNewlines?: boolean;
  /**
   * Go on from a point an earlier parse of the same input reached (a batch's `sourceAt`, from a
   * checkpoint): the bytes before `offset` are passed over unparsed, the header is not read
   * (`names`), and the columns have the `types` they had there (integers still widen). Line
   * numbers and row positions continue from there, and batches are cut as they were.
   */
  resume?: SourcePosition & { names: readonly string[]; types: Readonly<Record<string, ColumnType>> };
}

const DEFAULT_NULLS: readonly string[] = ['', 'NA', 'N/A', 'null', 'NULL', 'None'];

/** Exact powers of ten: a ≤15-digit mantissa divided by one is correctly rounded, like `+string`. */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];
/** Short-table entry of a category value that is a null token. */
const NULL_SHORT = -2;
const LF = 10,
  CR = 13,
  QUOTE = 34,
  SPACE = 32,
  TAB = 9;
const K_NUMBER = 0,
  K_INTEGER = 1,
  K_BOOLEAN = 2,
  K_DATETIME = 3,
  K_CATEGORY = 4,
  K_TEXT = 5;
const KINDS: Record<string, number> = { number: K_NUMBER, integer: K_INTEGER, boolean: K_BOOLEAN, datetime: K_DATETIME, category: K_CATEGORY, text: K_TEXT };
/** Raw rows kept for a dead letter of a too-long row: enough to recognise it. */
const OVERFLOW_RAW = 1024;
/** Partial rows at least this long are rescanned only after the buffer doubles (keeps long rows linear). */
const RESCAN_MIN = 64 * 1024;
/** Default maxFieldBytes: far above real fields, small enough that a stray quote costs little memory. */
const MAX_FIELD_BYTES = 1024 * 1024;
/** Default rows per batch. */
const BATCH_ROWS = 32768;
/**
 * Cells (rows × columns) a default batch holds at most: 2^19 cells are 4 MiB as float64, so the
 * batches in flight and the columns each step derives from them stay small however wide the rows.
 * Measured on 60k rows × 785 columns (MLP, built CLI): 32768-row batches 100-200 MB each, peak RSS
 * ~1 GB; 2^21 cells ~390 MB; 2^20 ~335 MB; 2^19 ~295 MB at the same speed; 2^18 ~280 MB but ~5 %
 * slower (per-batch costs). Narrow files (≤ 16 columns) keep 32768 rows.
 */
const BATCH_CELLS = 1 << 19;
/** Fewest rows in a default batch, however wide the rows (per-batch costs stay amortized). */
const MIN_BATCH_ROWS = 64;
const INT32_MIN = -2147483648,
  INT32_MAX = 2147483647;

enum Phase {
  Header,
  Infer,
  Data,
}

/** Per-column output state; every field present so the hot loop sees one object shape. */
class ColState {
  f64: Float64Array | null = null;
  i32: Int32Array | null = null;
  u8: Uint8Array | null = null;
  valid: Uint8Array | null = null;
  dict: StringDictionary | null = null;
  cache: ByteStringCache | null = null;
  /** This row's value that widens the column, stored once the row is known good. */
  pending = 0;
  /**
   * `kind` changes once at most: an inferred integer column (`widens`) becomes K_NUMBER when it
   * meets a number that is not an int32.
   */
  constructor(
    readonly field: Field,
    public kind: number,
    readonly required: boolean,
    readonly widens: boolean,
  ) {}
}

/**
 * Incremental, byte-level RFC 4180 CSV parser that writes typed columns directly: numbers and
 * datetimes are parsed from bytes, strings are decoded only for category/text columns (and for
 * category values seen before, not at all: see ByteStringCache). Feed it chunks cut anywhere
 * with `push`, call `end` at EOF, and take finished batches with `shift`.
 *
 * Quoting follows fast-csv, the reference: a field is quoted when its first non-blank character
 * is `"` (blanks before the quote and after the closing quote are dropped), `""` inside quotes is
 * one quote, quotes inside an unquoted field are literal. Rows end at LF, CRLF or a lone CR.
 * A BOM at the start is skipped. Blank lines are not rows (they are not counted).
 *
 * Bad rows go through `BadRows` (skip: count, dead-letter; fail: BadInputError at file:line:column):
 * `field-count` (also text after a closing quote, and a quote still open at the end of the input
 * or, with `quotedNewlines: false`, at the end of the line), `number`, `date`, `type` (a
 * non-integer in a declared integer column or a non-boolean in a boolean one), `required`,
 * `utf8`, `too-long`, `field-too-large` (see maxFieldBytes). A quote left open at the end of the
 * input costs its row only: the row ends at the first newline after that quote, as for a field
 * over maxFieldBytes, and the rows after it are read.
 *
 * Inferred integer columns widen: a value that is a number but not an int32 (12.5, 2767891499,
 * -3e9) turns the column into a number (float64) column for the rest of the stream, the current
 * batch included (its earlier values are converted), and the schema of the batches changes with
 * it. A declared integer column stays strict (`type`).
 * Outcomes at the edges: an empty file gives no schema and no batch; a header-only file gives
 * the schema and no batch; a last line without newline is an ordinary row (bad `field-count`
 * when truncated mid-row).
 */
export class CsvParser {
  readonly name: string;
  private readonly options: CsvParserOptions;
  /** The schema, once the header and inference rows are read (null before, and for an empty file). */
  schema: Schema | null = null;

  private readonly delim: number;
  private readonly header: boolean;
  private readonly inferRows: number;
  /** Rows per batch: the option, or a default set from the width once the schema is known (setSchema). */
  private batchSize: number;
  private readonly maxRowBytes: number;
  private readonly maxFieldBytes: number;
  private readonly quotedNewlines: boolean;
  /** Longest row the fused fast path takes: longer ones go to `row`, which checks each field. */
  private readonly fastRowMax: number;
  private readonly nullSet: Set<string>;
  private readonly emptyIsNull: boolean;
  private readonly maxNullLen: number;
  private readonly nullFirst = new Uint8Array(256);
  private readonly nullTokens: Uint8Array[] = [];
  /** 1 for the bytes that end an unquoted field: the delimiter, LF and CR. */
  private readonly stops = new Uint8Array(256);

  private buf: Buffer = Buffer.allocUnsafe(1 << 20);
  private len = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private rowStart = 0;
  private wantBytes = 0;
  private line = 1;
  private phase = Phase.Header;
  private bomChecked = false;
  /** Bytes before this offset are known valid UTF-8 (checked a region at a time). */
  private utf8OkUntil = 0;
  /** Bytes before this offset were region-checked, valid or not (invalid regions are checked row by row). */
  private utf8CheckedUntil = 0;
  /** Rows that end before this offset contain no quote byte: they take the fast scan. */
  private plainUntil = 0;

  // Scan results for the current row.
  private fs = new Int32Array(64);
  private fe = new Int32Array(64);
  private fq = new Uint8Array(64);
  /** FNV-1a hash of category fields, computed by the fused scan. */
  private fh = new Int32Array(64);
  private nf = 0;
  private rowLines = 0;
  private contentEnd = 0;
  private unterminated = false;
  private malformed = -1;
  /**
   * Where a row must be cut at the first newline after a quote (see maxFieldBytes): offset of the
   * opening quote (-1: no cut), its field index, and the reason. Set by scanRow.
   */
  private cutQuote = -1;
  private cutField = 0;
  private cutReason: BadRowReason = 'field-too-large';
  /** When scanRow returns -1 inside a quoted field: the offset of its opening quote (else -1) and its field index. */
  private openQuote = -1;
  private openField = 0;

  // Inference.
  private names: string[] = [];
  private dataStart = 0;
  private dataLine = 1;
  /** Types known before inference: the declared ones, and the hints for columns present (set from the header). */
  private typed: Record<string, ColumnType> = {};
  private samples: string[][] = [];

  // Too-long row being skipped.
  private overflow = false;
  private ovQuote = false;
  private ovLines = 0;
  private ovLine = 0;
  private ovRaw = '';
  /** What the skipped row is: too long (quotes respected), or cut at a quote (ends at the next LF). */
  private ovReason: BadRowReason = 'too-long';
  private ovToNewline = false;
  private ovField = -1;
  private ovDetail = '';

  // Output.
  private cols: ColState[] = [];
  private n = 0;
  /** Whether a batch was finished yet (a header-only file still gives one, empty). */
  private emitted = false;
  private rowIds = new Float64Array(0);
  private lines = new Float64Array(0);
  private rowsRead = 0;
  private bytesOut = 0;
  /** Bytes still to pass over before parsing (resume). */
  private skip = 0;
  private readonly ready: PullChunk[] = [];

  constructor(
    options: CsvParserOptions,
    private readonly badRows: BadRows,
  ) {
    CsvParser.validate(options);
    this.name = options.name ?? 'csv';
    this.delim = (options.delimiter ?? ',').charCodeAt(0);
    this.header = options.header ?? true;
    this.inferRows = options.inferRows ?? 1000;
    this.batchSize = options.batchSize ?? BATCH_ROWS;
    this.maxRowBytes = options.maxRowBytes ?? 64 * 1024 * 1024;
    this.maxFieldBytes = options.maxFieldBytes ?? MAX_FIELD_BYTES;
    this.quotedNewlines = options.quotedNewlines ?? true;
    this.fastRowMax = Math.min(this.maxRowBytes, this.maxFieldBytes);
    const nulls = options.nullValues ?? DEFAULT_NULLS;
    this.nullSet = new Set(nulls);
    this.emptyIsNull = this.nullSet.has('');
    this.maxNullLen = 0;
    for (const t of nulls) {
      const bytes = Buffer.from(t);
      if (bytes.length > this.maxNullLen) this.maxNullLen = bytes.length;
      if (bytes.length > 0) {
        this.nullFirst[bytes[0]!] = 1;
        this.nullTokens.push(bytes);
      }
    }
    this.stops[this.delim] = this.stops[LF] = this.stops[CR] = 1;
    this.options = options;
    const r = options.resume;
    if (r) {
      this.skip = r.offset;
      this.bomChecked = true;
      this.line = r.line;
      this.rowsRead = r.row;
      this.names = [...r.names];
      // Hints, not a declared schema: an integer column still widens as it would have.
      this.typed = { ...r.types } as Record<string, ColumnType>;
      this.setSchema(Schema.from(this.typed));
      // The batches before the offset were emitted by the earlier parse.
      this.emitted = true;
      // Its books go on from where they were at the offset.
      if (r.books) {
        badRows.read = r.books.read;
        badRows.skipped = r.books.skipped;
        Object.assign(badRows.byReason, r.books.skippedByReason);
      }
    }
  }

  /** Throws SpecError naming the first bad option. */
  static validate(o: CsvParserOptions & { badRows?: unknown }): void {
    if (
      o.delimiter !== undefined &&
      (typeof o.delimiter !== 'string' || o.delimiter.length !== 1 || o.delimiter.charCodeAt(0) > 127 || '"\r\n'.includes(o.delimiter))
    )
      throw new SpecError('delimiter', `expected one ASCII character other than a quote or newline, got ${JSON.stringify(o.delimiter)}`);
    if (o.header !== undefined && typeof o.header !== 'boolean') throw new SpecError('header', `expected true or false, got ${JSON.stringify(o.header)}`);
    if (o.quotedNewlines !== undefined && typeof o.quotedNewlines !== 'boolean')
      throw new SpecError('quotedNewlines', `expected true or false, got ${JSON.stringify(o.quotedNewlines)}`);
    for (const key of ['inferRows', 'batchSize', 'maxRowBytes', 'maxFieldBytes'] as const) {
      const v = o[key];
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new SpecError(key, `expected a positive integer, got ${JSON.stringify(v)}`);
    }
    if (o.nullValues !== undefined && (!Array.isArray(o.nullValues) || o.nullValues.some((v) => typeof v !== 'string')))
      throw new SpecError('nullValues', 'expected an array of strings');
    if (o.required !== undefined && (!Array.isArray(o.required) || o.required.some((v) => typeof v !== 'string')))
      throw new SpecError('required', 'expected an array of column names');
    const checkTypes = (key: string, types: object | null, expected: string) => {
      if (typeof types !== 'object' || types === null) throw new SpecError(key, `expected ${expected}`);
      for (const [k, t] of Object.entries(types)) {
        if (!INPUT_TYPES.includes(t)) throw new SpecError(`${key}.${k}`, `unknown type ${JSON.stringify(t)}, expected one of ${INPUT_TYPES.join('|')}`);
      }
    };
    if (o.schema !== undefined && !(o.schema instanceof Schema)) checkTypes('schema', o.schema, 'a Schema or { column: type }');
    if (o.typeHints !== undefined) checkTypes('typeHints', o.typeHints, '{ column: type }');
    if (o.badRows !== undefined && o.badRows !== 'skip' && o.badRows !== 'fail')
      throw new SpecError('badRows', `expected one of skip|fail, got ${JSON.stringify(o.badRows)}`);
  }

  /** Feeds the next bytes of the stream. */
  push(chunk: Uint8Array): void {
    if (this.skip > 0) {
      // Resuming: the bytes before the offset were parsed by the run that made the checkpoint.
      const drop = Math.min(this.skip, chunk.length);
      this.skip -= drop;
      this.base += drop;
      chunk = chunk.subarray(drop);
    }
    if (chunk.length === 0) return;
    const keep = this.phase === Phase.Infer ? this.dataStart : this.rowStart;
    if (keep > 0) {
      this.buf.copyWithin(0, keep, this.len);
      this.len -= keep;
      this.rowStart -= keep;
      if (this.phase === Phase.Infer) this.dataStart -= keep;
      this.utf8OkUntil = Math.max(0, this.utf8OkUntil - keep);
      this.utf8CheckedUntil = Math.max(0, this.utf8CheckedUntil - keep);
      this.plainUntil = Math.max(0, this.plainUntil - keep);
      this.base += keep;
    }
    if (this.len + chunk.length > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + chunk.length));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
    if (this.overflow && !this.skipOverflow(false)) return;
    if (this.len - this.rowStart < this.wantBytes) return;
    this.run(false);
  }

  /** Ends the stream: parses the last row and finishes the last batch. */
  end(): void {
    if (this.overflow) this.skipOverflow(true);
    this.run(true);
    this.finishBatch();
    // A file with a header and no good row still gives its schema, as one empty batch: the
    // pipeline then checks the target and the steps against the columns instead of seeing nothing.
    if (!this.emitted && this.schema !== null) this.finishBatch(true);
    const total = this.base + this.len;
    if (this.ready.length > 0 && total > this.bytesOut) {
      this.ready[this.ready.length - 1]!.bytes! += total - this.bytesOut;
      this.bytesOut = total;
    }
  }

  /** Emits the rows parsed so far as a batch now (for line-by-line streams such as sockets). */
  flush(): void {
    this.finishBatch();
  }

  /** The next finished batch, with the input bytes it consumed. */
  shift(): PullChunk | undefined {
    return this.ready.shift();
  }

  private run(eof: boolean): void {
    for (;;) {
      if (!this.bomChecked) {
        if (this.len < 3 && !eof) return;
        this.bomChecked = true;
        if (this.len >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) this.rowStart = 3;
      }
      const p = this.rowStart;
      if (p >= this.len) {
        if (eof && this.phase === Phase.Infer) {
          this.finishInference();
          continue;
        }
        return;
      }
      if (this.utf8CheckedUntil <= p) this.checkUtf8(p);
      if (this.phase === Phase.Data && p < this.plainUntil && this.plainUntil <= this.utf8OkUntil) {
        const fast = this.rowFast(p);
        if (fast >= 0) {
          this.rowStart = fast;
          continue;
        }
      }
      let next: number;
      if (p < this.plainUntil) next = this.scanPlain(p);
      else {
        next = this.scanRow(p, this.len, eof);
        // A quoted field over maxFieldBytes, found whole or still open: cut the row at its quote.
        if (next < 0 && this.cutQuote < 0 && this.openQuote >= 0 && this.len - this.openQuote - 2 > this.maxFieldBytes) {
          this.cutQuote = this.openQuote;
          this.cutField = this.openField;
          this.cutReason = 'field-too-large';
        }
        if (this.cutQuote >= 0) {
          if (!this.cutRow(p, eof)) return;
          continue;
        }
      }
      if (next < 0) {
        const partial = this.len - p;
        if (partial > this.maxRowBytes) {
          if (this.phase === Phase.Header)
            throw new BadInputError('too-long', { source: this.name, line: this.line }, `header row longer than maxRowBytes (${this.maxRowBytes})`);
          if (this.phase === Phase.Infer) {
            this.finishInference();
            continue;
          }
          this.startOverflow(p);
          if (!this.skipOverflow(eof)) return;
          continue;
        }
        if (partial >= RESCAN_MIN) {
          this.wantBytes = partial * 2;
          // An open quote: look again once it may have crossed maxFieldBytes, not later.
          if (this.openQuote >= 0) this.wantBytes = Math.min(this.wantBytes, this.openQuote - p + this.maxFieldBytes + 3);
        }
        return;
      }
      this.wantBytes = 0;
      const rowLine = this.line;
      this.line += this.rowLines;
      this.rowStart = next;
      // A blank line is not a row.
      if (this.nf === 1 && this.fq[0] === 0 && this.fe[0] === this.fs[0] && !this.unterminated) continue;
      if (this.phase === Phase.Header) this.readHeader(p, rowLine);
      else if (this.phase === Phase.Infer) this.sample(p);
      else this.row(p, rowLine);
    }
  }

  /** Checks a whole region of complete lines at once; rows inside it skip their own UTF-8 check. */
  private checkUtf8(p: number): void {
    const last = this.buf.lastIndexOf(LF, this.len - 1);
    if (last < p) return;
    if (isUtf8(this.buf.subarray(p, last + 1))) this.utf8OkUntil = last + 1;
    this.utf8CheckedUntil = last + 1;
    // Complete lines up to the first quote (memchr speed) can be scanned without quote logic.
    const quote = this.buf.indexOf(QUOTE, p);
    const stop = quote < 0 || quote > last ? last + 1 : this.buf.lastIndexOf(LF, quote) + 1;
    this.plainUntil = stop > p ? stop : p;
  }

  /**
   * Scans one row from `p0`: fills field bounds fs/fe, quote kinds fq (0 plain, 1 quoted,
   * 2 quoted with `""`), nf, rowLines, contentEnd. Returns the offset after the row terminator,
   * or -1 when the row is not complete before `end` and more input may come.
   */
  private scanRow(p0: number, end: number, eof: boolean): number {
    const b = this.buf,
      d = this.delim,
      stops = this.stops;
    let fs = this.fs,
      fe = this.fe,
      fq = this.fq;
    let p = p0,
      nf = 0,
      lines = 0;
    let malformed = -1,
      unterminated = false,
      cut = -1,
      cutField = 0;
    const qnl = this.quotedNewlines;
    this.openQuote = -1;
    this.cutQuote = -1;
    for (;;) {
      if (nf === fs.length) {
        this.growFields();
        fs = this.fs;
        fe = this.fe;
        fq = this.fq;
      }
      let c = p < end ? b[p]! : -1;
      if ((c === SPACE || c === TAB) && c !== d) {
        let q = p + 1;
        while (q < end && (b[q] === SPACE || (b[q] === TAB && d !== TAB))) q++;
        if (q >= end && !eof) return -1;
        if (q < end && b[q] === QUOTE) {
          p = q;
          c = QUOTE;
        }
      }
      if (c === QUOTE) {
        let q = p + 1,
          kind = 1;
        for (;;) {
          if (qnl) {
            while (q < end) {
              const x = b[q]!;
              if (x === QUOTE) break;
              if (x === LF) lines++;
              q++;
            }
          } else {
            while (q < end) {
              const x = b[q]!;
              if (x === QUOTE || x === LF || x === CR) break;
              q++;
            }
          }
          if (q >= end) {
            if (!eof) {
              this.openQuote = p;
              this.openField = nf;
              return -1;
            }
            unterminated = true;
            break;
          }
          // quotedNewlines false: the newline ends the row with the quote still open.
          if (b[q] !== QUOTE) {
            unterminated = true;
            break;
          }
          if (q + 1 >= end && !eof) {
            this.openQuote = p;
            this.openField = nf;
            return -1;
          }
          if (q + 1 < end && b[q + 1] === QUOTE) {
            kind = 2;
            q += 2;
            continue;
          }
          break;
        }
        // Once per quoted field, not per byte: the first one over the cap cuts the row.
        if (cut < 0 && q - p - 1 > this.maxFieldBytes) {
          cut = p;
          cutField = nf;
        }
        fs[nf] = p + 1;
        fe[nf] = q;
        fq[nf] = kind;
        nf++;
        if (unterminated) {
          if (q < end) {
            p = q;
            c = b[q]!;
          } else {
            // Open at the end of the input: the quote was stray; the row ends at the newline after it.
            if (cut < 0) {
              cut = p;
              cutField = nf - 1;
            }
            p = end;
            break;
          }
        } else {
          p = q + 1;
          while (p < end && (b[p] === SPACE || (b[p] === TAB && d !== TAB))) p++;
          if (p >= end) {
            if (!eof) return -1;
            break;
          }
          c = b[p]!;
          if (c !== d && c !== LF && c !== CR) {
            // Text after the closing quote: fast-csv rejects it; we keep scanning to the row's end.
            if (malformed < 0) malformed = nf - 1;
            while (p < end) {
              c = b[p]!;
              if (c === d || c === LF || c === CR) break;
              p++;
            }
            if (p >= end) {
              if (!eof) return -1;
              break;
            }
          }
        }
      } else {
        const s = p;
        while (p < end && stops[b[p]!] === 0) p++;
        fs[nf] = s;
        fe[nf] = p;
        fq[nf] = 0;
        nf++;
        if (p >= end) {
          if (!eof) return -1;
          break;
        }
        c = b[p]!;
      }
      // b[p] is a delimiter or a row terminator.
      if (c === d) {
        p++;
        continue;
      }
      this.contentEnd = p;
      if (c === LF) {
        p++;
        lines++;
      } else {
        if (p + 1 >= end && !eof) return -1;
        p += p + 1 < end && b[p + 1] === LF ? 2 : 1;
        lines++;
      }
      this.nf = nf;
      this.rowLines = lines;
      this.unterminated = unterminated;
      this.malformed = malformed;
      this.setCut(cut, cutField, unterminated);
      return p;
    }
    // The row ended at EOF without a terminator.
    this.contentEnd = end;
    this.nf = nf;
    this.rowLines = lines;
    this.unterminated = unterminated;
    this.malformed = malformed;
    this.setCut(cut, cutField, unterminated);
    return end;
  }

  /** Records the cut scanRow found (a field over the cap wins over an unterminated one: it comes first or is the same). */
  private setCut(quote: number, field: number, unterminated: boolean): void {
    this.cutQuote = quote;
    if (quote < 0) return;
    this.cutField = field;
    this.cutReason = unterminated && this.len - quote - 1 <= this.maxFieldBytes ? 'field-count' : 'field-too-large';
  }

  /**
   * Ends the row at `p` at the first newline after the quote at cutQuote (see maxFieldBytes),
   * rejects it and moves past that newline. Returns false when it must wait for more input.
   */
  private cutRow(p: number, eof: boolean): boolean {
    const b = this.buf,
      quote = this.cutQuote,
      reason = this.cutReason;
    this.cutQuote = -1;
    this.wantBytes = 0;
    const rest = b.subarray(quote + 1, this.len);
    const lf = rest.indexOf(LF),
      cr = rest.indexOf(CR);
    const at = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    const rowLine = this.line;
    let before = 0; // newlines inside earlier quoted fields of the row
    const head = b.subarray(p, quote);
    for (let i = head.indexOf(LF); i >= 0; i = head.indexOf(LF, i + 1)) before++;
    const field = this.cutField;
    const detail =
      reason === 'field-too-large'
        ? `quoted field longer than maxFieldBytes (${this.maxFieldBytes}): a stray quote? The row ends at the first newline after it`
        : 'unterminated quoted field: the row ends at the first newline after its opening quote';
    if (at < 0 && !eof) {
      // No newline yet: drop bytes up to it without buffering them (as a too-long row).
      if (this.phase === Phase.Header) throw new BadInputError(reason, { source: this.name, line: rowLine, column: field + 1 }, `header row: ${detail}`);
      if (this.phase === Phase.Infer) {
        // Inference keeps its rows buffered: wait for the newline (scanning again only once the
        // buffer doubles), unless the row passes maxRowBytes, which ends inference as it does anyway.
        if (this.len - p <= this.maxRowBytes) {
          this.wantBytes = (this.len - p) * 2;
          return false;
        }
        this.finishInference();
        return true;
      }
      this.startOverflow(p);
      this.ovReason = reason;
      this.ovToNewline = true;
      this.ovField = field;
      this.ovDetail = detail;
      this.ovLines = before;
      this.rowStart = quote + 1;
      return this.skipOverflow(eof);
    }
    const end = at < 0 ? this.len : quote + 1 + at;
    if (at >= 0 && b[end] === CR && end + 1 >= this.len && !eof) return false; // CR, LF may follow
    const next = at < 0 ? this.len : end + (b[end] === CR && b[end + 1] === LF ? 2 : 1);
    if (this.phase === Phase.Header) throw new BadInputError(reason, { source: this.name, line: rowLine, column: field + 1 }, `header row: ${detail}`);
    this.line += before + (at < 0 ? 0 : 1);
    this.rowStart = next;
    // The region checks ran past the cut: redo them from here, so the rows after it take the fast path.
    if (this.utf8CheckedUntil > next) this.utf8CheckedUntil = next;
    if (this.phase === Phase.Infer) return true;
    this.badRows.read++;
    this.rowsRead++;
    const name = field < this.names.length ? this.names[field] : undefined;
    this.badRows.reject(
      reason,
      { line: rowLine, column: field + 1, ...(name !== undefined ? { field: name } : {}) },
      detail,
      b.toString('utf8', p, Math.min(end, p + OVERFLOW_RAW * 64)),
    );
    return true;
  }

  /**
   * scanRow for a row known to hold no quote and to end (with LF) before plainUntil: the field
   * loops need neither bounds checks nor quote handling.
   */
  private scanPlain(p: number): number {
    const b = this.buf,
      d = this.delim,
      stops = this.stops;
    let fs = this.fs,
      fe = this.fe,
      fq = this.fq;
    let nf = 0,
      c = 0;
    for (;;) {
      if (nf === fs.length) {
        this.growFields();
        fs = this.fs;
        fe = this.fe;
        fq = this.fq;
      }
      const s = p;
      while (stops[(c = b[p]!)] === 0) p++;
      fs[nf] = s;
      fe[nf] = p;
      fq[nf] = 0;
      nf++;
      if (c === d) {
        p++;
        continue;
      }
      break;
    }
    this.contentEnd = p;
    p += c === CR && b[p + 1] === LF ? 2 : 1;
    this.nf = nf;
    this.rowLines = 1;
    this.unterminated = false;
    this.malformed = -1;
    return p;
  }

  /**
   * Goes back to an earlier row. The region checks (UTF-8, quote-free) vouch only for bytes from
   * where they started, so they start again from `p`.
   */
  private rewind(p: number, line: number): void {
    this.rowStart = p;
    this.line = line;
    this.utf8OkUntil = this.utf8CheckedUntil = this.plainUntil = p;
  }

  private growFields(): void {
    const n = this.fs.length * 2;
    const fs = new Int32Array(n),
      fe = new Int32Array(n),
      fq = new Uint8Array(n),
      fh = new Int32Array(n);
    fs.set(this.fs);
    fe.set(this.fe);
    fq.set(this.fq);
    fh.set(this.fh);
    this.fs = fs;
    this.fe = fe;
    this.fq = fq;
    this.fh = fh;
  }

  /**
   * The common case in one pass: a quote-free row of the expected width in a region of valid
   * UTF-8, where each field is parsed while it is scanned (numbers digit by digit, category
   * bytes hashed on the way). Anything unusual (a missing value, an exponent, too few or too
   * many fields, a blank line) stops before the row is counted or any validity bit is touched
   * (values written to slot n are simply overwritten), and `row` takes it whole. Goes on through
   * the following rows up to plainUntil; returns the offset after the last row it took, or -1
   * when it took none.
   */
  private rowFast(p0: number): number {
    const cols = this.cols,
      ncols = cols.length,
      b = this.buf,
      stops = this.stops,
      d = this.delim;
    const fs = this.fs,
      fe = this.fe,
      fh = this.fh,
      fq = this.fq,
      until = this.plainUntil;
    if (ncols > fs.length) return -1;
    // Rows in a loop (not one call per row from run): the locals above are loaded once per run of plain rows.
    let start = p0,
      done = -1;
    for (;;) {
      const n = this.n;
      let p = start,
        c = 0,
        strings = false;
      for (let k = 0; k < ncols; k++) {
        const col = cols[k]!;
        const s = p;
        switch (col.kind) {
          case K_NUMBER:
          case K_INTEGER: {
            // A subset of parseNumberBytes (sign, ≤15 digits, one dot), parsed while scanning for
            // the field's end; anything else (exponents, long mantissas, words) goes to the slow
            // path, which calls parseNumberBytes. Finding the end first and calling it here
            // measured 165 against 187–194 MB/s (bench ingest `csv`, 2026-12-02), so it stays inline.
            c = b[p]!;
            const neg = c === 45;
            if (neg || c === 43) c = b[++p]!;
            let m = 0,
              digits = 0,
              frac = 0,
              dot = false;
            for (;;) {
              const x = c - 48;
              if (x >= 0 && x <= 9) {
                m = m * 10 + x;
                digits++;
                if (dot) frac++;
              } else if (c === 46 && !dot) dot = true;
              else break;
              c = b[++p]!;
            }
            if (digits === 0 || digits > 15 || stops[c] === 0) return done;
            let v = frac === 0 ? m : m / POW10[frac]!;
            if (neg) v = -v;
            if (col.kind === K_NUMBER) col.f64![n] = v;
            else {
              if (frac !== 0 && !Number.isInteger(v)) return done;
              if (v > 2147483647 || v < -2147483648) return done;
              col.i32![n] = v;
            }
            break;
          }
          case K_DATETIME: {
            while (stops[(c = b[p]!)] === 0) p++;
            const v = parseDatetimeBytes(b, s, p);
            if (v !== v) return done;
            col.f64![n] = v;
            break;
          }
          case K_CATEGORY: {
            // Values of up to 3 bytes (airport codes, flags) are packed into one int and looked up
            // in the cache's short table: no hashing loop, no byte compare, no null-token check
            // once seen. Others are hashed (FNV-1a) while scanned. Misses are resolved after the
            // row is known good, so a bad row adds nothing to a dictionary.
            while (stops[(c = b[p]!)] === 0) p++;
            const len = p - s;
            let h: number;
            if (len === 0) return done;
            if (len <= 3) {
              h = len === 1 ? b[s]! : len === 2 ? (b[s]! << 8) | b[s + 1]! : (b[s]! << 16) | (b[s + 1]! << 8) | b[s + 2]!;
              h |= len << 24;
              const code = col.cache!.short(h);
              if (code >= 0) {
                col.i32![n] = code;
                fq[k] = 2;
                break;
              }
              if (code === NULL_SHORT) return done;
            } else {
              if (len <= this.maxNullLen && this.nullFirst[b[s]!] !== 0 && this.isNull(s, p, 0, k)) return done;
              h = 0x811c9dc5 | 0;
              for (let j = s; j < p; j++) h = Math.imul(h ^ b[j]!, 16777619);
            }
            fs[k] = s;
            fe[k] = p;
            fh[k] = h;
            fq[k] = len <= 3 ? 1 : 0; // 1: short miss, 0: hashed, 2 (above): resolved
            strings = true;
            break;
          }
          default: {
            while (stops[(c = b[p]!)] === 0) p++;
            const len = p - s;
            if (col.kind === K_BOOLEAN || len === 0 || (len <= this.maxNullLen && this.nullFirst[b[s]!] !== 0 && this.isNull(s, p, 0, k))) return done;
            fs[k] = s;
            fe[k] = p;
            strings = true;
          }
        }
        if (k < ncols - 1) {
          if (c !== d) return done;
          p++;
        } else if (c === d) return done;
      }
      // b[p] ends the row (LF or CR): the plain region only holds complete rows.
      if (p - start > this.fastRowMax) return done;
      if (strings) {
        // Short values not yet cached: a null token sends the row to `row` before any code is added.
        for (let k = 0; k < ncols; k++) {
          if (
            cols[k]!.kind !== K_CATEGORY ||
            fq[k] !== 1 ||
            fe[k]! - fs[k]! > this.maxNullLen ||
            this.nullFirst[b[fs[k]!]!] === 0 ||
            !this.isNull(fs[k]!, fe[k]!, 0, k)
          )
            continue;
          cols[k]!.cache!.setShort(fh[k]!, NULL_SHORT);
          return done;
        }
        for (let k = 0; k < ncols; k++) {
          const col = cols[k]!;
          if (col.kind === K_CATEGORY) {
            if (fq[k] === 1) {
              const code = col.cache!.code(b, fs[k]!, fe[k]!);
              col.cache!.setShort(fh[k]!, code);
              col.i32![n] = code;
            } else if (fq[k] === 0) col.i32![n] = col.cache!.codeHashed(b, fs[k]!, fe[k]!, fh[k]!);
          } else if (col.kind === K_TEXT) col.i32![n] = col.dict!.code(b.toString('utf8', fs[k]!, fe[k]!));
        }
      }
      this.badRows.read++;
      this.rowIds[n] = this.rowsRead++;
      this.lines[n] = this.line++;
      this.n = n + 1;
      const next = p + (c === CR && b[p + 1] === LF ? 2 : 1);
      done = next;
      if (this.n === this.batchSize) {
        this.rowStart = next;
        this.finishBatch();
      }
      if (next >= until) return next;
      start = next;
    }
  }

  private field(k: number): string {
    const s = this.buf.toString('utf8', this.fs[k]!, this.fe[k]!);
    return this.fq[k] === 2 ? s.replaceAll('""', '"') : s;
  }

  private raw(p: number): string {
    return this.buf.toString('utf8', p, Math.min(this.contentEnd, p + OVERFLOW_RAW * 64));
  }

  private readHeader(p: number, rowLine: number): void {
    const nf = this.nf;
    const declared = this.options.schema;
    if (this.header) {
      if (this.unterminated) throw new BadInputError('field-count', { source: this.name, line: rowLine }, 'unterminated quote in the header row');
      this.names = [];
      for (let k = 0; k < nf; k++) this.names.push(this.field(k));
      this.dataStart = this.rowStart;
      this.dataLine = this.line;
    } else {
      this.names = declared instanceof Schema && declared.fields.length === nf ? declared.names : Array.from({ length: nf }, (_, k) => `col${k + 1}`);
      // The first row is data: parse it again in the next phase.
      this.dataStart = p;
      this.dataLine = rowLine;
      this.rewind(p, rowLine);
    }
    const seen = new Set<string>();
    for (const n of this.names) {
      if (seen.has(n)) throw new SchemaError(`duplicate column name in the header of ${this.name}`, n);
      seen.add(n);
    }
    const types = declared instanceof Schema ? Object.fromEntries(declared.fields.map((f) => [f.name, f.type])) : { ...(declared ?? {}) };
    for (const k of Object.keys(types))
      if (!seen.has(k)) throw new SchemaError(`declared in the schema but not a column of ${this.name}; columns are ${this.names.join(', ')}`, k);
    for (const k of this.options.required ?? [])
      if (!seen.has(k)) throw new SchemaError(`required but not a column of ${this.name}; columns are ${this.names.join(', ')}`, k);
    for (const [k, t] of Object.entries(this.options.typeHints ?? {})) if (seen.has(k) && types[k] === undefined) types[k] = t;
    // Declared types, then hints for the columns present: all of them, or what inference starts from.
    this.typed = types as Record<string, ColumnType>;
    if (this.names.every((n) => types[n] !== undefined)) this.setSchema(Schema.from(this.typed));
    else this.phase = Phase.Infer;
  }

  private sample(p: number): void {
    if (this.nf === this.names.length && !this.unterminated && this.malformed < 0 && isUtf8(this.buf.subarray(p, this.contentEnd))) {
      const r: string[] = [];
      for (let k = 0; k < this.nf; k++) r.push(this.field(k));
      this.samples.push(r);
    }
    if (this.samples.length >= this.inferRows) this.finishInference();
  }

  private finishInference(): void {
    this.setSchema(inferSchema(this.names, this.samples, { nullValues: [...this.nullSet], types: this.typed }));
    this.samples = [];
    // Parse the sampled rows again, now typed.
    this.rewind(this.dataStart, this.dataLine);
    this.wantBytes = 0;
  }

  private setSchema(typed: Schema): void {
    const declared = this.options.schema;
    const required = new Set(this.options.required ?? []);
    if (declared instanceof Schema) for (const f of declared.fields) if (!f.nullable) required.add(f.name);
    const fields = this.names.map((name): Field => ({ name, type: typed.field(name).type, nullable: !required.has(name) }));
    const isDeclared = (name: string) => (declared instanceof Schema ? declared.has(name) : declared !== undefined && Object.hasOwn(declared, name));
    this.schema = new Schema(fields);
    this.cols = fields.map((f) => {
      const kind = KINDS[f.type];
      if (kind === undefined) throw new SchemaError(`type ${f.type} cannot be read from CSV`, f.name);
      const c = new ColState(f, kind, !f.nullable, kind === K_INTEGER && !isDeclared(f.name));
      if (kind === K_CATEGORY) {
        c.dict = new StringDictionary();
        c.cache = new ByteStringCache(c.dict, (b, s, e) => (b as Buffer).toString('utf8', s, e));
      }
      return c;
    });
    if (this.options.batchSize === undefined) this.batchSize = Math.min(BATCH_ROWS, Math.max(MIN_BATCH_ROWS, Math.floor(BATCH_CELLS / fields.length)));
    this.allocate();
    this.phase = Phase.Data;
  }

  /**
   * Turns an integer column into a number column from the current row on: the rows already in
   * this batch keep their values (as float64; missing ones NaN), and the schema says number.
   */
  private widen(c: ColState): void {
    const n = this.n,
      from = c.i32!,
      to = new Float64Array(this.batchSize),
      v = c.valid;
    for (let i = 0; i < n; i++) to[i] = v !== null && ((v[i >> 3]! >> (i & 7)) & 1) === 0 ? NaN : from[i]!;
    c.f64 = to;
    c.i32 = null;
    c.kind = K_NUMBER;
    this.schema = new Schema(this.schema!.fields.map((f) => (f.name === c.field.name ? { ...f, type: 'number' } : f)));
  }

  private allocate(): void {
    const n = this.batchSize;
    for (const c of this.cols) {
      switch (c.kind) {
        case K_NUMBER:
        case K_DATETIME:
          c.f64 = new Float64Array(n);
          break;
        case K_BOOLEAN:
          c.u8 = new Uint8Array(n);
          break;
        case K_TEXT:
          c.dict = new StringDictionary();
          c.i32 = new Int32Array(n);
          break;
        default:
          c.i32 = new Int32Array(n);
      }
      c.valid = null;
    }
    this.rowIds = new Float64Array(n);
    this.lines = new Float64Array(n);
  }

  /** Parses one data row into slot `n`; bad rows go to BadRows and leave `n` where it was. */
  private row(p: number, rowLine: number): void {
    const br = this.badRows;
    br.read++;
    const rowId = this.rowsRead++;
    const cols = this.cols,
      ncols = cols.length,
      b = this.buf,
      n = this.n;
    const fs = this.fs,
      fe = this.fe,
      fq = this.fq;
    if (this.contentEnd - p > this.maxRowBytes)
      return this.reject(p, rowLine, 'too-long', -1, `row is ${this.contentEnd - p} bytes, over maxRowBytes (${this.maxRowBytes})`);
    if (this.contentEnd - p > this.maxFieldBytes) {
      // Quoted fields over the cap were cut in `run`; an unquoted one is checked here.
      for (let k = 0; k < this.nf; k++) {
        if (fe[k]! - fs[k]! > this.maxFieldBytes)
          return this.reject(p, rowLine, 'field-too-large', k, `field is ${fe[k]! - fs[k]!} bytes, over maxFieldBytes (${this.maxFieldBytes})`);
      }
    }
    if (this.unterminated)
      return this.reject(p, rowLine, 'field-count', this.nf - 1, 'unterminated quoted field (quotedNewlines is false: the newline ends the row)');
    if (this.malformed >= 0) return this.reject(p, rowLine, 'field-count', this.malformed, 'text after the closing quote of a quoted field');
    if (this.nf !== ncols) return this.reject(p, rowLine, 'field-count', Math.min(this.nf, ncols), `expected ${ncols} fields, got ${this.nf}`);
    if (this.contentEnd > this.utf8OkUntil && !isUtf8(b.subarray(p, this.contentEnd))) {
      let k = 0;
      while (k < ncols - 1 && isUtf8(b.subarray(fs[k]!, fe[k]!))) k++;
      return this.reject(p, rowLine, 'utf8', k, 'invalid UTF-8 bytes');
    }
    let strings = false,
      widen: ColState[] | null = null;
    for (let k = 0; k < ncols; k++) {
      const c = cols[k]!;
      const s = fs[k]!,
        e = fe[k]!,
        q = fq[k]!;
      const len = e - s;
      if (len === 0 ? this.emptyIsNull : len <= this.maxNullLen && this.nullFirst[b[s]!] !== 0 && this.isNull(s, e, q, k)) {
        if (c.required) return this.reject(p, rowLine, 'required', k, `column "${c.field.name}" is required but missing`);
        if (c.valid === null) c.valid = validity.allocate(this.batchSize, 1);
        c.valid[n >> 3]! &= ~(1 << (n & 7));
        switch (c.kind) {
          case K_NUMBER:
          case K_DATETIME:
            c.f64![n] = NaN;
            break;
          case K_BOOLEAN:
            c.u8![n] = 0;
            break;
          case K_INTEGER:
            c.i32![n] = 0;
            break;
          default:
            c.i32![n] = -1;
        }
        continue;
      }
      switch (c.kind) {
        case K_NUMBER: {
          let v = q === 2 ? NaN : parseNumberBytes(b, s, e);
          if (v !== v) {
            const x = parseNumber(this.field(k));
            if (x === undefined) return this.reject(p, rowLine, 'number', k, 'not a number');
            v = x;
          }
          c.f64![n] = v;
          break;
        }
        case K_INTEGER: {
          let v = q === 2 ? NaN : parseNumberBytes(b, s, e);
          if (v !== v) {
            const x = parseNumber(this.field(k));
            if (x === undefined) return this.reject(p, rowLine, 'number', k, 'not a number');
            v = x;
          }
          if (!Number.isInteger(v) || v > INT32_MAX || v < INT32_MIN) {
            if (!c.widens) return this.reject(p, rowLine, 'type', k, 'not a 32-bit integer');
            // Widened once the row is known good: a rejected row changes no column.
            c.pending = v;
            (widen ??= []).push(c);
            break;
          }
          c.i32![n] = v;
          break;
        }
        case K_DATETIME: {
          let v = q === 2 ? NaN : parseDatetimeBytes(b, s, e);
          if (v !== v) {
            const x = parseDatetime(this.field(k));
            if (x === undefined) return this.reject(p, rowLine, 'date', k, 'not a date or datetime (ISO 8601, YYYY/MM/DD, or Jan 1 2000)');
            v = x;
          }
          c.f64![n] = v;
          break;
        }
        case K_BOOLEAN: {
          const v = parseBoolean(this.field(k));
          if (v === undefined) return this.reject(p, rowLine, 'type', k, 'not a boolean');
          c.u8![n] = v ? 1 : 0;
          break;
        }
        default:
          strings = true;
      }
    }
    if (widen !== null) {
      for (const c of widen) {
        this.widen(c);
        c.f64![n] = c.pending;
      }
    }
    // Strings last, once the row is known good, so a bad row adds nothing to a dictionary.
    if (strings) {
      for (let k = 0; k < ncols; k++) {
        const c = cols[k]!;
        if (c.kind < K_CATEGORY) continue;
        if (c.valid !== null && ((c.valid[n >> 3]! >> (n & 7)) & 1) === 0) continue;
        c.i32![n] = c.kind === K_CATEGORY && fq[k] !== 2 ? c.cache!.code(b, fs[k]!, fe[k]!) : c.dict!.code(this.field(k));
      }
    }
    this.rowIds[n] = rowId;
    this.lines[n] = rowLine;
    this.n = n + 1;
    if (this.n === this.batchSize) this.finishBatch();
  }

  /** Whether a non-empty field of at most maxNullLen bytes is a null token. */
  private isNull(s: number, e: number, q: number, k: number): boolean {
    const len = e - s;
    if (q === 2) return this.nullSet.has(this.field(k));
    const b = this.buf;
    for (const t of this.nullTokens) {
      if (t.length !== len) continue;
      let i = 0;
      while (i < len && t[i] === b[s + i]) i++;
      if (i === len) return true;
    }
    return false;
  }

  private reject(p: number, line: number, reason: BadRowReason, k: number, detail: string): void {
    // Undo the missing-value marks this row set in slot n.
    const n = this.n;
    for (const c of this.cols) if (c.valid !== null) c.valid[n >> 3]! |= 1 << (n & 7);
    const field = k >= 0 && k < this.nf && k < this.names.length ? this.names[k] : undefined;
    const value = k >= 0 && k < this.nf && reason !== 'field-count' && reason !== 'field-too-large' ? this.field(k) : undefined;
    this.badRows.reject(
      reason,
      {
        line,
        ...(k >= 0 ? { column: k + 1 } : {}),
        ...(field !== undefined ? { field } : {}),
        ...(value !== undefined ? { value } : {}),
      },
      detail,
      this.raw(p),
    );
  }

  /**
   * Starts skipping a row longer than maxRowBytes without buffering it (cutRow then makes it a
   * cut row that ends at the next newline whatever the quotes).
   */
  private startOverflow(p: number): void {
    this.overflow = true;
    this.ovQuote = false;
    this.ovLines = 0;
    this.ovLine = this.line;
    this.ovRaw = this.buf.toString('utf8', p, Math.min(this.len, p + OVERFLOW_RAW));
    this.ovReason = 'too-long';
    this.ovToNewline = !this.quotedNewlines;
    this.ovField = -1;
    this.ovDetail = `row longer than maxRowBytes (${this.maxRowBytes})`;
  }

  /**
   * Scans on to the end of a too-long row, dropping its bytes. Quotes toggle the quoted state
   * (a literal quote inside an unquoted field would confuse it: good enough for a row that is
   * rejected anyway). Returns true when the row ended (or the input did) and parsing resumes.
   */
  private skipOverflow(eof: boolean): boolean {
    const b = this.buf;
    let p = this.rowStart,
      q = this.ovQuote;
    const end = this.len;
    if (this.ovToNewline) {
      const lf = b.subarray(p, end).indexOf(LF);
      p = lf < 0 ? end : p + lf + 1;
      if (lf >= 0) this.ovLines++;
    } else {
      for (; p < end; p++) {
        const c = b[p]!;
        if (c === QUOTE) q = !q;
        else if (c === LF) {
          this.ovLines++;
          if (!q) {
            p++;
            break;
          }
        }
      }
    }
    const ended = p <= end && p > this.rowStart && b[p - 1] === LF && !q;
    this.rowStart = p;
    this.ovQuote = q;
    if (!ended && !eof) return false;
    this.overflow = false;
    this.line = this.ovLine + this.ovLines;
    this.badRows.read++;
    this.rowsRead++;
    const k = this.ovField,
      name = k >= 0 && k < this.names.length ? this.names[k] : undefined;
    this.badRows.reject(
      this.ovReason,
      { line: this.ovLine, ...(k >= 0 ? { column: k + 1 } : {}), ...(name !== undefined ? { field: name } : {}) },
      this.ovDetail,
      this.ovRaw,
    );
    return true;
  }

  private finishBatch(empty = false): void {
    const n = this.n;
    if ((n === 0 && !empty) || this.schema === null) return;
    this.emitted = true;
    const full = n === this.batchSize;
    const cut = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => (full ? a : (a.slice(0, n) as T));
    const columns = this.cols.map((c): Column => {
      const v = c.valid === null ? null : c.valid.slice(0, (n + 7) >> 3);
      switch (c.kind) {
        case K_NUMBER:
          return { type: 'number', values: cut(c.f64!), validity: v };
        case K_DATETIME:
          return { type: 'datetime', values: cut(c.f64!), validity: v };
        case K_INTEGER:
          return { type: 'integer', values: cut(c.i32!), validity: v };
        case K_BOOLEAN:
          return { type: 'boolean', values: cut(c.u8!), validity: v };
        case K_CATEGORY:
          return { type: 'category', codes: cut(c.i32!), dictionary: c.dict!, validity: v };
        default:
          return { type: 'text', codes: cut(c.i32!), dictionary: c.dict!, validity: v };
      }
    });
    const batch = new Batch(this.schema, columns, n, cut(this.rowIds), cut(this.lines));
    const consumed = this.base + this.rowStart;
    const books = this.badRows.account();
    batch.sourceAt = {
      offset: consumed,
      line: this.line,
      row: this.rowsRead,
      books: { read: books.read, skipped: books.skipped, skippedByReason: books.skippedByReason as Record<string, number> },
    };
    this.ready.push({ batch, bytes: consumed - this.bytesOut });
    this.bytesOut = consumed;
    this.n = 0;
    if (full) this.allocate();
    else
      for (const c of this.cols) {
        c.valid = null;
        if (c.kind === K_TEXT) c.dict = new StringDictionary();
      }
  }
}
