import type { BadRowReason } from './BadRowReason.js';
import { SluiceError } from './SluiceError.js';

export interface BadInputLocation {
  /** File path, `-` for stdin, or a socket address. */
  source: string;
  /** 1-based physical line where the row starts (0 when not line-oriented). */
  line: number;
  /** 1-based column (field index for CSV, character for JSON) when known. */
  column?: number;
  /** Column name when known. */
  field?: string;
  /** The offending value, truncated for display. */
  value?: string;
}

/** A row that breaks the schema or the format, raised under the `fail` bad-row policy. */
export class BadInputError extends SluiceError {
  readonly reason: BadRowReason;
  readonly location: BadInputLocation;
  constructor(reason: BadRowReason, location: BadInputLocation, detail: string) {
    // `file:line:column: column "name" value "v": reason: detail`; parts not known are left out with their separators.
    const where = `${location.source}:${location.line}${location.column !== undefined ? `:${location.column}` : ''}`;
    const what = [
      ...(location.field !== undefined ? [`column ${JSON.stringify(location.field)}`] : []),
      ...(location.value !== undefined ? [`value ${JSON.stringify(truncate(location.value))}`] : []),
    ].join(' ');
    super('BAD_INPUT', `${where}${what ? `: ${what}` : ''}: ${reason}: ${detail}`);
    this.reason = reason;
    this.location = location;
  }
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
