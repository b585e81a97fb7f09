import type { OperatorFunction } from 'rxjs';
import { asyncMap, type Batch } from '../core/index.js';

/**
 * Pause for a pipeline: `operator()` holds each batch (and so its queue ticket) while paused,
 * so the bounded source queue fills and the reader stops pulling. Nothing is dropped; resuming
 * lets the held batch through and the source picks up where it stopped.
 */
export class PauseGate {
  private waiting: Promise<void> | null = null;
  private release: (() => void) | null = null;

  get paused(): boolean {
    return this.waiting !== null;
  }

  pause(): void {
    if (this.waiting) return;
    this.waiting = new Promise<void>((resolve) => {
      this.release = resolve;
    });
  }

  resume(): void {
    const r = this.release;
    this.waiting = null;
    this.release = null;
    r?.();
  }

  toggle(): boolean {
    if (this.paused) this.resume();
    else this.pause();
    return this.paused;
  }

  /** Resolves at once when running, else when resumed. */
  wait(): Promise<void> {
    return this.waiting ?? Promise.resolve();
  }

  /** Passes batches through, holding each while paused. */
  operator(): OperatorFunction<Batch, Batch> {
    return asyncMap(async (batch) => {
      while (this.waiting) await this.waiting;
      return batch;
    });
  }
}
