import { SluiceError } from '../core/index.js';
import type { DriftDetectorKind } from './DRIFT_DETECTORS.js';
import type { DriftDetectorState } from './DriftDetector.js';
import type { DriftSignal } from './DriftSignal.js';

/** The counters every detector keeps, and their part of the saved state. */
export abstract class DetectorBase {
  abstract readonly kind: DriftDetectorKind;
  protected nRows = 0;
  protected nDrifts = 0;
  protected nWarnings = 0;
  protected last: DriftSignal = 'none';

  get rows(): number {
    return this.nRows;
  }
  get drifts(): number {
    return this.nDrifts;
  }
  get warnings(): number {
    return this.nWarnings;
  }
  get signal(): DriftSignal {
    return this.last;
  }

  /** Counts and remembers a row's answer. */
  protected emit(s: DriftSignal): DriftSignal {
    if (s === 'drift') this.nDrifts++;
    else if (s === 'warning' && this.last !== 'warning') this.nWarnings++;
    this.last = s;
    return s;
  }

  protected resetCounters(): void {
    this.nRows = 0;
    this.nDrifts = 0;
    this.nWarnings = 0;
    this.last = 'none';
  }

  protected counters(): Pick<DriftDetectorState, 'rows' | 'drifts' | 'warnings' | 'signal'> {
    return { rows: this.nRows, drifts: this.nDrifts, warnings: this.nWarnings, signal: this.last };
  }

  /** Refuses a saved state of another kind, before its options are read as this kind's. */
  static checkKind(state: DriftDetectorState, kind: DriftDetectorKind): void {
    if (state?.kind !== kind) throw new SluiceError('DRIFT_STATE', `${kind}.fromJSON: expected a state of kind "${kind}", got ${JSON.stringify(state?.kind)}`);
  }

  /** Puts back the counters of a saved state. */
  protected restoreCounters(state: DriftDetectorState): void {
    DetectorBase.checkKind(state, this.kind);
    this.nRows = state.rows;
    this.nDrifts = state.drifts;
    this.nWarnings = state.warnings;
    this.last = state.signal;
  }
}
