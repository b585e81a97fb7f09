/** Every metric configuration the invariant suites run over, with the data each one reads. */
import { type MakeMetricOptions, type Metric, makeMetric } from '../../src/metrics/index.js';
import { type Data, randomData } from './helpers.js';

export interface Config {
  label: string;
  make: () => Metric;
  data: (n: number, seed: number) => Data;
}

function config(name: string, options: MakeMetricOptions = {}, classes = 3): Config {
  const label = `${name}${Object.keys(options).length ? ` ${JSON.stringify(options)}` : ''}${classes !== 3 ? ` (${classes} classes)` : ''}`;
  return {
    label,
    make: () => makeMetric(name, options as Record<string, unknown>),
    data: (n, seed) => randomData(makeMetric(name, options as Record<string, unknown>).input, n, seed, classes),
  };
}

export const CONFIGS: Config[] = [
  config('accuracy'),
  config('balancedAccuracy'),
  config('kappa'),
  ...(['precision', 'recall', 'f1'] as const).flatMap((n) => (['binary', 'macro', 'micro', 'weighted'] as const).map((average) => config(n, { average }))),
  config('rocAuc'),
  config('rocAuc', { mode: 'streaming', bins: 512 }),
  config('prAuc'),
  config('prAuc', { mode: 'streaming', bins: 512 }),
  config('logLoss', {}, 2),
  config('logLoss'),
  config('brier', {}, 2),
  config('brier'),
  config('mae'),
  config('mse'),
  config('rmse'),
  config('r2'),
  config('mape'),
];
