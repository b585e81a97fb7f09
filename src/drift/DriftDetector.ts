import type { Stateful } from '../core/index.js';
import type { DriftDetectorKind } from './DRIFT_DETECTORS.js';
import type { DriftSignal } from './DriftSignal.js';

/** Serialized detector: its kind, resolved options, counters and statistics. */
export interface DriftDetectorState {
  kind: DriftDetectorKind;
  /** Every option, defaults filled in. */
  options: Record<string, number | boolean | string>;
  rows: number;
  drifts: number;
  warnings: number;
  signal: DriftSignal;
  [key: string]: unknown;
}

/**
 * A change detector fed one number per row: a 0/1 error (DDM, EDDM, HDDM-A/W), a loss or any
 * value (ADWIN, Page-Hinkley, KSWIN). `update` answers `none`, `warning` or `drift` for that row.
 * After a drift a detector has already adapted (dropped the old window or restarted its
 * statistics), so the next row is judged against the new concept. `toJSON` / the class's static
 * `fromJSON` (or `driftDetectorFromJSON`) restore a detector that continues exactly as the
 * original would.
 */
export interface DriftDetector extends Stateful<DriftDetectorState> {
  readonly kind: DriftDetectorKind;
  /** Rows fed since construction or `reset()`. */
  readonly rows: number;
  /** Drifts detected. */
  readonly drifts: number;
  /** Times the detector entered its warning zone (a run of warning rows counts once). */
  readonly warnings: number;
  /** The answer to the last row (`none` before any). */
  readonly signal: DriftSignal;
  /** The detector's running estimate of the input's mean since its last restart (NaN before any row). */
  readonly estimate: number;
  update(x: number): DriftSignal;
  /** Back to the state of a new detector with the same options (counters too). */
  reset(): void;
  toJSON(): DriftDetectorState;
}
