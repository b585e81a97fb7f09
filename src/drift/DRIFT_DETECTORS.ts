/** The detector kinds, as spec files, `makeDriftDetector` and saved states name them. */
export const DRIFT_DETECTORS = ['adwin', 'pageHinkley', 'ddm', 'eddm', 'hddmA', 'hddmW', 'kswin'] as const;

export type DriftDetectorKind = (typeof DRIFT_DETECTORS)[number];
