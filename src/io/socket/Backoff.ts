import { SpecError } from '../../core/index.js';

/** Reconnection timing: delay = min(maxDelayMs, initialDelayMs × factor^(attempt−1)). */
export interface BackoffOptions {
  /** Delay before the first retry, in ms (default 100). */
  initialDelayMs?: number;
  /** Longest delay between retries, in ms (default 10 000). */
  maxDelayMs?: number;
  /** Growth of the delay per failed attempt (default 2). */
  factor?: number;
  /** Consecutive failed attempts before giving up (default 10; `Infinity` never gives up). */
  maxRetries?: number;
}

/**
 * Exponential backoff without jitter (runs stay reproducible). `next()` gives the delay before the
 * next attempt, or null once `maxRetries` consecutive attempts have failed; `reset()` after a
 * successful connection starts the count again.
 */
export class Backoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  readonly maxRetries: number;
  attempts = 0;

  constructor(options: BackoffOptions = {}, path = 'reconnect') {
    this.initialDelayMs = options.initialDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.factor = options.factor ?? 2;
    this.maxRetries = options.maxRetries ?? 10;
    if (!(this.initialDelayMs >= 0) || !Number.isFinite(this.initialDelayMs))
      throw new SpecError(`${path}.initialDelayMs`, `expected a finite number >= 0, got ${String(options.initialDelayMs)}`);
    if (!(this.maxDelayMs >= this.initialDelayMs))
      throw new SpecError(`${path}.maxDelayMs`, `expected a number >= initialDelayMs (${this.initialDelayMs}), got ${String(options.maxDelayMs)}`);
    if (!(this.factor >= 1) || !Number.isFinite(this.factor))
      throw new SpecError(`${path}.factor`, `expected a finite number >= 1, got ${String(options.factor)}`);
    if (!(this.maxRetries >= 0) || !(Number.isInteger(this.maxRetries) || this.maxRetries === Infinity))
      throw new SpecError(`${path}.maxRetries`, `expected a non-negative integer or Infinity, got ${String(options.maxRetries)}`);
  }

  /** Delay in ms before the next attempt, counting it; null when retries are exhausted. */
  next(): number | null {
    if (this.attempts >= this.maxRetries) return null;
    this.attempts++;
    return Math.min(this.maxDelayMs, this.initialDelayMs * this.factor ** (this.attempts - 1));
  }

  reset(): void {
    this.attempts = 0;
  }

  toJSON(): BackoffOptions & { attempts: number } {
    return { initialDelayMs: this.initialDelayMs, maxDelayMs: this.maxDelayMs, factor: this.factor, maxRetries: this.maxRetries, attempts: this.attempts };
  }

  static fromJSON(json: BackoffOptions & { attempts?: number }): Backoff {
    const b = new Backoff(json);
    b.attempts = json.attempts ?? 0;
    return b;
  }
}
