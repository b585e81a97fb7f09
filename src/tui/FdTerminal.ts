import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';

export interface FdTerminalOptions {
  columns: number;
  rows: number;
  /** Whether the descriptor is a terminal (ink then wraps frames in synchronized-output markers). */
  isTTY: boolean;
}

// A 1 ms pause when the terminal is not keeping up (a non-blocking descriptor answers EAGAIN).
const nap = new Int32Array(new SharedArrayBuffer(4));

/**
 * The terminal as the render worker sees it: ink's stdout, writing each frame straight to a
 * file descriptor (the process's fd 1) with blocking writes, so a frame is on the terminal when
 * `write` returns and the pipeline's thread never carries frame bytes. A worker has no terminal
 * of its own: the size comes from the pipeline's thread, and `resize()` replays its 'resize'.
 */
export class FdTerminal extends Writable {
  readonly fd: number;
  columns: number;
  rows: number;
  readonly isTTY: boolean;
  /** Bytes and write calls so far (benches report what the dashboard writes). */
  bytes = 0;
  writes = 0;

  constructor(fd: number, options: FdTerminalOptions) {
    super({ decodeStrings: true });
    this.fd = fd;
    this.columns = options.columns;
    this.rows = options.rows;
    this.isTTY = options.isTTY;
  }

  resize(columns: number, rows: number): void {
    if (columns === this.columns && rows === this.rows) return;
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    try {
      let off = 0;
      while (off < chunk.length) {
        try {
          off += writeSync(this.fd, chunk, off, chunk.length - off);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
          Atomics.wait(nap, 0, 0, 1);
        }
      }
      this.bytes += chunk.length;
      this.writes++;
      done();
    } catch (e) {
      done(e as Error);
    }
  }
}
