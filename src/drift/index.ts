/**
 * Drift detection: detectors such as ADWIN, Page-Hinkley and DDM as plain stateful objects fed one
 * number per row (a model's 0/1 error, its loss, or a feature's value), each answering none,
 * warning or drift, with serializable state. No RxJS: an operator in operators/ wraps them, their
 * alarms travel as telemetry events, and the policies that act on them (alert, reset, swap) sit
 * on top.
 */
export { ADWIN, type ADWINOptions, type ADWINState } from './ADWIN.js';
export { type AdaptationCounts, AdaptiveModel } from './AdaptiveModel.js';
export { type ColumnDrift, type ColumnDriftOptions, columnDrift, type DriftMeasure, type DriftVerdict } from './columnDrift.js';
export { DATA_DRIFT_THRESHOLDS } from './DATA_DRIFT_THRESHOLDS.js';
export { type DataDriftAlert, DataDriftMonitor, type DataDriftMonitorOptions, type DataDriftMonitorState } from './DataDriftMonitor.js';
export { DDM, type DDMOptions, type DDMState } from './DDM.js';
export { DRIFT_DETECTORS, type DriftDetectorKind } from './DRIFT_DETECTORS.js';
export { DRIFT_POLICIES, type DriftPolicy } from './DRIFT_POLICIES.js';
export { DriftAdapter, type DriftAdapterOptions } from './DriftAdapter.js';
export type { DriftDetector, DriftDetectorState } from './DriftDetector.js';
export { DriftInputError } from './DriftInputError.js';
export { type DriftAlarmListener, DriftMonitor, type DriftMonitorOptions } from './DriftMonitor.js';
export { type DriftReport, driftReport } from './DriftReport.js';
export type { DriftSignal } from './DriftSignal.js';
export { type DataDriftReport, dataDrift } from './dataDrift.js';
export { driftDetectorFromJSON } from './driftDetectorFromJSON.js';
export { EDDM, type EDDMOptions, type EDDMState } from './EDDM.js';
export { HDDMA, type HDDMAOptions, type HDDMAState } from './HDDMA.js';
export { HDDMW, type HDDMWOptions, type HDDMWState } from './HDDMW.js';
export { type HomogeneityTest, homogeneityTest } from './homogeneityTest.js';
export { jensenShannonDivergence } from './jensenShannonDivergence.js';
export { KSWIN, type KSWINOptions, type KSWINState } from './KSWIN.js';
export { ksCriticalValue } from './ksCriticalValue.js';
export { type KSEstimate, ksStatistic } from './ksStatistic.js';
export { type DriftDetectorOptions, makeDriftDetector } from './makeDriftDetector.js';
export { PageHinkley, type PageHinkleyMode, type PageHinkleyOptions, type PageHinkleyState } from './PageHinkley.js';
export { PSI_FLOOR, populationStabilityIndex } from './populationStabilityIndex.js';
export { DRIFT_DETECTOR_NAMES, type DriftDetectorSpec, type DriftSpec, type ResolvedDriftSpec, readDriftSpec } from './readDriftSpec.js';
