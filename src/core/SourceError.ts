import { SluiceError } from './SluiceError.js';

/** A source that cannot be opened or read: missing file, refused connection, port in use. */
export class SourceError extends SluiceError {
  readonly source: string;
  constructor(source: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'SOURCE', `${source}: ${message}`, options);
    this.source = source;
  }
}
