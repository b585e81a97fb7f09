import { Observable, type OperatorFunction } from 'rxjs';
import type { Batch, SourcePosition } from './Batch.js';
import type { ColumnType } from './ColumnType.js';
import type { Schema } from './Schema.js';
import { Ticket } from './Ticket.js';

/**
 * A point where a pipeline can be stopped still, for a checkpoint. `operator()` passes batches on,
 * each under a ticket of its own that frees once every stage downstream is done with the batch
 * (async stages hold tickets until their step ends). `quiesce(fn)` holds the batches that arrive
 * from then on (and so their source queue slots: the reader stops), waits until no batch it let
 * through is still in work, runs `fn` (the state downstream then covers exactly the rows let
 * through, `passed`), and lets the held batches go on. Nothing is dropped or reordered.
 */
export class QuiesceGate {
  private inflight = 0;
  private held: Batch[] = [];
  private waiting: Array<{ fn: () => Promise<void>; done: (e?: unknown) => void }> = [];
  private running = false;
  private forward: ((b: Batch) => void) | null = null;
  private endHeld: (() => void) | null = null;
  private rows = 0;
  private last: { at: SourcePosition; schema: Schema } | null = null;

  /** Rows let through (by every subscription). */
  get passed(): number {
    return this.rows;
  }

  /** Where the source goes on after the last batch let through that said (its sourceAt), with that batch's columns and types. */
  get lastAt(): (SourcePosition & { names: string[]; types: Record<string, ColumnType> }) | null {
    const l = this.last;
    if (!l) return null;
    return { ...l.at, names: l.schema.fields.map((f) => f.name), types: Object.fromEntries(l.schema.fields.map((f) => [f.name, f.type])) };
  }

  /** Batches let through that a stage is still working on. */
  get busy(): number {
    return this.inflight;
  }

  /** True while batches are held (a quiesce is waiting or running). */
  get holding(): boolean {
    return this.waiting.length > 0 || this.running;
  }

  /**
   * Runs `fn` once nothing let through is in work, holding new batches meanwhile. Resolves (or
   * rejects) with `fn`. Requests made while one waits or runs queue behind it.
   */
  quiesce(fn: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ fn, done: (e) => (e === undefined ? resolve() : reject(e)) });
      this.kick();
    });
  }

  operator(): OperatorFunction<Batch, Batch> {
    return (source) =>
      new Observable<Batch>((subscriber) => {
        let ended = false;
        const pass = (b: Batch, extra: boolean) => {
          const orig = b.ticket;
          // The source's slot stays taken until the batch is done with downstream.
          if (!extra) orig?.retain();
          this.inflight++;
          const t = new Ticket(() => {
            orig?.release();
            this.inflight--;
            if (this.inflight === 0) this.kick();
          });
          b.ticket = t;
          this.rows += b.length;
          if (b.sourceAt) this.last = { at: b.sourceAt, schema: b.schema };
          subscriber.next(b);
          t.release();
        };
        this.forward = (b) => pass(b, true);
        this.endHeld = () => {
          if (ended && this.held.length === 0) subscriber.complete();
        };
        const sub = source.subscribe({
          next: (b) => {
            if (this.holding || this.held.length > 0) {
              b.ticket?.retain();
              this.held.push(b);
            } else pass(b, false);
          },
          error: (e) => subscriber.error(e),
          complete: () => {
            ended = true;
            if (this.held.length === 0) subscriber.complete();
          },
        });
        return () => {
          sub.unsubscribe();
          for (const b of this.held) b.ticket?.release();
          this.held = [];
          this.forward = null;
          this.endHeld = null;
          // A quiesce waiting on this subscription runs now: nothing more will arrive.
          if (this.inflight === 0) this.kick();
        };
      });
  }

  private kick(): void {
    if (this.running || this.inflight > 0 || this.waiting.length === 0) return;
    const { fn, done } = this.waiting.shift()!;
    this.running = true;
    fn().then(
      () => this.after(done),
      (e) => this.after(() => done(e ?? new Error('quiesce failed'))),
    );
  }

  private after(done: () => void): void {
    this.running = false;
    done();
    if (this.waiting.length > 0) return this.kick();
    // Held batches go on in order, unless a new quiesce starts while they do.
    while (this.held.length > 0 && !this.holding && this.forward) this.forward(this.held.shift()!);
    this.endHeld?.();
  }
}
