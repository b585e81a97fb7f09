/** What a LineReader reports for each physical line. */
export interface LineSink {
  /**
   * A complete, valid UTF-8 line without its terminator (`\n` or `\r\n`); `line` is 1-based.
   * `at` maps a 1-based character of `text` to its file position when `text` is not simply a whole
   * line (a JSON array element, JsonArrayReader).
   */
  line(text: string, line: number, at?: (column: number) => { line: number; column: number }): void;
  /** A line that cannot be read: invalid UTF-8 (`byte` = 1-based offset of the first bad byte) or longer than the limit. */
  bad(reason: 'utf8' | 'too-long', line: number, byte: number, raw: string): void;
}

const NL = 10;

/**
 * Splits a byte stream into numbered lines. The common case decodes everything up to the last
 * newline of a chunk in one strict TextDecoder call; only a chunk that fails falls back to line
 * by line, so one bad byte costs one line, not the chunk. A line longer than `maxLineBytes` is
 * reported once and discarded up to its newline, so a peer that never sends `\n` cannot make
 * the reader buffer without bound.
 */
export class LineReader {
  private readonly strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private discarding = false;
  private lineNo = 0;
  private first = true;

  constructor(
    private readonly sink: LineSink,
    readonly maxLineBytes = 8 << 20,
  ) {}

  /** Lines seen so far (the number of the last one). */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Uint8Array): void {
    const last = chunk.lastIndexOf(NL);
    if (last < 0) {
      this.hold(chunk);
      return;
    }
    let region = chunk.subarray(0, last + 1);
    if (this.pendingBytes > 0) {
      this.pending.push(region);
      region = concat(this.pending, this.pendingBytes + region.length);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.region(region);
    if (last + 1 < chunk.length) this.hold(chunk.subarray(last + 1));
  }

  /** Flushes a last line that had no terminator. */
  end(): void {
    if (this.discarding) {
      this.discarding = false;
      this.lineNo++;
    }
    if (this.pendingBytes === 0) return;
    const rest = concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.one(rest);
  }

  private hold(bytes: Uint8Array): void {
    if (this.discarding) return;
    // Copy: the caller may reuse its buffer, and a view would pin the whole chunk.
    this.pending.push(bytes.slice());
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > this.maxLineBytes) {
      const head = this.lenient.decode(concat(this.pending, this.pendingBytes).subarray(0, 256));
      this.pending = [];
      this.pendingBytes = 0;
      this.discarding = true;
      this.first = false;
      this.sink.bad('too-long', this.lineNo + 1, this.maxLineBytes + 1, head);
    }
  }

  /** Bytes ending with a newline: one or more whole lines. */
  private region(bytes: Uint8Array): void {
    let text: string;
    try {
      text = this.strict.decode(bytes);
    } catch {
      let start = 0;
      for (;;) {
        const nl = bytes.indexOf(NL, start);
        if (nl < 0) break;
        this.one(bytes.subarray(start, nl));
        start = nl + 1;
      }
      return;
    }
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.emit(text.slice(start, nl));
      start = nl + 1;
    }
  }

  /** One line's bytes, without the newline. */
  private one(bytes: Uint8Array): void {
    let text: string;
    try {
      text = this.strict.decode(bytes);
    } catch {
      if (this.discarding) {
        this.discarding = false;
        this.lineNo++;
        return;
      }
      this.lineNo++;
      this.first = false;
      this.sink.bad('utf8', this.lineNo, firstInvalid(bytes) + 1, this.lenient.decode(bytes));
      return;
    }
    this.emit(text);
  }

  private emit(text: string): void {
    this.lineNo++;
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    if (this.first) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    this.sink.line(text, this.lineNo);
  }
}

function concat(parts: readonly Uint8Array[], n: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Offset of the first byte that breaks UTF-8 (for the error column). */
function firstInvalid(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : (c & 0xe0) === 0xc0 && c >= 0xc2 ? 1 : (c & 0xf0) === 0xe0 ? 2 : (c & 0xf8) === 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return Math.max(0, b.length - 1);
}
