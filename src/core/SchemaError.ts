import { SluiceError } from './SluiceError.js';

/** A schema that cannot be built or used: unknown column, duplicate name, unsupported type. */
export class SchemaError extends SluiceError {
  readonly column: string | undefined;
  constructor(message: string, column?: string) {
    super('SCHEMA', column !== undefined ? `column "${column}": ${message}` : message);
    this.column = column;
  }
}
