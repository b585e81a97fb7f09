/**
 * Why a row was skipped. Sources use the first six; transforms (validate) add the rest.
 * Names are stable: they key `skippedByReason` in reports and dead-letter files.
 */
export type BadRowReason =
  | 'field-count'
  | 'number'
  | 'date'
  | 'required'
  | 'utf8'
  | 'json'
  | 'type'
  | 'range'
  | 'category'
  | 'non-finite'
  | 'too-long'
  /** CSV: a field over maxFieldBytes (a quoted one is cut at the first newline after its quote: a stray quote costs one row). */
  | 'field-too-large'
  /** A missing, NaN or invalid label (not a class index, not a finite number): not learned. */
  | 'label'
  /** Dropped by `dedupe` as a repeat of a recent key. */
  | 'duplicate'
  /** Read, but not processed: the run stopped first (Ctrl-C, `q`, divergence). Not dead-lettered. */
  | 'stopped'
  /** Lost by a stage without a reason of its own (a bug): the books still balance and say where. */
  | 'unaccounted';
