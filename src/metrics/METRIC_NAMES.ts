/**
 * The metric names that specs, telemetry `metrics` events, the dashboard and `--json` reports
 * use. One name per metric; options (averaging, AUC mode) do not change the name.
 */
export const METRIC_NAMES = [
  'accuracy',
  'balancedAccuracy',
  'precision',
  'recall',
  'f1',
  'kappa',
  'rocAuc',
  'prAuc',
  'logLoss',
  'brier',
  'mae',
  'mse',
  'rmse',
  'r2',
  'mape',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];
