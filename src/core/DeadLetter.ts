import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

/** Raw rows longer than this are cut in the dead-letter file (the line number finds the rest). */
const MAX_RAW = 64 * 1024;
const FLUSH_BYTES = 64 * 1024;

/** Paths shared by a run now (resolved), with how many runs share each. */
const SHARED = new Map<string, number>();
/** Dead letters of this thread with a file open: a checkpoint flushes them all (DeadLetter.flushAll). */
const OPEN = new Set<DeadLetter>();

const HEADER = 'line,reason,column,value,detail,raw\n';

/**
 * Appends rejected rows to a CSV file: `line,reason,column,value,detail,raw`. Opened on the first
 * row, buffered in 64 KiB writes, so a clean run creates no file and a dirty one costs little.
 *
 * Alone, a dead letter replaces the file on its first row. With `append`, several writers of one
 * run (the source, its parse thread, every step) share the file: the first to create it writes the
 * header, the others open it in append mode, and each flush is one write of whole records. The run
 * declares its file shared (`DeadLetter.share`) for its duration, which also removes an old file and
 * makes every dead letter of this thread on that path append; other threads are told by `append`.
 */
export class DeadLetter {
  private fd: number | null = null;
  private buffer: string[] = [];
  private size = 0;
  count = 0;

  private readonly append: boolean;

  constructor(
    readonly path: string,
    append = false,
  ) {
    this.append = append || SHARED.has(resolve(path));
  }

  /**
   * Declares `path` the shared dead letter of one run: removes a file left by an earlier run, and
   * until the returned function is called every DeadLetter on it appends. Call before the stages start.
   * A run resumed from line `keepBefore` of its source keeps the earlier run's records of the rows
   * before that line and drops the others (it writes them again).
   */
  static share(path: string, keepBefore?: number): () => void {
    const key = resolve(path);
    if (keepBefore === undefined) rmSync(key, { force: true });
    else keepRecordsBefore(key, keepBefore);
    SHARED.set(key, (SHARED.get(key) ?? 0) + 1);
    return () => {
      const n = (SHARED.get(key) ?? 1) - 1;
      if (n > 0) SHARED.set(key, n);
      else SHARED.delete(key);
    };
  }

  write(line: number, reason: string, column: string, value: string, detail: string, raw: string): void {
    if (this.fd === null) {
      this.fd = this.open();
      OPEN.add(this);
    }
    const rec = `${[String(line), reason, column, value, detail, raw.length > MAX_RAW ? raw.slice(0, MAX_RAW) : raw].map(quote).join(',')}\n`;
    this.buffer.push(rec);
    this.size += rec.length;
    this.count++;
    if (this.size >= FLUSH_BYTES) this.flush();
  }

  private open(): number {
    if (!this.append) {
      const fd = openSync(this.path, 'w');
      writeSync(fd, HEADER);
      return fd;
    }
    try {
      // O_EXCL decides who writes the header; then the file is reopened for appends.
      writeFileSync(this.path, HEADER, { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    return openSync(this.path, 'a');
  }

  flush(): void {
    if (this.fd === null || this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    OPEN.delete(this);
  }

  /** Writes out what every dead letter of this thread holds: a checkpoint's rows are then on disk. */
  static flushAll(): void {
    for (const d of OPEN) d.flush();
  }
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Rewrites a dead letter keeping the header and the records whose line is below `line` (records
 * are whole CSV records: a quoted raw row may hold newlines). A missing file stays missing.
 */
function keepRecordsBefore(path: string, line: number): void {
  if (!existsSync(path)) return;
  const text = readFileSync(path, 'utf8');
  const kept: string[] = [];
  let start = 0,
    quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) {
      const rec = text.slice(start, i + 1);
      // The header, then records whose first field (the line, never quoted) is below `line`.
      if (start === 0 || Number(rec.slice(0, rec.indexOf(','))) < line) kept.push(rec);
      start = i + 1;
    }
  }
  writeFileSync(path, kept.join(''));
}
