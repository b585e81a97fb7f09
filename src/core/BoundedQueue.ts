import { Telemetry } from './Telemetry.js';
import { Ticket } from './Ticket.js';

/**
 * Counts batches that a source has emitted and the pipeline has not finished with. A source
 * reads its next chunk only while `depth < capacity`; async stages hold a batch's Ticket until
 * they are done with it, so a slow consumer stops the reader instead of growing a buffer.
 */
export class BoundedQueue {
  private _depth = 0;
  private _highWater = 0;
  private waiters: Array<() => void> = [];

  constructor(
    readonly name: string,
    readonly capacity: number,
    private readonly telemetry: Telemetry = Telemetry.global,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue ${name}: capacity must be a positive integer, got ${capacity}`);
  }

  get depth(): number {
    return this._depth;
  }

  /** The largest depth seen since creation. */
  get highWater(): number {
    return this._highWater;
  }

  get hasRoom(): boolean {
    return this._depth < this.capacity;
  }

  /** Resolves once there is room for one more batch. */
  waitForRoom(): Promise<void> {
    if (this.hasRoom) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Admits one batch; the returned ticket starts with one reference, held by the caller. */
  admit(): Ticket {
    this._depth++;
    if (this._depth > this._highWater) this._highWater = this._depth;
    this.report();
    return new Ticket(() => this.leave());
  }

  private leave(): void {
    this._depth--;
    this.report();
    if (this.hasRoom && this.waiters.length > 0) {
      const ws = this.waiters;
      this.waiters = [];
      for (const w of ws) w();
    }
  }

  private report(): void {
    this.telemetry.emit({ type: 'queue', name: this.name, depth: this._depth, capacity: this.capacity });
  }
}
