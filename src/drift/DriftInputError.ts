import { SluiceError } from '../core/index.js';

/** A value a detector cannot take (NaN, or not 0/1 for an error-rate detector), with the detector and row. */
export class DriftInputError extends SluiceError {
  readonly detector: string;
  readonly row: number;
  readonly value: number;
  constructor(detector: string, row: number, value: number, expected: string) {
    super('DRIFT_INPUT', `${detector}: row ${row}: expected ${expected}, got ${value}`);
    this.detector = detector;
    this.row = row;
    this.value = value;
  }
}
