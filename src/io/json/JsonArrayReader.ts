import { LineReader, type LineSink } from './LineReader.js';

const NL = 10,
  CR = 13,
  SPACE = 32,
  TAB = 9,
  QUOTE = 34,
  BACKSLASH = 92,
  COMMA = 44;
const OPEN_BRACKET = 91,
  CLOSE_BRACKET = 93,
  OPEN_BRACE = 123,
  CLOSE_BRACE = 125;

/** Where an element starts, for the locations of its bad rows. */
interface Start {
  line: number;
  column: number;
}

/**
 * Splits the bytes of a JSON file into rows for `ndjsonBatches`: when the first non-blank byte
 * is `[`, each top-level array element is one row, handed over with the line and column where it
 * starts (a pretty-printed element spans lines; a compact file has every element on line 1). Any
 * other file is NDJSON, one row per line (LineReader).
 *
 * A streaming tokenizer: it tracks strings, escapes and nesting byte by byte and buffers one
 * element at a time (at most `maxLineBytes`; a longer one is a `too-long` bad row), so a large
 * file is never held whole. It judges structure only; ndjsonBatches parses each element and
 * rejects those that are malformed or not objects. A raw newline inside a string ends the string
 * (JSON forbids it there), so one broken element cannot swallow the rest of the file. Empty
 * elements (`[a,,b]`, a trailing comma) hold no data and are passed over; so is a missing final
 * `]`. Arrays that follow one another (`[…][…]`) are read as one.
 */
export class JsonArrayReader {
  private readonly strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  private mode: 'start' | 'array' | 'lines' = 'start';
  private lines: LineReader | null = null;
  /** Bytes seen before the first non-blank one (handed to the LineReader in NDJSON mode). */
  private prefix: Uint8Array[] = [];
  private bom = 0;
  private line = 1;
  /** Characters of the current line before the next byte. */
  private column = 0;
  private inArray = false;
  private depth = 0;
  private inString = false;
  private escape = false;
  /** The element being read: its start, its buffered bytes, and whether it outgrew the limit. */
  private start: Start | null = null;
  private parts: Uint8Array[] = [];
  private bytes = 0;
  /** Buffered bytes up to the element's last non-blank byte. */
  private last = 0;
  private tooLong = false;

  constructor(
    private readonly sink: LineSink,
    readonly maxLineBytes = 8 << 20,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.mode === 'lines') {
      this.lines!.push(chunk);
      return;
    }
    let i = 0;
    if (this.mode === 'start') {
      i = this.sniff(chunk);
      if (this.mode === 'start') {
        this.prefix.push(chunk.slice());
        return;
      }
      if (this.mode === 'lines') {
        this.lines = new LineReader(this.sink, this.maxLineBytes);
        for (const p of this.prefix) this.lines.push(p);
        this.prefix = [];
        this.lines.push(chunk);
        return;
      }
      this.prefix = [];
    }
    this.scan(chunk, i);
  }

  end(): void {
    if (this.mode === 'lines') {
      this.lines!.end();
      return;
    }
    if (this.start) this.finish();
  }

  /** Skips a BOM and blanks; on the first other byte picks the mode. Returns where scanning resumes. */
  private sniff(chunk: Uint8Array): number {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.bom < 3 && this.line === 1 && this.column === 0 && b === [0xef, 0xbb, 0xbf][this.bom]) {
        this.bom++;
        continue;
      }
      if (b === NL) {
        this.line++;
        this.column = 0;
        continue;
      }
      if (b === SPACE || b === TAB || b === CR) {
        this.column++;
        continue;
      }
      this.mode = b === OPEN_BRACKET ? 'array' : 'lines';
      return i;
    }
    return chunk.length;
  }

  private scan(chunk: Uint8Array, from: number): void {
    // The element's bytes in this chunk start at `s` (or the chunk start when it began earlier).
    let s = this.start ? from : -1;
    for (let i = from; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE || b === NL) this.inString = false;
      } else if (b === SPACE || b === TAB || b === CR || b === NL) {
        // Blank: part of an element only if more follows.
      } else if (this.depth === 0 && (b === COMMA || b === CLOSE_BRACKET || (b === OPEN_BRACKET && !this.inArray && !this.start))) {
        if (this.start) {
          this.take(chunk, s, i);
          this.finish();
          s = -1;
        }
        if (b === CLOSE_BRACKET) this.inArray = false;
        else if (b === OPEN_BRACKET) this.inArray = true;
      } else {
        if (!this.start) {
          this.start = { line: this.line, column: this.column + 1 };
          s = i;
        }
        if (b === QUOTE) this.inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++;
        else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && this.depth > 0) this.depth--;
      }
      if (b === NL) {
        this.line++;
        this.column = 0;
      } else if ((b & 0xc0) !== 0x80) this.column++;
      if (this.start && b !== SPACE && b !== TAB && b !== CR && b !== NL) this.last = this.bytes + (i - s) + 1;
    }
    if (this.start) this.take(chunk, s, chunk.length);
  }

  /** Buffers chunk[s, e) of the current element (copied: the caller may reuse its buffer). */
  private take(chunk: Uint8Array, s: number, e: number): void {
    if (e <= s || this.tooLong) {
      if (this.tooLong) this.bytes += e - s;
      return;
    }
    if (this.bytes + (e - s) > this.maxLineBytes) {
      const head = this.lenient.decode(concat([...this.parts, chunk.subarray(s, e)]).subarray(0, 256));
      this.sink.bad('too-long', this.start!.line, this.start!.column, head);
      this.tooLong = true;
      this.parts = [];
      this.bytes += e - s;
      return;
    }
    this.parts.push(chunk.slice(s, e));
    this.bytes += e - s;
  }

  /** Hands the finished element to the sink, with a map from its characters to file positions. */
  private finish(): void {
    const start = this.start!;
    const parts = this.parts,
      last = this.last,
      tooLong = this.tooLong;
    this.start = null;
    this.parts = [];
    this.bytes = 0;
    this.last = 0;
    this.tooLong = false;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    if (tooLong) return;
    const bytes = concat(parts).subarray(0, last);
    let text: string;
    try {
      text = this.strict.decode(bytes);
    } catch {
      this.sink.bad('utf8', start.line, start.column, this.lenient.decode(bytes));
      return;
    }
    this.sink.line(text, start.line, (c) => position(text, start, c));
  }
}

/** The file line and column of the 1-based character `c` of an element starting at `start`. */
function position(text: string, start: Start, c: number): { line: number; column: number } {
  let line = start.line,
    lineStart = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < c - 1; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i;
  }
  return lineStart < 0 ? { line, column: start.column + c - 1 } : { line, column: c - 1 - lineStart };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
