/**
 * The writers' end of a Node writable stream, and their life cycle: `write` waits for 'drain' when
 * the stream's buffer is full; `close` writes a last chunk and waits until everything is handed on;
 * `discard` stops. The stream's 'error' is kept (nobody listening would crash the process, e.g. a
 * closed stdout pipe) and rejects the next call. Never ends the stream: whoever opened it does.
 */
export class StreamSink {
  private error: Error | null = null;
  private closing: Promise<void> | null = null;
  private stopped = false;
  private readonly onError = (err: Error) => {
    this.error ??= err;
  };

  constructor(
    readonly out: NodeJS.WritableStream,
    /** Writer name for the use-after-close error. */
    private readonly owner: string,
  ) {
    out.on('error', this.onError);
  }

  /** Throws when the writer was closed or discarded (a bug in the caller, not in the data). */
  checkOpen(): void {
    if (this.closing !== null || this.stopped) throw new Error(`${this.owner}: write after close or discard`);
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.error) throw this.error;
    if (!this.out.write(chunk)) await this.drained();
    if (this.error) throw this.error;
  }

  /** Writes `last` (when given) and resolves once all written so far has been handed on. Once only; later calls share the first's outcome. */
  close(last: () => string | Uint8Array | null = () => null): Promise<void> {
    if (this.closing === null && this.stopped) return Promise.resolve();
    this.closing ??= this.finish(last);
    return this.closing;
  }

  /** Stops without a last chunk or flush; nothing once close has begun. */
  discard(): Promise<void> {
    if (this.closing === null) this.release();
    return Promise.resolve();
  }

  private async finish(last: () => string | Uint8Array | null): Promise<void> {
    try {
      const chunk = last();
      if (chunk !== null && chunk.length > 0) await this.write(chunk);
      if (this.error) throw this.error;
      // An empty write's callback comes after those of the writes before it.
      await new Promise<void>((resolve, reject) => {
        this.out.write('', (err?: Error | null) => (err ? reject(err) : resolve()));
      });
      if (this.error) throw this.error;
    } finally {
      this.release();
    }
  }

  private release(): void {
    this.stopped = true;
    this.out.removeListener('error', this.onError);
  }

  /** 'drain', or a rejection when the stream fails or closes first (a destroyed stream never drains). */
  private drained(): Promise<void> {
    const out = this.out;
    return new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        out.removeListener('drain', onDrain);
        out.removeListener('error', onFail);
        out.removeListener('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = () => done();
      const onFail = (err: Error) => done(err);
      const onClose = () => done(this.error ?? new Error(`${this.owner}: the output closed before all data was written`));
      out.on('drain', onDrain);
      out.on('error', onFail);
      out.on('close', onClose);
    });
  }
}
