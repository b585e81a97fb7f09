import type { AdaptationCounts } from './AdaptiveModel.js';
import type { DriftMonitor } from './DriftMonitor.js';

/** Drift in a run's report: the detector's alarms and what the policy did about them. */
export interface DriftReport extends AdaptationCounts {
  detector: string;
  warnings: number;
  drifts: number;
  /** Changes where the error fell (two-sided detectors), not acted on. */
  falls: number;
  /** Stream rows (0-based) of the first 100 drifts. */
  driftRows: number[];
}

/** The report of a monitor and the counts of its adaptive model. */
export function driftReport(monitor: DriftMonitor, counts: AdaptationCounts): DriftReport {
  return {
    detector: monitor.detector.kind,
    warnings: monitor.warnings,
    drifts: monitor.drifts,
    falls: monitor.falls,
    driftRows: [...monitor.driftRows],
    ...counts,
  };
}
