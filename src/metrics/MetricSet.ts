import { SluiceError, SpecError } from '../core/index.js';
import { type BinarySums, ConfusionMatrix } from './ConfusionMatrix.js';
import { ConfusionMetric } from './ConfusionMetric.js';
import type { Metric, MetricInput, MetricState } from './Metric.js';
import { makeMetric } from './makeMetric.js';
import { metricFromJSON } from './metricFromJSON.js';
import { Rolling } from './Rolling.js';

/** A metric in a set: its name, or `{ name, as?, ...options }` (`as` keys it, for two f1s). */
export type MetricSpec = string | ({ name: string; as?: string } & Record<string, unknown>);

export interface MetricSetOptions {
  /** Also keep every metric over the last `rolling` rows (reported by `rollingValues`). */
  rolling?: number;
  /** Score at or above which a binary score becomes label 1 when no labels are given; default 0.5. */
  threshold?: number;
  /** Key path for spec errors; default `metrics`. */
  path?: string;
}

/**
 * One batch's predictions in whatever forms the model has; each metric takes the form it needs
 * (see MetricInput), derived when missing: labels from a probability matrix (argmax) or from
 * binary scores (≥ threshold → 1), scores from a probability matrix (the positive class's
 * column), binary probabilities from scores.
 */
export interface Predictions {
  labels?: ArrayLike<number>;
  scores?: ArrayLike<number>;
  /** Row-major rows×classes, or one positive-class probability per row. */
  probabilities?: ArrayLike<number>;
  values?: ArrayLike<number>;
}

export interface MetricSetState {
  keys: string[];
  threshold: number;
  metrics: MetricState[];
  rolling: MetricState[] | null;
}

/**
 * Several metrics updated together from one batch, read as `{ key: value }` — what the
 * telemetry `metrics` event carries in `values` (and `rolling`).
 */
export class MetricSet {
  readonly keys: readonly string[];
  readonly threshold: number;
  private readonly metrics: Metric[];
  private readonly windows: Rolling[] | null;

  constructor(specs: readonly MetricSpec[], options: MetricSetOptions = {}) {
    const path = options.path ?? 'metrics';
    if (!Array.isArray(specs) || specs.length === 0) throw new SpecError(path, 'expected a non-empty list of metric names');
    const threshold = options.threshold ?? 0.5;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold))
      throw new SpecError(`${path}.threshold`, `expected a number, got ${JSON.stringify(threshold)}`);
    const rolling = options.rolling;
    if (rolling !== undefined && (!Number.isInteger(rolling) || rolling < 1))
      throw new SpecError(`${path}.rolling`, `expected an integer ≥ 1, got ${JSON.stringify(rolling)}`);
    const keys: string[] = [];
    this.metrics = specs.map((spec, i) => {
      const at = `${path}[${i}]`;
      let metric: Metric, key: string;
      if (typeof spec === 'string') {
        metric = makeMetric(spec, {}, at);
        key = spec;
      } else if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
        const { name, as, ...opts } = spec;
        metric = makeMetric(name, opts, at);
        if (as !== undefined && (typeof as !== 'string' || as === '')) throw new SpecError(`${at}.as`, `expected a non-empty name, got ${JSON.stringify(as)}`);
        key = as ?? name;
      } else {
        throw new SpecError(at, `expected a metric name or { name, ...options }, got ${JSON.stringify(spec)}`);
      }
      if (keys.includes(key)) throw new SpecError(at, `duplicate metric "${key}"; give one of them another key with "as"`);
      keys.push(key);
      return metric;
    });
    this.keys = keys;
    this.threshold = threshold;
    this.windows =
      rolling === undefined
        ? null
        : specs.map((spec, i) => {
            const at = `${path}[${i}]`;
            const fresh = typeof spec === 'string' ? makeMetric(spec, {}, at) : makeMetric(spec.name, omit(spec), at);
            return new Rolling(fresh, rolling);
          });
  }

  /** The metric under `key` (over the whole stream). */
  get(key: string): Metric {
    const i = this.keys.indexOf(key);
    if (i < 0) throw new SluiceError('METRIC', `metric set has no "${key}"; it has ${this.keys.join(', ')}`);
    return this.metrics[i]!;
  }

  /** The rolling window under `key`, or undefined without `rolling`. */
  getRolling(key: string): Rolling | undefined {
    this.get(key);
    return this.windows?.[this.keys.indexOf(key)];
  }

  update(yTrue: ArrayLike<number>, predictions: Predictions, weights?: ArrayLike<number>): void {
    const cache = new Map<string, ArrayLike<number>>();
    // Every metric's input first, so a missing prediction form fails before any metric moves.
    const preds = this.metrics.map((m, i) => this.predictionsFor(m, this.keys[i]!, yTrue.length, predictions, cache));
    // Unweighted confusion metrics of the same labels (accuracy, precision, recall, f1) share one scan of them.
    let sumsOf: ArrayLike<number> | null = null,
      sums: BinarySums | null = null;
    for (let i = 0; i < this.metrics.length; i++) {
      const m = this.metrics[i]!;
      if (weights === undefined && m instanceof ConfusionMetric) {
        if (sumsOf !== preds[i]) {
          sumsOf = preds[i]!;
          sums = yTrue.length === sumsOf.length ? ConfusionMatrix.binarySums(yTrue, sumsOf) : null;
        }
        m.updateWithSums(yTrue, preds[i]!, sums);
      } else m.update(yTrue, preds[i]!, weights);
      if (this.windows) this.windows[i]!.update(yTrue, preds[i]!, weights);
    }
  }

  /** `{ key: value }` over the whole stream. */
  values(): Record<string, number> {
    return Object.fromEntries(this.keys.map((k, i) => [k, this.metrics[i]!.value]));
  }

  /** `{ key: value }` over the rolling window, or undefined without `rolling`. */
  rollingValues(): Record<string, number> | undefined {
    return this.windows ? Object.fromEntries(this.keys.map((k, i) => [k, this.windows![i]!.value])) : undefined;
  }

  reset(): void {
    for (const m of this.metrics) m.reset();
    for (const w of this.windows ?? []) w.reset();
  }

  toJSON(): MetricSetState {
    return {
      keys: [...this.keys],
      threshold: this.threshold,
      metrics: this.metrics.map((m) => m.toJSON()),
      rolling: this.windows?.map((w) => w.toJSON()) ?? null,
    };
  }

  static fromJSON(state: MetricSetState): MetricSet {
    const set = Object.create(MetricSet.prototype) as MetricSet;
    const w = set as unknown as { keys: string[]; threshold: number; metrics: Metric[]; windows: Rolling[] | null };
    w.keys = [...state.keys];
    w.threshold = state.threshold;
    w.metrics = state.metrics.map(metricFromJSON);
    w.windows = state.rolling?.map((s) => metricFromJSON(s) as Rolling) ?? null;
    return set;
  }

  private predictionsFor(m: Metric, key: string, rows: number, p: Predictions, cache: Map<string, ArrayLike<number>>): ArrayLike<number> {
    const need: MetricInput = m.input;
    const missing = (what: string) =>
      new SluiceError(
        'METRIC',
        `metrics.update: ${key} needs ${what}, and the predictions have ${
          Object.keys(p)
            .filter((k) => p[k as keyof Predictions])
            .join(', ') || 'nothing'
        }`,
      );
    if (need === 'values') {
      if (!p.values) throw missing('values');
      return p.values;
    }
    if (need === 'probabilities') {
      const v = p.probabilities ?? p.scores;
      if (!v) throw missing('probabilities or scores');
      return v;
    }
    if (need === 'labels') {
      if (p.labels) return p.labels;
      const cached = cache.get('labels');
      if (cached) return cached;
      const src = p.probabilities ?? p.scores;
      if (!src) throw missing('labels, probabilities or scores');
      const labels = toLabels(src, rows, this.threshold);
      cache.set('labels', labels);
      return labels;
    }
    // scores: the positive class's probability.
    if (p.scores) return p.scores;
    const positive = (m instanceof Rolling ? m.metric : m) as Metric & { positive?: number };
    const cls = positive.positive ?? 1;
    const cached = cache.get(`scores${cls}`);
    if (cached) return cached;
    if (!p.probabilities) throw missing('scores or probabilities');
    const width = rows > 0 ? p.probabilities.length / rows : 1;
    if (width === 1 && cls === 1) return p.probabilities;
    if (!Number.isInteger(width) || cls >= width)
      throw new SluiceError('METRIC', `metrics.update: ${key} needs the probability of class ${cls}, and the probabilities have ${width} per row`);
    const scores = new Float64Array(rows);
    for (let r = 0; r < rows; r++) scores[r] = p.probabilities[r * width + cls]!;
    cache.set(`scores${cls}`, scores);
    return scores;
  }
}

function omit(spec: { name: string; as?: string } & Record<string, unknown>): Record<string, unknown> {
  const { name: _name, as: _as, ...opts } = spec;
  return opts;
}

/** Argmax of each row of a probability matrix, or threshold of one binary score per row. */
function toLabels(src: ArrayLike<number>, rows: number, threshold: number): Int32Array {
  const out = new Int32Array(rows);
  const width = rows > 0 ? src.length / rows : 1;
  if (width === 1) {
    // +(a >= b) compiles without a branch; `? 1 : 0` mispredicted on every other uncertain score.
    for (let r = 0; r < rows; r++) out[r] = +(src[r]! >= threshold);
    return out;
  }
  if (!Number.isInteger(width)) throw new SluiceError('METRIC', `metrics.update: ${src.length} probabilities for ${rows} rows`);
  for (let r = 0; r < rows; r++) {
    let best = 0,
      bestP = -Infinity;
    for (let c = 0, o = r * width; c < width; c++)
      if (src[o + c]! > bestP) {
        bestP = src[o + c]!;
        best = c;
      }
    out[r] = best;
  }
  return out;
}
