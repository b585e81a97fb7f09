import { BadInputError, type BadRowReason, type BadRows, type Batch } from '../core/index.js';

/** One bad row found by a transform. */
export interface RowReject {
  row: number;
  reason: BadRowReason;
  field: string;
  value: string;
  detail: string;
}

/**
 * Applies the bad-row policy of a transform to the rows it found bad in `batch`, and keeps the
 * books (read += batch.length). With no BadRows the first bad row throws BadInputError at its
 * source line and column; under `fail` BadRows throws; under `skip` the rows are counted,
 * dead-lettered and dropped. A row with several faults is rejected once, for its first one.
 */
export function rejectRows(batch: Batch, rejects: readonly RowReject[], badRows: BadRows | null, source: string): Batch {
  if (badRows) badRows.read += batch.length;
  if (rejects.length === 0) return batch;
  const sorted = rejects.slice().sort((a, b) => a.row - b.row);
  const keep = new Uint8Array(batch.length).fill(1);
  for (const r of sorted) {
    if (!keep[r.row]) continue;
    keep[r.row] = 0;
    const location = { line: batch.lines?.[r.row] ?? 0, column: batch.schema.indexOf(r.field) + 1, field: r.field, value: r.value };
    if (!badRows) throw new BadInputError(r.reason, { source, ...location }, r.detail);
    badRows.reject(r.reason, location, r.detail, rawRow(batch, r.row));
  }
  return batch.filter(keep);
}

/** The row as JSON for the dead-letter file (slow path: bad rows only). */
function rawRow(batch: Batch, i: number): string {
  const o: Record<string, unknown> = {};
  for (const name of batch.names) {
    const v = batch.value(name, i);
    o[name] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  }
  return JSON.stringify(o);
}
