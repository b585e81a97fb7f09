import { closeSync, openSync, writeSync } from 'node:fs';

/** Raw rows longer than this are cut in the dead-letter file (the line number finds the rest). */
const MAX_RAW = 64 * 1024;
const FLUSH_BYTES = 64 * 1024;

/**
 * Appends rejected rows to a CSV file: `line,reason,column,value,detail,raw`. Opened on the first
 * row, buffered in 64 KiB writes, so a clean run creates no file and a dirty one costs little.
 */
export class DeadLetter {
  private fd: number | null = null;
  private buffer: string[] = [];
  private size = 0;
  count = 0;

  constructor(readonly path: string) {}

  write(line: number, reason: string, column: string, value: string, detail: string, raw: string): void {
    if (this.fd === null) {
      this.fd = openSync(this.path, 'w');
      writeSync(this.fd, 'line,reason,column,value,detail,raw\n');
    }
    const rec = [String(line), reason, column, value, detail, raw.length > MAX_RAW ? raw.slice(0, MAX_RAW) : raw].map(quote).join(',') + '\n';
    this.buffer.push(rec);
    this.size += rec.length;
    this.count++;
    if (this.size >= FLUSH_BYTES) this.flush();
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
  }
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
