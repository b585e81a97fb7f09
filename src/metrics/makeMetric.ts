import { SpecError } from '../core/index.js';
import { Accuracy } from './Accuracy.js';
import type { Average } from './averageScore.js';
import { BalancedAccuracy } from './BalancedAccuracy.js';
import { Brier } from './Brier.js';
import { ConfusionMatrix } from './ConfusionMatrix.js';
import { F1 } from './F1.js';
import { Kappa } from './Kappa.js';
import { LogLoss } from './LogLoss.js';
import { Mae } from './Mae.js';
import { Mape } from './Mape.js';
import { METRIC_NAMES, type MetricName } from './METRIC_NAMES.js';
import type { Metric } from './Metric.js';
import { Mse } from './Mse.js';
import { PrAuc } from './PrAuc.js';
import { Precision } from './Precision.js';
import { R2 } from './R2.js';
import { Recall } from './Recall.js';
import { Rmse } from './Rmse.js';
import { RocAuc } from './RocAuc.js';
import { Rolling } from './Rolling.js';
import { suggest } from './suggest.js';

/** Options any metric accepts through `makeMetric`; each metric reads only its own. */
export interface MakeMetricOptions {
  /** Wrap the metric in a rolling window of this many rows. */
  window?: number;
  /** precision, recall, f1: `binary` (default), `macro`, `micro` or `weighted`. */
  average?: Average;
  /** precision, recall, f1, rocAuc, prAuc: the positive class; default 1. */
  positive?: number;
  /** rocAuc, prAuc: `exact` (default) or `streaming`. */
  mode?: 'exact' | 'streaming';
  /** rocAuc, prAuc in streaming mode: score bins; default 4096. */
  bins?: number;
}

const AVERAGES: readonly Average[] = ['binary', 'macro', 'micro', 'weighted'];

/** Common names people type for a metric, normalized (lower case, letters and digits only). */
const ALIASES: Record<string, MetricName> = {
  auc: 'rocAuc',
  auroc: 'rocAuc',
  ap: 'prAuc',
  averageprecision: 'prAuc',
  auprc: 'prAuc',
  crossentropy: 'logLoss',
  bce: 'logLoss',
  cohenkappa: 'kappa',
  cohenskappa: 'kappa',
  fmeasure: 'f1',
  fscore: 'f1',
  sensitivity: 'recall',
  tpr: 'recall',
  ppv: 'precision',
  rsquared: 'r2',
  meanabsoluteerror: 'mae',
  meansquarederror: 'mse',
  rootmeansquarederror: 'rmse',
  meanabsolutepercentageerror: 'mape',
};

const OPTIONS: Record<MetricName, readonly string[]> = {
  accuracy: [],
  balancedAccuracy: [],
  kappa: [],
  logLoss: [],
  brier: [],
  mae: [],
  mse: [],
  rmse: [],
  r2: [],
  mape: [],
  precision: ['average', 'positive'],
  recall: ['average', 'positive'],
  f1: ['average', 'positive'],
  rocAuc: ['mode', 'bins', 'positive'],
  prAuc: ['mode', 'bins', 'positive'],
};

/**
 * Builds a metric by its name (see METRIC_NAMES), checking the name and options. Errors are
 * SpecErrors at `path` (`metrics[2]: unknown metric "acc", did you mean "accuracy"?`,
 * `metrics[2].average: ...`); unknown options are errors, so a typo never falls back to a default.
 */
export function makeMetric(name: string, options: MakeMetricOptions | Record<string, unknown> = {}, path = 'metric'): Metric {
  if (typeof name !== 'string' || !(METRIC_NAMES as readonly string[]).includes(name)) {
    const hint = typeof name === 'string' ? suggest(name, METRIC_NAMES, ALIASES) : undefined;
    throw new SpecError(path, `unknown metric ${JSON.stringify(name)}${hint ? `, did you mean "${hint}"?` : `; expected one of ${METRIC_NAMES.join(', ')}`}`);
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new SpecError(path, `options of ${name} must be an object, got ${JSON.stringify(options)}`);
  }
  const m = name as MetricName;
  const allowed = [...OPTIONS[m], 'window'];
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (o[key] === undefined || allowed.includes(key)) continue;
    const hint = suggest(key, allowed);
    throw new SpecError(`${path}.${key}`, `${name} has no option "${key}"${hint ? `, did you mean "${hint}"?` : `; it takes ${allowed.join(', ')}`}`);
  }
  const positive = int(o, 'positive', 1, 0, ConfusionMatrix.MAX_CLASSES - 1, path);
  const window = o.window === undefined ? undefined : int(o, 'window', 0, 1, 2 ** 31 - 1, path);
  let metric: Metric;
  switch (m) {
    case 'accuracy':
      metric = new Accuracy();
      break;
    case 'balancedAccuracy':
      metric = new BalancedAccuracy();
      break;
    case 'kappa':
      metric = new Kappa();
      break;
    case 'precision':
      metric = new Precision({ average: average(o, path), positive });
      break;
    case 'recall':
      metric = new Recall({ average: average(o, path), positive });
      break;
    case 'f1':
      metric = new F1({ average: average(o, path), positive });
      break;
    case 'rocAuc':
      metric = new RocAuc({ ...scoreOptions(o, path), positive });
      break;
    case 'prAuc':
      metric = new PrAuc({ ...scoreOptions(o, path), positive });
      break;
    case 'logLoss':
      metric = new LogLoss();
      break;
    case 'brier':
      metric = new Brier();
      break;
    case 'mae':
      metric = new Mae();
      break;
    case 'mse':
      metric = new Mse();
      break;
    case 'rmse':
      metric = new Rmse();
      break;
    case 'r2':
      metric = new R2();
      break;
    case 'mape':
      metric = new Mape();
      break;
  }
  return window === undefined ? metric : new Rolling(metric, window);
}

function int(o: Record<string, unknown>, key: string, def: number, min: number, max: number, path: string): number {
  const v = o[key];
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new SpecError(`${path}.${key}`, `expected an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function oneOf<T extends string>(o: Record<string, unknown>, key: string, values: readonly T[], def: T, path: string): T {
  const v = o[key];
  if (v === undefined) return def;
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
  const hint = typeof v === 'string' ? suggest(v, values) : undefined;
  throw new SpecError(`${path}.${key}`, `expected one of ${values.join(', ')}, got ${JSON.stringify(v)}${hint ? `; did you mean "${hint}"?` : ''}`);
}

function average(o: Record<string, unknown>, path: string): Average {
  return oneOf(o, 'average', AVERAGES, 'binary', path);
}

function scoreOptions(o: Record<string, unknown>, path: string): { mode: 'exact' | 'streaming'; bins: number } {
  const mode = oneOf(o, 'mode', ['exact', 'streaming'] as const, 'exact', path);
  // 2 bins is the least that ranks anything; 2^20 bins (16 MiB) is past any useful precision.
  const bins = int(o, 'bins', 4096, 2, 2 ** 20, path);
  if (o.bins !== undefined && mode !== 'streaming') throw new SpecError(`${path}.bins`, 'bins only applies to mode "streaming"');
  return { mode, bins };
}
