import { type FeatureMatrix, Rng, SchemaError, SpecError, type TreeStats } from '../core/index.js';
import type { Model, ModelState, ResolvedModelOptions, Task, TreeKind, TreeOptions } from '../learn/index.js';
import { AdaptiveRandomForestClassifier } from './AdaptiveRandomForestClassifier.js';
import { AdaptiveRandomForestRegressor } from './AdaptiveRandomForestRegressor.js';
import { HoeffdingAdaptiveTreeClassifier } from './HoeffdingAdaptiveTreeClassifier.js';
import { HoeffdingTreeClassifier } from './HoeffdingTreeClassifier.js';
import { HoeffdingTreeRegressor } from './HoeffdingTreeRegressor.js';
import { RandomForest } from './RandomForest.js';
import type { TreeRow } from './TreeRow.js';
import { TreeRows } from './TreeRows.js';

/** One learner behind the Model interface: a class index or value in, `classes` probabilities or one value out. */
interface Learner {
  learn(row: TreeRow, y: number, w: number): void;
  predict(row: TreeRow, out: Float64Array): void;
  summary(): Record<string, number>;
  featureImportances(out: Float64Array): void;
  state(): Promise<unknown>;
  close(): Promise<void>;
  /** arf with workers: test-then-train of a whole matrix on worker threads. */
  parallel?(m: FeatureMatrix, out: Float32Array): Promise<void>;
  /** arf: test-then-train of a whole matrix in one pass (each tree predicts a row once, before learning it). */
  batch?(m: FeatureMatrix, out: Float32Array): void;
}

/** The forest for finite data fits on the rows kept: at most this many unless `maxRows` says otherwise. */
const FOREST_MAX_ROWS = 1_000_000;
/**
 * A forest refits when the rows kept reach twice those of its last fit (so all fits cost about two
 * final fits), the first at this many: early fits are cheap, and rows before the first fit are
 * predicted by an unfitted forest (uniform), which the progressive metrics count.
 */
const FOREST_FIRST_FIT = 64;
/** Densified rows cost inputs × 4 bytes each: hashed widths are for the Hoeffding trees. */
const FOREST_MAX_INPUTS = 16_384;

/**
 * The tree kinds as a Model (registered in learn's MODEL_BUILDERS by src/trees/index.ts): per-row
 * learners on the host. `hoeffding` is a Hoeffding tree (classifier or regressor by task), `hat` a
 * Hoeffding Adaptive Tree, `arf` an Adaptive Random Forest, `forest` a random forest for finite data
 * that keeps the rows it learns (one per source row id, so further epochs replace rather than
 * duplicate) and refits as they double; its predictions come from its last fit, and `predict`
 * outside the test-then-train loop and `state` fit on every row kept first.
 * The learner is built at the first batch, once the input width is known.
 */
export class TreeModel implements Model {
  readonly kind: TreeKind;
  readonly task: Task;
  readonly outputs: number;
  readonly batchSize: number;
  readonly backendName = 'cpu';
  readonly adapter = 'host';
  readonly testThenTrain?: (x: FeatureMatrix, out: Float32Array) => void;
  readonly testThenTrainAsync?: (x: FeatureMatrix, out: Float32Array) => Promise<void>;
  private _inputs: number | null;
  private learner: Learner | null = null;
  private rows: TreeRows | null = null;
  private learned = 0;
  private loss = Number.NaN;
  private readonly classes: number;
  private readonly tree: TreeOptions;
  private readonly probs: Float64Array;
  private forest: ForestBuffer | null = null;

  constructor(readonly options: ResolvedModelOptions) {
    this.kind = options.kind as TreeKind;
    this.task = options.task;
    this.outputs = options.outputs;
    this.batchSize = options.batchSize;
    this._inputs = options.inputs;
    this.classes = options.task === 'regression' ? 1 : options.classes;
    this.tree = options.tree ?? {};
    this.probs = new Float64Array(Math.max(2, this.classes));
    if (this.kind === 'arf' && (this.tree.workers ?? 0) > 0) this.testThenTrainAsync = (x, out) => this.runParallel(x, out);
    else this.testThenTrain = (x, out) => this.run(x, out);
  }

  get inputs(): number | null {
    return this._inputs;
  }

  get step(): number {
    return this.learned;
  }

  async predict(x: FeatureMatrix): Promise<Float32Array> {
    const out = new Float32Array(x.rows * this.outputs);
    if (x.rows === 0) return out;
    const l = this.ensure(x);
    this.forest?.fitPending();
    for (let i = 0; i < x.rows; i++) this.predictRow(l, this.rows!.at(x, i), out, i);
    return out;
  }

  async learn(x: FeatureMatrix): Promise<void> {
    if (x.rows === 0) return;
    if (!x.targets) throw new SchemaError(`${this.kind}: learn needs targets`);
    const l = this.ensure(x);
    for (let i = 0; i < x.rows; i++) this.learnRow(l, x, i);
    this.loss = Number.NaN;
  }

  async lastLoss(): Promise<number> {
    return this.loss;
  }

  async state(): Promise<ModelState> {
    this.forest?.fitPending();
    return {
      kind: this.kind,
      task: this.task,
      inputs: this._inputs ?? 0,
      outputs: this.outputs,
      options: { ...this.options } as unknown as Record<string, unknown>,
      params: {},
      optimizer: {},
      step: this.learned,
      tree: this.learner ? { learner: await this.learner.state(), ...(this.forest ? { rows: this.forest.toJSON() } : {}) } : null,
    };
  }

  load(state: ModelState): void {
    if (!state || state.kind !== this.kind || state.task !== this.task)
      throw new SpecError('model', `not a ${this.task} ${this.kind} state (got ${state?.task} ${state?.kind})`);
    this.learned = state.step;
    const saved = state.tree as { learner: unknown; rows?: ForestBufferState } | null | undefined;
    if (!saved || !state.inputs) {
      this.learner = null;
      this.rows = null;
      return;
    }
    this._inputs = state.inputs;
    this.rows = new TreeRows(state.inputs);
    void this.learner?.close();
    this.learner = this.build(state.inputs, saved.learner);
    if (this.kind === 'forest')
      this.forest = ForestBuffer.fromJSON(this.learner as ForestLearner, state.inputs, saved.rows ?? null, this.tree, this.options.seed);
  }

  async dispose(): Promise<void> {
    await this.learner?.close();
  }

  /** Tree count, size and drift resets (arf: trees replaced at a drift; hat: subtrees replaced by alternates) for the dashboard and the report; zeros before the first batch. */
  summary(): TreeStats {
    const s = this.learner?.summary() ?? {};
    return {
      kind: this.kind,
      trees: s.trees ?? (this.learner ? 1 : 0),
      nodes: s.nodes ?? 0,
      leaves: s.leaves ?? 0,
      depth: s.depth ?? 0,
      // arf: drifts (each replaced a tree, by its background tree or a fresh one); hat: subtrees replaced by alternates.
      resets: (s.drifts ?? 0) + (s.replacements ?? 0),
      rows: this.learned,
    };
  }

  /** Importance per input feature (split merit weighted by the rows that reached it), normalized to sum 1; empty before any. */
  featureImportances(): Float64Array {
    const out = new Float64Array(this._inputs ?? 0);
    if (!this.learner) return out;
    this.forest?.fitPending();
    this.learner.featureImportances(out);
    let sum = 0;
    for (const v of out) sum += v;
    if (sum > 0) for (let j = 0; j < out.length; j++) out[j]! /= sum;
    return out;
  }

  private run(x: FeatureMatrix, out: Float32Array): void {
    if (x.rows === 0) return;
    if (!x.targets) throw new SchemaError(`${this.kind}: test-then-train needs targets`);
    const l = this.ensure(x);
    if (l.batch && this.batchSize === 1 && !this.options.classWeights) return this.runBatch(l, x, out);
    const b = this.batchSize,
      t = x.targets;
    let loss = 0,
      n = 0;
    for (let a = 0; a < x.rows; a += b) {
      const z = Math.min(x.rows, a + b);
      // A mini-batch is predicted by the model from before it (per row when b = 1).
      let row: TreeRow | undefined;
      for (let i = a; i < z; i++) {
        row = this.rows!.at(x, i);
        this.predictRow(l, row, out, i);
        const y = t[i]!;
        if (y - y === 0) {
          loss += this.rowLoss(out, i, y);
          n++;
        }
      }
      // Per row (b = 1) the row in the scratch is the one to learn: not laid out twice.
      if (z - a === 1) this.learnRow(l, x, a, row);
      else for (let i = a; i < z; i++) this.learnRow(l, x, i);
    }
    this.loss = n > 0 ? loss / n : Number.NaN;
  }

  /** The learner's own test-then-train pass (arf): the same predictions and updates as row by row, without predicting twice. */
  private runBatch(l: Learner, x: FeatureMatrix, out: Float32Array): void {
    this.checkTargets(x);
    const wide = this.task === 'binary' ? new Float32Array(x.rows * 2) : out;
    l.batch!(x, wide);
    const t = x.targets!,
      w = x.weights;
    let loss = 0,
      n = 0;
    for (let i = 0; i < x.rows; i++) {
      if (this.task === 'binary') out[i] = wide[2 * i + 1]!;
      const y = t[i]!;
      if (!(y - y === 0)) continue;
      loss += this.rowLoss(out, i, y);
      n++;
      if (!w || w[i]! > 0) this.learned++;
    }
    this.loss = n > 0 ? loss / n : Number.NaN;
  }

  private async runParallel(x: FeatureMatrix, out: Float32Array): Promise<void> {
    if (x.rows === 0) return;
    if (!x.targets) throw new SchemaError(`${this.kind}: test-then-train needs targets`);
    this.checkTargets(x);
    const l = this.ensure(x);
    if (this.batchSize !== 1 || !l.parallel) return this.run(x, out);
    // The forest writes `classes` probabilities per row; binary keeps P(y=1).
    const wide = this.task === 'binary' ? new Float32Array(x.rows * 2) : out;
    await l.parallel(x, wide);
    if (this.task === 'binary') for (let i = 0; i < x.rows; i++) out[i] = wide[2 * i + 1]!;
    let n = 0;
    for (let i = 0; i < x.rows; i++) if (x.targets[i]! - x.targets[i]! === 0) n++;
    this.learned += n;
    this.loss = Number.NaN;
  }

  private rowLoss(out: Float32Array, i: number, y: number): number {
    if (this.task === 'regression') return (out[i]! - y) ** 2;
    const p = this.task === 'binary' ? (y === 1 ? out[i]! : 1 - out[i]!) : out[i * this.outputs + y]!;
    return -Math.log(Math.max(p, 1e-15));
  }

  private predictRow(l: Learner, row: TreeRow, out: Float32Array, i: number): void {
    const p = this.probs;
    l.predict(row, p);
    if (this.task === 'multiclass') for (let c = 0; c < this.outputs; c++) out[i * this.outputs + c] = p[c]!;
    else out[i] = this.task === 'binary' ? p[1]! : p[0]!;
  }

  /** Learns row i of x (`row`: that row already in the scratch). Rows without a finite target or with weight 0 are not learned. */
  private learnRow(l: Learner, x: FeatureMatrix, i: number, row?: TreeRow): void {
    const y = x.targets![i]!;
    if (!(y - y === 0)) return;
    this.checkTarget(x, i, y);
    let w = x.weights ? x.weights[i]! : 1;
    const cw = this.options.classWeights;
    if (cw && this.task !== 'regression') w *= cw[y]!;
    if (!(w > 0)) return;
    const r = row ?? this.rows!.at(x, i);
    if (this.forest) this.forest.add(r, y, w, x.rowIds ? x.rowIds[i]! : Number.NaN);
    else l.learn(r, y, w);
    this.learned++;
  }

  /** Every finite target of x checked before a learner that takes the whole batch sees it. */
  private checkTargets(x: FeatureMatrix): void {
    if (this.task === 'regression') return;
    const t = x.targets!;
    for (let i = 0; i < t.length; i++) if (t[i]! - t[i]! === 0) this.checkTarget(x, i, t[i]!);
  }

  /** A classification target must be a class index: else a SchemaError naming the row. */
  private checkTarget(x: FeatureMatrix, i: number, y: number): void {
    if (this.task === 'regression' || (Number.isInteger(y) && y >= 0 && y < this.classes)) return;
    throw new SchemaError(
      `${this.task} target of row ${i}${x.rowIds ? ` (rowId ${x.rowIds[i]})` : ''} is ${y}, expected a class index in [0, ${this.classes})`,
    );
  }

  private ensure(x: FeatureMatrix): Learner {
    if (this._inputs !== null && x.cols !== this._inputs)
      throw new SchemaError(`${this.kind}: the model has ${this._inputs} inputs, the batch ${x.cols} columns`);
    if (this.learner) return this.learner;
    const d = x.cols;
    this._inputs = d;
    this.rows = new TreeRows(d);
    this.learner = this.build(d, null);
    if (this.kind === 'forest') this.forest = new ForestBuffer(this.learner as ForestLearner, d, this.tree, this.options.seed);
    return this.learner;
  }

  /** The learner for this kind and task: new, or from its saved state. */
  private build(inputs: number, saved: unknown): Learner {
    const t = this.tree,
      seed = this.options.seed,
      classes = this.classes;
    const given = (keys: readonly (keyof TreeOptions)[]): Record<string, unknown> =>
      Object.fromEntries(keys.filter((k) => t[k] !== undefined).map((k) => [k, k === 'criterion' && t[k] === 'entropy' ? 'infoGain' : t[k]]));
    const hoeffding = ['gracePeriod', 'delta', 'tau', 'leaf', 'maxDepth', 'maxLeaves'] as const;
    const regression = this.task === 'regression';
    switch (this.kind) {
      case 'hoeffding':
      case 'hat': {
        if (regression) {
          const r = saved
            ? HoeffdingTreeRegressor.fromJSON(saved as never)
            : new HoeffdingTreeRegressor({ inputs, seed, ...given(hoeffding), ...(this.kind === 'hat' ? { adaptive: true } : {}) });
          return valueLearner(r);
        }
        if (this.kind === 'hat') {
          const h = saved
            ? HoeffdingAdaptiveTreeClassifier.fromJSON(saved as never)
            : new HoeffdingAdaptiveTreeClassifier({ classes, inputs, seed, ...given([...hoeffding, 'criterion', 'adwinDelta']) });
          return probaLearner(h);
        }
        const h = saved
          ? HoeffdingTreeClassifier.fromJSON(saved as never)
          : new HoeffdingTreeClassifier({ classes, inputs, seed, ...given([...hoeffding, 'criterion']) });
        return probaLearner(h);
      }
      case 'arf': {
        const keys = [
          'trees',
          'maxFeatures',
          'lambda',
          'gracePeriod',
          'delta',
          'tau',
          'warningDelta',
          'driftDelta',
          'workers',
          'leaf',
          'maxDepth',
          'maxLeaves',
        ] as const;
        if (regression) {
          const r = saved
            ? AdaptiveRandomForestRegressor.fromJSON(saved as never)
            : new AdaptiveRandomForestRegressor({ inputs, seed, ...given(keys) } as never);
          return forestLearner(r, false);
        }
        const c = saved
          ? AdaptiveRandomForestClassifier.fromJSON(saved as never)
          : new AdaptiveRandomForestClassifier({ classes, inputs, seed, ...given([...keys, 'criterion', 'weightedVote']) } as never);
        return forestLearner(c, true);
      }
      case 'forest': {
        if (inputs > FOREST_MAX_INPUTS)
          throw new SpecError(
            'model',
            `forest densifies the rows it keeps: ${inputs} inputs are more than ${FOREST_MAX_INPUTS} (hashed features?); use hoeffding or arf, which learn from the non-zeros`,
          );
        const f = saved
          ? RandomForest.fromJSON(saved as never)
          : new RandomForest({
              task: regression ? 'regression' : 'classification',
              ...(regression ? {} : { classes }),
              inputs,
              seed,
              ...given(['trees', 'maxFeatures', 'maxDepth', 'minSamplesSplit', 'minSamplesLeaf', 'bootstrap', 'bins']),
              ...(t.criterion !== undefined ? { criterion: t.criterion } : {}),
            });
        return forestFitLearner(f);
      }
    }
  }
}

function probaLearner(h: HoeffdingTreeClassifier | HoeffdingAdaptiveTreeClassifier): Learner {
  return {
    learn: (row, y, w) => h.learn(row, y, w),
    predict: (row, out) => h.predictProba(row, out, 0),
    summary: () => ({ trees: 1, ...(h.summary() as unknown as Record<string, number>) }),
    featureImportances: (out) => h.featureImportances(out),
    state: async () => h.toJSON(),
    close: async () => {},
  };
}

function valueLearner(r: HoeffdingTreeRegressor): Learner {
  return {
    learn: (row, y, w) => r.learn(row, y, w),
    predict: (row, out) => {
      out[0] = r.predict(row);
    },
    summary: () => ({ trees: 1, ...(r.summary() as unknown as Record<string, number>), replacements: r.replacements }),
    featureImportances: (out) => r.featureImportances(out),
    state: async () => r.toJSON(),
    close: async () => {},
  };
}

interface ArfLike {
  learn(row: TreeRow, y: number, w?: number): void;
  summary(): object;
  featureImportances(out: Float64Array): void;
  toJSON(): unknown;
  stateAsync?(): Promise<unknown>;
  close?(): Promise<void>;
  testThenTrainParallel?(m: FeatureMatrix, out: Float32Array): Promise<void>;
  testThenTrain?(m: FeatureMatrix, out: Float32Array): void;
}

function forestLearner(f: AdaptiveRandomForestClassifier | AdaptiveRandomForestRegressor, proba: boolean): Learner {
  const a = f as unknown as ArfLike;
  return {
    learn: (row, y, w) => a.learn(row, y, w),
    predict: proba
      ? (row, out) => (f as AdaptiveRandomForestClassifier).predictProba(row, out, 0)
      : (row, out) => {
          out[0] = (f as AdaptiveRandomForestRegressor).predict(row);
        },
    summary: () => a.summary() as Record<string, number>,
    featureImportances: (out) => a.featureImportances(out),
    state: async () => (a.stateAsync ? a.stateAsync() : a.toJSON()),
    close: async () => {
      await a.close?.();
    },
    ...(a.testThenTrainParallel ? { parallel: (m: FeatureMatrix, out: Float32Array) => a.testThenTrainParallel!(m, out) } : {}),
    ...(a.testThenTrain ? { batch: (m: FeatureMatrix, out: Float32Array) => a.testThenTrain!(m, out) } : {}),
  };
}

type ForestLearner = Learner & { readonly forest: RandomForest };

function forestFitLearner(f: RandomForest): ForestLearner {
  return {
    forest: f,
    learn: () => {
      throw new SchemaError('forest: rows go through its row buffer');
    },
    predict: (row, out) => f.predictRow(row, out, 0),
    summary: () => f.summary(),
    featureImportances: (out) => f.featureImportances(out),
    state: async () => f.toJSON(),
    close: async () => {},
  };
}

/** The kept rows as base64 of their Float32/Float64 bytes: a quarter of the size of JSON numbers, and exact. */
interface ForestBufferState {
  rows: number;
  fitted: number;
  seen: number;
  x: string;
  y: string;
  w: string;
  ids: string;
  rng: ReturnType<Rng['toJSON']>;
}

const b64 = (a: Float32Array | Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function fromB64<T extends Float32Array | Float64Array>(s: string, make: (b: ArrayBuffer) => T): T {
  const buf = Buffer.from(s, 'base64');
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return make(copy);
}

/**
 * The rows a `forest` model fits on: dense, up to `maxRows` (a seeded reservoir sample beyond),
 * one per source row id (a later epoch's row replaces the earlier copy). Refits when the rows kept
 * reach twice those of the last fit, and on `fitPending`.
 */
class ForestBuffer {
  private x: Float32Array;
  private y: Float32Array;
  private w: Float32Array;
  private ids: Float64Array;
  private slot = new Map<number, number>();
  private n = 0;
  private seen = 0;
  private fitted = 0;
  private pending = 0;
  private rng: Rng;
  private readonly cap: number;

  constructor(
    private readonly learner: ForestLearner,
    private readonly inputs: number,
    tree: TreeOptions,
    seed: number,
  ) {
    this.cap = tree.maxRows ?? FOREST_MAX_ROWS;
    const start = Math.min(this.cap, FOREST_FIRST_FIT);
    this.x = new Float32Array(start * inputs);
    this.y = new Float32Array(start);
    this.w = new Float32Array(start);
    this.ids = new Float64Array(start);
    this.rng = new Rng(seed);
  }

  add(row: TreeRow, y: number, w: number, id: number): void {
    this.seen++;
    let at = Number.isNaN(id) ? -1 : (this.slot.get(id) ?? -1);
    if (at < 0) {
      if (this.n < this.cap) at = this.n++;
      else {
        // Reservoir sampling (Vitter's algorithm R) over the rows seen.
        const j = Math.floor(this.rng.float() * this.seen);
        if (j >= this.cap) return;
        at = j;
        if (!Number.isNaN(this.ids[at]!)) this.slot.delete(this.ids[at]!);
      }
      this.grow();
      if (!Number.isNaN(id)) this.slot.set(id, at);
    }
    this.x.set(row.x.subarray(0, this.inputs), at * this.inputs);
    this.y[at] = y;
    this.w[at] = w;
    this.ids[at] = id;
    this.pending++;
    if (this.n >= Math.max(FOREST_FIRST_FIT, 2 * this.fitted) && this.n > this.fitted) this.fit();
  }

  fitPending(): void {
    if (this.pending > 0 && this.n > 0) this.fit();
  }

  toJSON(): ForestBufferState {
    return {
      rows: this.n,
      fitted: this.fitted,
      seen: this.seen,
      x: b64(this.x.subarray(0, this.n * this.inputs)),
      y: b64(this.y.subarray(0, this.n)),
      w: b64(this.w.subarray(0, this.n)),
      ids: b64(this.ids.subarray(0, this.n)),
      rng: this.rng.toJSON(),
    };
  }

  static fromJSON(learner: ForestLearner, inputs: number, s: ForestBufferState | null, tree: TreeOptions, seed: number): ForestBuffer {
    const b = new ForestBuffer(learner, inputs, tree, seed);
    if (!s) return b;
    const f32 = (b: ArrayBuffer) => new Float32Array(b),
      f64 = (b: ArrayBuffer) => new Float64Array(b);
    const [x, y, w, ids] = [fromB64(s.x, f32), fromB64(s.y, f32), fromB64(s.w, f32), fromB64(s.ids, f64)];
    if (x.length !== s.rows * inputs || y.length !== s.rows || w.length !== s.rows || ids.length !== s.rows)
      throw new SchemaError(`forest state: ${s.rows} rows of ${inputs} inputs do not match the saved arrays`);
    // Room for one more row (grow doubles from there).
    const room = Math.max(s.rows, 1);
    b.x = new Float32Array(room * inputs);
    b.x.set(x);
    b.y = new Float32Array(room);
    b.y.set(y);
    b.w = new Float32Array(room);
    b.w.set(w);
    b.ids = new Float64Array(room);
    b.ids.set(ids);
    for (let i = 0; i < s.rows; i++) if (!Number.isNaN(ids[i]!)) b.slot.set(ids[i]!, i);
    b.rng = Rng.fromJSON(s.rng);
    b.n = s.rows;
    b.fitted = s.fitted;
    b.seen = s.seen;
    return b;
  }

  private fit(): void {
    this.learner.forest.fit(this.x.subarray(0, this.n * this.inputs), this.n, this.y.subarray(0, this.n), this.w.subarray(0, this.n));
    this.fitted = this.n;
    this.pending = 0;
  }

  private grow(): void {
    if (this.n <= this.y.length) return;
    const size = Math.min(this.cap, this.y.length * 2);
    const x = new Float32Array(size * this.inputs);
    x.set(this.x);
    this.x = x;
    for (const k of ['y', 'w'] as const) {
      const a = new Float32Array(size);
      a.set(this[k]);
      this[k] = a;
    }
    const ids = new Float64Array(size);
    ids.set(this.ids);
    this.ids = ids;
  }
}
