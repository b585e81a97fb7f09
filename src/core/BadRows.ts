import { BadInputError, type BadInputLocation } from './BadInputError.js';
import type { BadRowReason } from './BadRowReason.js';
import { DeadLetter } from './DeadLetter.js';
import { SpecError } from './SpecError.js';
import { Telemetry } from './Telemetry.js';

export type BadRowPolicy = 'skip' | 'fail';

export interface BadRowOptions {
  /** `skip` (default): count, dead-letter and go on. `fail`: stop at the first bad row. */
  badRows?: BadRowPolicy;
  /** Dead-letter CSV path for skipped rows. */
  deadLetter?: string;
  /** Share the dead-letter file with the other stages of a run (see DeadLetter): append, never replace. */
  deadLetterAppend?: boolean;
  telemetry?: Telemetry;
}

export interface RowAccount {
  read: number;
  passed: number;
  skipped: number;
  skippedByReason: Partial<Record<BadRowReason, number>>;
}

/**
 * The bad-row policy of one source or transform, and its books: rows read = passed + skipped,
 * always. `reject` throws a BadInputError under `fail`; under `skip` it counts the row by reason,
 * writes it to the dead-letter file and emits a `skipped` event.
 */
export class BadRows {
  readonly policy: BadRowPolicy;
  read = 0;
  skipped = 0;
  readonly byReason: Partial<Record<BadRowReason, number>> = {};
  private readonly deadLetter: DeadLetter | null;
  private readonly telemetry: Telemetry;

  constructor(
    readonly source: string,
    options: BadRowOptions = {},
  ) {
    const policy = options.badRows ?? 'skip';
    if (policy !== 'skip' && policy !== 'fail') throw new SpecError('badRows', `expected one of skip|fail, got ${JSON.stringify(policy)}`);
    this.policy = policy;
    this.deadLetter = options.deadLetter ? new DeadLetter(options.deadLetter, options.deadLetterAppend === true) : null;
    this.telemetry = options.telemetry ?? Telemetry.global;
  }

  get passed(): number {
    return this.read - this.skipped;
  }

  /** Rejects one row (already counted in `read`). */
  reject(reason: BadRowReason, location: Omit<BadInputLocation, 'source'>, detail: string, raw: string): void {
    if (this.policy === 'fail') throw new BadInputError(reason, { source: this.source, ...location }, detail);
    this.skipped++;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    this.deadLetter?.write(
      location.line,
      reason,
      location.field ?? (location.column !== undefined ? String(location.column) : ''),
      location.value ?? '',
      detail,
      raw,
    );
    this.telemetry.emit({ type: 'skipped', source: this.source, reason, line: location.line, skipped: this.skipped, byReason: { ...this.byReason } });
  }

  account(): RowAccount {
    return { read: this.read, passed: this.passed, skipped: this.skipped, skippedByReason: { ...this.byReason } };
  }

  /** Writes out the dead-letter records held in memory (a checkpoint, a batch handed on). */
  flush(): void {
    this.deadLetter?.flush();
  }

  /** Emits the books as an `account` telemetry event. */
  publish(done: boolean): void {
    this.telemetry.emit({ type: 'account', source: this.source, ...this.account(), done });
  }

  /** Flushes and closes the dead-letter file. */
  close(): void {
    this.deadLetter?.close();
  }
}
