import { SluiceError } from '../core/index.js';
import { Accuracy } from './Accuracy.js';
import { BalancedAccuracy } from './BalancedAccuracy.js';
import { Brier } from './Brier.js';
import { F1 } from './F1.js';
import { Kappa } from './Kappa.js';
import { LogLoss } from './LogLoss.js';
import { Mae } from './Mae.js';
import { Mape } from './Mape.js';
import type { MetricName } from './METRIC_NAMES.js';
import type { Metric, MetricState } from './Metric.js';
import { Mse } from './Mse.js';
import { PrAuc } from './PrAuc.js';
import { Precision } from './Precision.js';
import { R2 } from './R2.js';
import { Recall } from './Recall.js';
import { Rmse } from './Rmse.js';
import { RocAuc } from './RocAuc.js';
import { Rolling, type RollingState } from './Rolling.js';

const RESTORE: Record<MetricName, (state: MetricState) => Metric> = {
  accuracy: Accuracy.fromJSON,
  balancedAccuracy: BalancedAccuracy.fromJSON,
  precision: Precision.fromJSON,
  recall: Recall.fromJSON,
  f1: F1.fromJSON,
  kappa: Kappa.fromJSON,
  rocAuc: RocAuc.fromJSON,
  prAuc: PrAuc.fromJSON,
  logLoss: LogLoss.fromJSON,
  brier: Brier.fromJSON,
  mae: Mae.fromJSON,
  mse: Mse.fromJSON,
  rmse: Rmse.fromJSON,
  r2: R2.fromJSON,
  mape: Mape.fromJSON,
};

/** Rebuilds any metric (or rolling window) from its `toJSON()`. */
export function metricFromJSON(state: MetricState): Metric {
  if (state.type === 'rolling') {
    const s = state as RollingState;
    return Rolling.fromJSON(s, metricFromJSON(s.inner));
  }
  const restore = Object.hasOwn(RESTORE, state.type) ? RESTORE[state.type as MetricName] : undefined;
  if (!restore) throw new SluiceError('METRIC', `metricFromJSON: unknown metric type "${state.type}"`);
  return restore(state);
}
