// Losses and errors: smaller is better. Every other metric name (accuracy, AUC, F1, kappa, R²)
// grows with quality.
const LOWER = new Set(['loss', 'logLoss', 'brier', 'mae', 'mse', 'rmse', 'mape', 'error', 'errorRate']);

/** Whether a smaller value of the metric `name` is better. */
export function lowerIsBetter(name: string): boolean {
  return LOWER.has(name) || /loss$/i.test(name);
}
