import type { BadRowPolicy, Telemetry } from '../../core/index.js';

/** Options every source takes. */
export interface SourceOptions {
  /** Batches in flight before the reader waits (default 4): the source's memory bound. */
  capacity?: number;
  /** Telemetry bus for progress, throughput, queue, skipped and account events (default `Telemetry.global`). */
  telemetry?: Telemetry;
  /** Bad-row policy: `skip` (default) counts, dead-letters and goes on; `fail` stops at the first bad row with file:line:column. */
  badRows?: BadRowPolicy;
  /** Dead-letter CSV (`line,reason,column,value,detail,raw`) for skipped rows; created on the first one. */
  deadLetter?: string;
}
