/**
 * Drift detection and adaptation (to come): detectors such as ADWIN, Page-Hinkley and DDM as plain
 * stateful objects with update methods and serializable state, fed a model's errors or a feature's
 * values, and the policies that act on their alarms (alert, retrain, roll back). No RxJS: an
 * operator in operators/ wraps them, and their alarms travel as telemetry events.
 */
export {};
