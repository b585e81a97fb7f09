import { type FeatureMatrix, Rng, SchemaError, SpecError } from '../core/index.js';
import { labeledRows, predictionsOf, takeRows } from '../evaluate/index.js';
import { createModel, type Model, type ModelOptions, resolveModelOptions, type Task } from '../learn/index.js';
import { MetricSet, makeMetric } from '../metrics/index.js';
import { defaultSearchSpace } from './defaultSearchSpace.js';
import { resolveSearchSpace, type SearchSpace } from './resolveSearchSpace.js';
import { type Candidate, sampleCandidates } from './sampleCandidates.js';

export interface OfflineSearchOptions {
  /** What every candidate shares: kind, task, classes, seed, backend... The space's values go on top. */
  base: ModelOptions;
  /** What to search (default: defaultSearchSpace for the task and `base.kind`). */
  space?: SearchSpace;
  /** `random`: every candidate on all folds and rows; `halving` (default): successive halving on training rows. */
  method?: 'random' | 'halving';
  /** Configurations drawn from the space (default 16). */
  candidates?: number;
  /** k of k-fold cross-validation (default 5). */
  folds?: number;
  /** Passes over each training fold set (default 1). */
  epochs?: number;
  /** Scored on the held-out fold (default: rocAuc binary, accuracy multiclass, r2 regression). */
  metric?: string;
  /** Halving: each round keeps the best 1/factor of the field and gives it factor times the rows (default 3). */
  factor?: number;
  /** Seeds the candidate draw, the fold shuffle and halving's row subsets (default 1); models take `base.seed`. */
  seed?: number;
  /** Folds from a seeded shuffle, learned in that order (default false: contiguous blocks, learned in data order). */
  shuffle?: boolean;
  /** Also train the winner on every labeled row (its epochs, in the folds' order) and return it as `model`. */
  refit?: boolean;
  /** After each fold's fit: fits done, fits in all, and what was fitted. */
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface OfflineSearchEntry {
  id: number;
  label: string;
  config: Record<string, unknown>;
  /** Mean over the folds of the metric in the candidate's last round (folds whose metric is NaN left out). */
  mean: number;
  /** Population standard deviation of those fold scores (as scikit-learn's std_test_score). */
  std: number;
  /** The metric on each held-out fold, last round. */
  folds: number[];
  /** Rounds the candidate was evaluated in (1 for random search). */
  rounds: number;
  /** Training rows its fold models learned in its last round, all folds together (one epoch). */
  rows: number;
  /** Rows learned over all its rounds, folds and epochs: the work it cost. */
  cost: number;
}

export interface OfflineSearchResult {
  method: 'random' | 'halving';
  folds: number;
  metric: string;
  better: 'higher' | 'lower';
  /** Labeled rows searched over. */
  rows: number;
  /** Halving's schedule (one round for random): training rows per fold set (all folds together) and candidates. */
  schedule: Array<{ rows: number; candidates: number }>;
  best: Omit<OfflineSearchEntry, 'folds' | 'rounds' | 'rows' | 'cost'>;
  /** Best first: candidates of later rounds before those dropped earlier, then by mean, then by id. */
  leaderboard: OfflineSearchEntry[];
  /** Rows learned by every fit together (Σ cost). */
  cost: number;
  elapsedSeconds: number;
  /** With `refit`: the winner trained on every labeled row. */
  model?: Model;
}

const KEYS = ['base', 'space', 'method', 'candidates', 'folds', 'epochs', 'metric', 'factor', 'seed', 'shuffle', 'refit', 'onProgress'];
const HEADLINE: Record<Task, string> = { binary: 'rocAuc', multiclass: 'accuracy', regression: 'r2' };
/** Errors and losses: smaller is better. Every other metric name grows with quality. */
const LOWER = new Set(['logLoss', 'brier', 'mae', 'mse', 'rmse', 'mape']);
/**
 * Halving's first round gets at least this many training rows per fold: fewer rank nothing (one
 * default mini-batch), so a small data set plays fewer rounds with more candidates in the last.
 */
const MIN_ROUND_ROWS = 32;
/** Rows per learn/predict call: bounds the copies a call makes; rounded up to whole mini-batches. */
const CHUNK = 8192;
/** Mixed into the seed so halving's row subsets are independent of the fold shuffle. */
const SUBSET_SALT = 0x2545f491;

interface Fold {
  /** Training rows of the labeled matrix, in learning order. */
  train: Int32Array;
  /** Positions into `train` in the order halving's subsets take them. */
  pick: Int32Array;
  test: FeatureMatrix;
}

interface Lane {
  c: Candidate;
  options: ModelOptions;
  folds: number[];
  mean: number;
  std: number;
  rounds: number;
  rows: number;
  cost: number;
}

/**
 * Offline hyperparameter search by k-fold cross-validation, the finite-data counterpart of
 * RaceModel (scikit-learn's RandomizedSearchCV and HalvingRandomSearchCV). Candidates are drawn
 * from the space as a race draws them; for each fold a fresh model per candidate learns the other
 * folds' labeled rows (`epochs` passes) and is scored on the held-out fold only (predict, never
 * learn). Random search fits every candidate on all rows. Halving's resource is training rows:
 * round r of R+1 learns a seeded subset of n·η^(r−R) of each training fold set (the same subset for
 * every candidate), keeps the best ceil(1/η) of the field, and the last round learns all rows;
 * R = floor(log_η candidates), fewer when the first round would get under 32 rows per fold.
 * The held-out folds are always whole, so every round's scores are comparable.
 */
export async function searchOffline(x: FeatureMatrix, options: OfflineSearchOptions): Promise<OfflineSearchResult> {
  const started = performance.now();
  const o = check(options);
  const data = x.targets ? labeledRows(x) : null;
  if (!data)
    throw new SchemaError(x.targets ? 'searchOffline: every target is missing (NaN): no labeled rows' : 'searchOffline needs a FeatureMatrix with targets');
  const n = data.rows;
  if (o.folds > n) throw new SpecError('folds', `${o.folds} folds need at least ${o.folds} labeled rows; x has ${n}`);
  const task = resolveModelOptions(o.base).task;
  const metric = o.metric ?? HEADLINE[task];
  makeMetric(metric, {}, 'metric');
  const lower = LOWER.has(metric);

  const space = resolveSearchSpace(o.space ?? defaultSearchSpace(task, o.base.kind), 'space');
  const lanes: Lane[] = sampleCandidates(space, o.candidates, o.seed).map((c) => {
    if ('hashBits' in c.config || 'interactions' in c.config)
      throw new SpecError(`space[${c.family}]`, 'hashBits and interactions are not searched yet: give them as pipeline steps');
    return { c, options: { ...o.base, ...c.config } as ModelOptions, folds: [], mean: Number.NaN, std: Number.NaN, rounds: 0, rows: 0, cost: 0 };
  });

  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (o.shuffle) new Rng(o.seed).shuffle(order);
  const folds: Fold[] = [];
  const subsets = new Rng((o.seed ^ SUBSET_SALT) | 0);
  for (let f = 0; f < o.folds; f++) {
    const lo = Math.floor((f * n) / o.folds),
      hi = Math.floor(((f + 1) * n) / o.folds);
    const train = new Int32Array(n - (hi - lo));
    train.set(order.subarray(0, lo));
    train.set(order.subarray(hi), lo);
    const pick = subsets.shuffle(Int32Array.from({ length: train.length }, (_, i) => i));
    folds.push({ train, pick, test: takeRows(data, order.subarray(lo, hi)) });
  }

  // The schedule: candidates and rows-per-fold fraction of each round.
  const eta = o.factor;
  const smallest = Math.min(...folds.map((f) => f.train.length));
  let R = 0;
  if (o.method === 'halving') while (eta ** (R + 1) <= lanes.length && smallest / eta ** (R + 1) >= MIN_ROUND_ROWS) R++;
  const counts = [lanes.length];
  for (let r = 1; r <= R; r++) counts.push(Math.ceil(counts[r - 1]! / eta));
  const rowsOf = (f: Fold, r: number): number => (r === R ? f.train.length : Math.max(1, Math.ceil(f.train.length * eta ** (r - R))));
  const schedule = counts.map((c, r) => ({ rows: folds.reduce((s, f) => s + rowsOf(f, r), 0), candidates: c }));
  const total = counts.reduce((s, c) => s + c, 0) * o.folds + (o.refit ? 1 : 0);
  let done = 0;

  let field = lanes;
  for (let r = 0; r <= R; r++) {
    for (const l of field) l.folds = new Array(o.folds).fill(Number.NaN);
    for (let f = 0; f < o.folds; f++) {
      const fold = folds[f]!;
      const m = rowsOf(fold, r);
      // A subset keeps the fold's learning order: data order, or the shuffle's.
      const sub =
        m === fold.train.length
          ? fold.train
          : Int32Array.from(fold.pick.subarray(0, m))
              .sort()
              .map((p) => fold.train[p]!);
      const train = takeRows(data, sub);
      for (const l of field) {
        const model = await build(l, task);
        try {
          await fit(model, train, o.epochs);
          l.folds[f] = await score(model, fold.test, metric);
        } finally {
          await model.dispose();
        }
        l.cost += m * o.epochs;
        const where = R > 0 ? `round ${r + 1}/${R + 1} (${m} rows), ` : '';
        o.onProgress?.(++done, total, `${where}#${l.c.id} ${l.c.label}, fold ${f + 1}/${o.folds}`);
      }
    }
    for (const l of field) {
      const ok = l.folds.filter((v) => !Number.isNaN(v));
      l.mean = ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : Number.NaN;
      l.std = ok.length ? Math.sqrt(ok.reduce((a, b) => a + (b - l.mean) ** 2, 0) / ok.length) : Number.NaN;
      l.rounds = r + 1;
      l.rows = schedule[r]!.rows;
    }
    field = [...field].sort((a, b) => rank(a, b, lower)).slice(0, counts[r + 1] ?? field.length);
  }

  const board = [...lanes].sort((a, b) => b.rounds - a.rounds || rank(a, b, lower));
  const w = board[0]!;
  const result: OfflineSearchResult = {
    method: o.method,
    folds: o.folds,
    metric,
    better: lower ? 'lower' : 'higher',
    rows: n,
    schedule,
    best: { id: w.c.id, label: w.c.label, config: w.c.config, mean: w.mean, std: w.std },
    leaderboard: board.map((l) => ({
      id: l.c.id,
      label: l.c.label,
      config: l.c.config,
      mean: l.mean,
      std: l.std,
      folds: l.folds,
      rounds: l.rounds,
      rows: l.rows,
      cost: l.cost,
    })),
    cost: lanes.reduce((s, l) => s + l.cost, 0),
    elapsedSeconds: 0,
  };
  if (o.refit) {
    const model = await build(w, task);
    try {
      await fit(model, o.shuffle ? takeRows(data, order) : data, o.epochs);
    } catch (e) {
      await model.dispose();
      throw e;
    }
    result.model = model;
    o.onProgress?.(++done, total, `refit #${w.c.id} ${w.c.label} on ${n} rows`);
  }
  result.elapsedSeconds = (performance.now() - started) / 1000;
  return result;
}

type Checked = Required<Omit<OfflineSearchOptions, 'space' | 'metric' | 'onProgress'>> & Pick<OfflineSearchOptions, 'space' | 'metric' | 'onProgress'>;

function check(options: OfflineSearchOptions): Checked {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new SpecError('options', 'expected an object with at least base (model options)');
  for (const k of Object.keys(options)) if (!KEYS.includes(k)) throw new SpecError(k, `unknown search option; expected one of ${KEYS.join(', ')}`);
  const t = options as unknown as Record<string, unknown>;
  const b = t.base;
  if (b === null || typeof b !== 'object' || Array.isArray(b))
    throw new SpecError('base', `expected model options (kind, task, ...), got ${JSON.stringify(b)}`);
  const int = (k: string, def: number, min: number, what: string): number => {
    const v = t[k] ?? def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new SpecError(k, `must be ${what}, got ${JSON.stringify(t[k])}`);
    return v;
  };
  const method = t.method ?? 'halving';
  if (method !== 'random' && method !== 'halving') throw new SpecError('method', `expected random or halving, got ${JSON.stringify(t.method)}`);
  const factor = t.factor ?? 3;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 1)
    throw new SpecError('factor', `must be a number above 1, got ${JSON.stringify(t.factor)}`);
  const seed = t.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new SpecError('seed', `must be an integer, got ${JSON.stringify(t.seed)}`);
  for (const k of ['shuffle', 'refit'])
    if (t[k] !== undefined && typeof t[k] !== 'boolean') throw new SpecError(k, `must be true or false, got ${JSON.stringify(t[k])}`);
  if (t.metric !== undefined && typeof t.metric !== 'string') throw new SpecError('metric', `expected a metric name, got ${JSON.stringify(t.metric)}`);
  if (t.onProgress !== undefined && typeof t.onProgress !== 'function') throw new SpecError('onProgress', 'expected a function (done, total, label)');
  return {
    ...options,
    method,
    candidates: int('candidates', 16, 1, 'an integer ≥ 1'),
    folds: int('folds', 5, 2, 'an integer ≥ 2 (and at most the labeled rows)'),
    epochs: int('epochs', 1, 1, 'an integer ≥ 1 (passes over the training folds)'),
    factor,
    seed,
    shuffle: options.shuffle ?? false,
    refit: options.refit ?? false,
  };
}

async function build(l: Lane, task: Task): Promise<Model> {
  let model: Model;
  try {
    model = await createModel(l.options);
  } catch (e) {
    throw new SpecError(`space[${l.c.family}]`, `candidate #${l.c.id} (${l.c.label}): ${(e as Error).message}`);
  }
  if (model.task !== task) {
    await model.dispose();
    throw new SpecError(`space[${l.c.family}]`, `candidate #${l.c.id} (${l.c.label}) is a ${model.task} model; the search is ${task}`);
  }
  return model;
}

/** `epochs` passes in whole mini-batches per call, so the updates do not depend on CHUNK. */
async function fit(model: Model, x: FeatureMatrix, epochs: number): Promise<void> {
  const step = Math.ceil(CHUNK / model.batchSize) * model.batchSize;
  for (let e = 0; e < epochs; e++) for (let r0 = 0; r0 < x.rows; r0 += step) await model.learn(r0 === 0 && x.rows <= step ? x : x.sliceRows(r0, r0 + step));
}

async function score(model: Model, x: FeatureMatrix, metric: string): Promise<number> {
  const set = new MetricSet([metric]);
  for (let r0 = 0; r0 < x.rows; r0 += CHUNK) {
    const part = r0 === 0 && x.rows <= CHUNK ? x : x.sliceRows(r0, r0 + CHUNK);
    set.update(part.targets!, predictionsOf(model.task, await model.predict(part)), part.weights ?? undefined);
  }
  return set.values()[metric]!;
}

/** Better mean first (NaN last), then lower id. */
function rank(a: Lane, b: Lane, lower: boolean): number {
  const an = Number.isNaN(a.mean),
    bn = Number.isNaN(b.mean);
  if (an !== bn) return an ? 1 : -1;
  if (!an && a.mean !== b.mean) return lower ? a.mean - b.mean : b.mean - a.mean;
  return a.c.id - b.c.id;
}
