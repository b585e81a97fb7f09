import type { PullChunk } from '../../core/index.js';

interface Entry {
  it: AsyncIterator<PullChunk>;
  close: () => void;
  pending: Promise<Settled> | null;
}
type Settled = { entry: Entry; ok: true; result: IteratorResult<PullChunk> } | { entry: Entry; ok: false; error: unknown };

/**
 * Merges a changing set of pull-based inputs (one per socket connection) into one pull-based
 * iterator. Each `next()` asks every input without an outstanding request for its next chunk
 * and takes the first that answers (starting the race at a rotating input, for fairness). So each
 * input is at most one batch ahead of the consumer: while the consumer does not pull, no input
 * reads its socket, and the peers see TCP backpressure. An input that fails fails the merge.
 */
export class PullMerger {
  private entries: Entry[] = [];
  private ended = false;
  private closed = false;
  private wake: (() => void) | null = null;
  private turn = 0;

  /** Inputs still open. */
  get size(): number {
    return this.entries.length;
  }

  /** Adds an input; `close` must make its pending read settle (destroy the socket). */
  add(it: AsyncIterator<PullChunk>, close: () => void): void {
    if (this.closed) {
      close();
      return;
    }
    this.entries.push({ it, close, pending: null });
    this.wake?.();
  }

  /** No more inputs will be added: the merge ends when the current ones have. */
  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async next(): Promise<IteratorResult<PullChunk>> {
    for (;;) {
      if (this.closed || (this.entries.length === 0 && this.ended)) return { done: true, value: undefined };
      for (const e of this.entries) {
        e.pending ??= e.it.next().then(
          (result): Settled => ({ entry: e, ok: true, result }),
          (error: unknown): Settled => ({ entry: e, ok: false, error }),
        );
      }
      const n = this.entries.length;
      const start = n > 0 ? this.turn++ % n : 0;
      const racers: Array<Promise<Settled | null>> = [];
      for (let k = 0; k < n; k++) racers.push(this.entries[(start + k) % n]!.pending!);
      racers.push(
        new Promise<null>((resolve) => {
          this.wake = () => resolve(null);
        }),
      );
      const s = await Promise.race(racers);
      this.wake = null;
      if (s === null) continue;
      s.entry.pending = null;
      if (!s.ok) throw s.error;
      if (s.result.done) {
        this.entries = this.entries.filter((e) => e !== s.entry);
        continue;
      }
      return { done: false, value: s.result.value };
    }
  }

  /** Closes every input (without waiting for them) and ends the merge. */
  close(): void {
    this.closed = true;
    const all = this.entries;
    this.entries = [];
    for (const e of all) {
      e.close();
      e.it.return?.(undefined).catch(() => {
        /* closing */
      });
    }
    this.wake?.();
  }
}
