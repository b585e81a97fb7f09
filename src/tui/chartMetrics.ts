import { lowerIsBetter } from './lowerIsBetter.js';

// The order in which a metric is taken as "the" quality metric when several are reported.
const MAIN = ['accuracy', 'rocAuc', 'f1', 'balancedAccuracy', 'prAuc', 'kappa', 'precision', 'recall', 'r2'];
const LOSS = ['loss', 'logLoss', 'rmse', 'mse', 'mae', 'brier', 'mape'];

/**
 * Which metrics the two charts show: `loss` (a loss or error, when one is reported) and `main`
 * (the quality metric). Falls back to the first names reported so a chart never sits empty
 * while there is something to draw.
 */
export function chartMetrics(names: readonly string[]): { main: string | null; loss: string | null } {
  const has = new Set(names);
  const loss = LOSS.find((n) => has.has(n)) ?? names.find((n) => lowerIsBetter(n)) ?? null;
  const main = MAIN.find((n) => has.has(n)) ?? names.find((n) => n !== loss) ?? null;
  return { main, loss };
}
