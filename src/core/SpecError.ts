import { SluiceError } from './SluiceError.js';

/** A bad option or spec value, named by its key path (`steps[2].impute.strategy`). */
export class SpecError extends SluiceError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('SPEC', `${path}: ${message}`);
    this.path = path;
  }
}
