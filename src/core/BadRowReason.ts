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
  | 'too-long';
