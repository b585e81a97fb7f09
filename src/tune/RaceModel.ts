import { type FeatureMatrix, type LeaderboardEntry, SchemaError, SpecError } from '../core/index.js';
import { labeledRows } from '../evaluate/index.js';
import {
  createModel,
  type Model,
  type ModelKind,
  type ModelOptions,
  type ModelState,
  type ResolvedModelOptions,
  resolveModelOptions,
  SparseLinearModel,
  type Task,
} from '../learn/index.js';
import { type Metric, makeMetric } from '../metrics/index.js';
import { BatchedSparseLinear } from './BatchedSparseLinear.js';
import { defaultSearchSpace } from './defaultSearchSpace.js';
import { resolveSearchSpace } from './resolveSearchSpace.js';
import { type ResolvedTuneOptions, resolveTuneOptions, type TuneOptions } from './resolveTuneOptions.js';
import { type Candidate, sampleCandidates } from './sampleCandidates.js';

/** What a race saved with its model records (ModelState.tune, report.tune). */
export interface TuneRecord {
  mode: 'halving';
  candidates: number;
  budget: number;
  /** Model-costs per row spent so far (Σ rows each candidate learned / rows raced). */
  budgetUsed: number;
  rung: number;
  rows: number;
  /** The candidate whose predictions are served now: the winner once one is left. */
  winner: { id: number; label: string; config: Record<string, unknown> };
  finished: boolean;
  leaderboard: LeaderboardEntry[];
}

/** A batched block of candidates (BatchedSparseLinear) and the lanes racing in it. */
interface Block {
  b: BatchedSparseLinear;
  lanes: Lane[];
  /** rows × candidates predictions of the block's last pass. */
  buf: Float32Array;
}

export interface RaceHooks {
  /** A candidate left the race at stream row `row` (0-based), with the reason in words. */
  onDrop?: (dropped: LeaderboardEntry, leader: LeaderboardEntry, row: number, why: string) => void;
  /** Another candidate answers the rows from stream row `row` (0-based) on, with the reason in words. */
  onLeader?: (leader: LeaderboardEntry, previous: LeaderboardEntry, row: number, why: string) => void;
}

interface Lane {
  c: Candidate;
  /** Its own model, or a view of its slot in a batched block (`block`, slot `k`). */
  model: Model;
  block: Block | null;
  k: number;
  preds: Float32Array;
  /** Welford's running mean and sum of squared deviations of the per-row loss. */
  n: number;
  mean: number;
  m2: number;
  /** Mean loss over the rows of the current rung (halving ranks on it: a fast starter's early rows do not carry it through). */
  rn: number;
  rmean: number;
  /** Paired: loss minus the leader's on the same rows, since the leader took over (Welford). */
  pn: number;
  pmean: number;
  pm2: number;
  metric: Metric;
  cost: number;
  dropped: number | null;
  /** Rows of the current batch scored for this lane (a drop mid-batch stops its count). */
  scored: number;
}

/** Probabilities are clipped here before the log: one confident miss must not decide a race by itself. */
const P_MIN = 1e-7;
/** Early drops compare means of at least this many rows each (the normal approximation needs some). */
const MIN_ROWS = 64;
/** Early drops are checked this often (rows): the check sorts nothing but is O(candidates). */
const CHECK_EVERY = 32;
const HEADLINE: Record<Task, string> = { binary: 'rocAuc', multiclass: 'accuracy', regression: 'r2' };

/**
 * K candidate configurations raced on one stream (successive halving): every candidate sees the
 * same rows in the same order and is scored test-then-train on each before it learns it. Each row
 * is answered by the candidate leading before it (lowest mean progressive loss so far: log loss,
 * or squared error for regression), so the run's metrics are what a user would have been served.
 * At the end of each rung (the first `rung` rows, then rungs twice as long each time) the worse
 * half of the field is dropped; between rung ends a candidate is dropped early once its loss is
 * worse than the leader's beyond both confidence bounds. The last one left is the winner and goes
 * on learning: it is never retrained. `state()` is the leader's model state with the race's record.
 */
export class RaceModel implements Model {
  readonly task: Task;
  readonly outputs: number;
  readonly batchSize: number;
  readonly testThenTrain?: (x: FeatureMatrix, out: Float32Array) => void;
  private lanes: Lane[];
  private live: Lane[];
  private leader: Lane;
  /** Rows learned (labeled: they count for rungs and the budget), and rows scored (the stream's, for the rows events name). */
  private rows = 0;
  private seen = 0;
  private rungEnd: number;
  private rungLen: number;
  private readonly z: number;
  private readonly blocks: Block[];

  private constructor(
    lanes: Lane[],
    private readonly tune: ResolvedTuneOptions,
    private readonly hooks: RaceHooks,
  ) {
    this.lanes = lanes;
    this.live = [...lanes];
    this.leader = lanes[0]!;
    this.task = this.leader.model.task;
    this.outputs = this.leader.model.outputs;
    // Whole mini-batches of every candidate: each learns exactly as it would alone whatever the engine's chunks.
    this.batchSize = lanes.reduce((a, l) => lcm(a, l.model.batchSize), 1);
    this.rungLen = tune.rung;
    this.rungEnd = tune.rung;
    this.z = tune.confidence > 0 ? normalQuantile((1 + tune.confidence) / 2) : Infinity;
    this.blocks = [...new Set(lanes.map((l) => l.block).filter((b): b is Block => b !== null))];
    if (lanes.every((l) => l.block || l.model.testThenTrain)) this.testThenTrain = (x, out) => this.race(x, out);
  }

  /**
   * A race over `tune.space` (default: defaultSearchSpace for the task and `base.kind`); `base`
   * holds what every candidate shares (task, classes, target scale, seed, backend). A candidate
   * the model options refuse throws SpecError naming it.
   */
  static async create(base: ModelOptions, tune: TuneOptions | ResolvedTuneOptions | true = {}, hooks: RaceHooks = {}): Promise<RaceModel> {
    const t =
      'space' in Object(tune) && 'budget' in Object(tune) && 'rung' in Object(tune) ? (tune as ResolvedTuneOptions) : resolveTuneOptions(tune as TuneOptions);
    const task = resolveModelOptions(base).task;
    const space = resolveSearchSpace(t.space ?? defaultSearchSpace(task, base.kind));
    const candidates = sampleCandidates(space, t.candidates, t.seed);
    const resolved: ResolvedModelOptions[] = [];
    for (const c of candidates) {
      if ('hashBits' in c.config || 'interactions' in c.config)
        throw new SpecError(`tune.space[${c.family}]`, 'hashBits and interactions are not raced yet: give them as pipeline steps');
      try {
        resolved.push(resolveModelOptions({ ...base, ...c.config } as ModelOptions));
      } catch (e) {
        throw new SpecError(`tune.space[${c.family}]`, `candidate #${c.id} (${c.label}): ${(e as Error).message}`);
      }
      if (resolved[c.id]!.task !== task)
        throw new SpecError(`tune.space[${c.family}]`, `candidate #${c.id} (${c.label}) is a ${resolved[c.id]!.task} model; the race is ${task}`);
    }
    // Per-row normalized candidates that differ only in lr, l1, l2 share one pass (BatchedSparseLinear).
    const groups: number[][] = [];
    if (t.batched)
      for (let i = 0; i < resolved.length; i++) {
        if (!BatchedSparseLinear.eligible(resolved[i]!)) continue;
        const g = groups.find((g) => BatchedSparseLinear.fits(resolved[g[0]!]!, resolved[i]!));
        if (g) g.push(i);
        else groups.push([i]);
      }
    const lanes: Lane[] = [];
    const lane = (c: Candidate, model: Model, block: Block | null, k: number): Lane => ({
      c,
      model,
      block,
      k,
      preds: new Float32Array(0),
      n: 0,
      mean: 0,
      m2: 0,
      rn: 0,
      rmean: 0,
      pn: 0,
      pmean: 0,
      pm2: 0,
      metric: makeMetric(HEADLINE[task], task === 'binary' ? { mode: 'streaming' } : {}),
      cost: 0,
      dropped: null,
      scored: 0,
    });
    for (const g of groups.filter((g) => g.length > 1)) {
      const block: Block = { b: new BatchedSparseLinear(g.map((i) => resolved[i]!)), lanes: [], buf: new Float32Array(0) };
      g.forEach((i, k) => {
        const l = lane(candidates[i]!, new BlockMember(block.b, k, resolved[i]!), block, k);
        block.lanes.push(l);
        lanes[i] = l;
      });
    }
    for (const c of candidates) if (!lanes[c.id]) lanes[c.id] = lane(c, await createModel({ ...base, ...c.config } as ModelOptions), null, 0);
    return new RaceModel(lanes, t, hooks);
  }

  get kind(): ModelKind {
    return this.leader.model.kind;
  }
  get inputs(): number | null {
    return this.leader.model.inputs;
  }
  get step(): number {
    return this.leader.model.step;
  }
  get backendName(): string {
    return this.leader.model.backendName;
  }
  get adapter(): string {
    return `race of ${this.lanes.length} (${this.live.length} left), leader #${this.leader.c.id}: ${this.leader.model.adapter}`;
  }
  /** Candidates still learning. */
  get alive(): number {
    return this.live.length;
  }
  get finished(): boolean {
    return this.live.length === 1;
  }

  async predict(x: FeatureMatrix): Promise<Float32Array> {
    return this.leader.model.predict(x);
  }

  /** Every candidate still racing learns x (no scores: the race stands still). */
  async learn(x: FeatureMatrix): Promise<void> {
    // A block learns by its test-then-train pass (the same per-row updates); its outputs are not read.
    const labeled = labeledRows(x);
    if (labeled) this.runBlocks(labeled);
    for (const l of this.live) {
      if (!l.block) await l.model.learn(x);
      l.cost += x.rows;
    }
    this.settle();
  }

  /** Each block's pass over x, its predictions handed to its live lanes. */
  private runBlocks(x: FeatureMatrix): void {
    for (const blk of this.blocks) {
      if (blk.b.alive === 0) continue;
      const K = blk.b.candidates;
      if (blk.buf.length < x.rows * K) blk.buf = new Float32Array(x.rows * K);
      blk.b.testThenTrain(x, blk.buf);
      for (const l of blk.lanes) {
        if (l.dropped !== null) continue;
        const p = this.scratch(l, x.rows);
        for (let r = 0; r < x.rows; r++) p[r] = blk.buf[r * K + l.k]!;
      }
    }
  }

  /** Once one is left, a winner racing in a block becomes a model of its own (the block's state for it). */
  private settle(): void {
    if (this.live.length !== 1) return;
    const w = this.live[0]!;
    if (!w.block) return;
    const state = w.block.b.state(w.k);
    const m = new SparseLinearModel((w.model as BlockMember).options);
    m.load(state);
    w.model = m;
    w.block = null;
    this.blocks.length = 0;
  }

  async testThenTrainAsync(x: FeatureMatrix, out: Float32Array): Promise<void> {
    this.runBlocks(x);
    for (const l of this.live) {
      if (l.block) continue;
      const preds = this.scratch(l, x.rows);
      const m = l.model;
      if (m.testThenTrain) m.testThenTrain(x, preds);
      else if (m.testThenTrainAsync) await m.testThenTrainAsync(x, preds);
      else {
        // Each of its own mini-batches scored by the model from before it, as the engine would.
        for (let r0 = 0; r0 < x.rows; r0 += m.batchSize) {
          const part = x.sliceRows(r0, Math.min(x.rows, r0 + m.batchSize));
          preds.set(await m.predict(part), r0 * this.outputs);
          const labeled = labeledRows(part);
          if (labeled) await m.learn(labeled);
        }
      }
    }
    this.score(x, out);
    this.settle();
  }

  private race(x: FeatureMatrix, out: Float32Array): void {
    if (!x.targets) throw new SchemaError('race: testThenTrain needs a FeatureMatrix with targets');
    this.runBlocks(x);
    for (const l of this.live) if (!l.block) l.model.testThenTrain!(x, this.scratch(l, x.rows));
    this.score(x, out);
    this.settle();
  }

  private scratch(l: Lane, rows: number): Float32Array {
    const need = rows * this.outputs;
    if (l.preds.length < need) l.preds = new Float32Array(need);
    return l.preds;
  }

  /** Serves each row from the leader before it, books every live candidate's loss, and drops losers. */
  private score(x: FeatureMatrix, out: Float32Array): void {
    const O = this.outputs,
      y = x.targets!;
    const batch = this.live.slice();
    for (const l of batch) l.scored = 0;
    for (let r = 0; r < x.rows; r++) {
      const lp = this.leader.preds;
      for (let o = 0; o < O; o++) out[r * O + o] = lp[r * O + o]!;
      this.seen++;
      const t = y[r]!;
      if (Number.isNaN(t)) {
        for (const l of this.live) l.scored = r + 1;
        continue;
      }
      const lead = this.leader;
      const leadLoss = this.lossOf(lead.preds, r, t);
      for (const l of this.live) {
        const loss = l === lead ? leadLoss : this.lossOf(l.preds, r, t);
        l.n++;
        const d = loss - l.mean;
        l.mean += d / l.n;
        l.m2 += d * (loss - l.mean);
        l.rn++;
        l.rmean += (loss - l.rmean) / l.rn;
        if (l !== lead) {
          const diff = loss - leadLoss;
          l.pn++;
          const dd = diff - l.pmean;
          l.pmean += dd / l.pn;
          l.pm2 += dd * (diff - l.pmean);
        }
        l.cost++;
        l.scored = r + 1;
      }
      this.rows++;
      if (this.live.length > 1) {
        if (this.rows >= this.rungEnd) this.halve();
        else if (this.z < Infinity && this.rows % CHECK_EVERY === 0) this.compare();
      }
    }
    for (const l of batch) this.book(l, x, l.scored);
  }

  private lossOf(p: Float32Array, r: number, t: number): number {
    if (this.task === 'regression') {
      const e = p[r]! - t;
      return e * e;
    }
    const q = this.task === 'binary' ? (t === 1 ? p[r]! : 1 - p[r]!) : p[r * this.outputs + t]!;
    return -Math.log(Math.min(1, Math.max(P_MIN, q)));
  }

  /** The headline metric over the first `rows` rows of x (those this lane was scored on), targets finite. */
  private book(l: Lane, x: FeatureMatrix, rows: number): void {
    const O = this.outputs,
      y = x.targets!;
    const yt: number[] = [],
      yp: number[] = [];
    for (let r = 0; r < rows; r++) {
      const t = y[r]!;
      if (Number.isNaN(t)) continue;
      yt.push(t);
      if (this.task !== 'multiclass') yp.push(l.preds[r]!);
      else {
        let best = 0;
        for (let o = 1; o < O; o++) if (l.preds[r * O + o]! > l.preds[r * O + best]!) best = o;
        yp.push(best);
      }
    }
    if (yt.length) l.metric.update(yt, yp);
  }

  /** The leader answers from the next row on; paired differences start again against it. */
  private lead(l: Lane, why: string): void {
    const previous = this.leader;
    this.leader = l;
    for (const x of this.lanes) {
      x.pn = 0;
      x.pmean = 0;
      x.pm2 = 0;
    }
    this.hooks.onLeader?.(this.entry(l), this.entry(previous), this.seen, why);
  }

  /**
   * End of a rung: ranked by their loss over this rung's rows, the better half (rounded up) goes
   * on, the rest is dropped; the best of the rung leads if the leader is not in the better half.
   * The next rung is twice as long.
   */
  private halve(): void {
    const keep = Math.ceil(this.live.length / 2);
    const ranked = [...this.live].sort((a, b) => a.rmean - b.rmean || a.c.id - b.c.id);
    const why = `end of a ${this.rungLen}-row rung`;
    if (ranked.indexOf(this.leader) >= keep)
      this.lead(ranked[0]!, `${why}: best loss over the rung, ${fmt(ranked[0]!.rmean)} against ${fmt(this.leader.rmean)}`);
    for (const l of ranked.slice(keep)) this.drop(l, `${why}: loss ${fmt(l.rmean)} over the rung, not in the better half`);
    for (const l of this.live) {
      l.rn = 0;
      l.rmean = 0;
    }
    this.rungLen *= 2;
    this.rungEnd = this.rows + this.rungLen;
  }

  /**
   * Paired comparisons with the leader on the rows since it took over: a candidate worse beyond
   * the confidence bound is dropped; one better beyond it takes the lead (the most better one).
   */
  private compare(): void {
    let best: Lane | null = null;
    for (const l of [...this.live]) {
      if (l === this.leader || l.pn < MIN_ROWS) continue;
      const s = Math.sqrt(l.pm2 / (l.pn - 1) / l.pn);
      if (l.pmean - this.z * s > 0)
        this.drop(
          l,
          `loss above the leader's by ${fmt(l.pmean)} ± ${fmt(s)} a row over the same ${l.pn} rows, beyond ${this.tune.confidence} confidence`,
          true,
        );
      else if (l.pmean + this.z * s < 0 && (best === null || l.pmean < best.pmean)) best = l;
    }
    if (best) {
      const s = Math.sqrt(best.pm2 / (best.pn - 1) / best.pn);
      this.lead(
        best,
        `loss below the leader's by ${fmt(-best.pmean)} ± ${fmt(s)} a row over the same ${best.pn} rows, beyond ${this.tune.confidence} confidence`,
      );
    }
  }

  private drop(l: Lane, why: string, early = false): void {
    if (l === this.leader || this.live.length <= 1) return;
    // The defaults leave only at a rung's end once the race has run its scheduled length (K − 1
    // first rungs): a configuration that learns slower but ends better is common (a lower rate),
    // and early rows favour fast starters, so early drops must not shorten the defaults' race.
    if (l.c.id === 0 && (early || this.rows < this.tune.rung * (this.lanes.length - 1))) return;
    l.dropped = this.seen - 1;
    this.live = this.live.filter((x) => x !== l);
    this.hooks.onDrop?.(this.entry(l), this.entry(this.leader), l.dropped, why);
    void l.model.dispose();
  }

  private entry(l: Lane): LeaderboardEntry {
    return {
      id: l.c.id,
      label: l.c.label,
      config: l.c.config,
      rows: l.n,
      loss: l.n ? l.mean : Number.NaN,
      stderr: se(l),
      metric: l.metric.value,
      metricName: l.metric.name,
      cost: l.cost,
      dropped: l.dropped,
    };
  }

  /** Racing candidates best first, then the dropped ones, latest drop first. */
  leaderboard(): LeaderboardEntry[] {
    const racing = this.live.slice().sort((a, b) => (a.n && b.n ? a.mean - b.mean : b.n - a.n) || a.c.id - b.c.id);
    const out = this.lanes.filter((l) => l.dropped !== null).sort((a, b) => b.dropped! - a.dropped! || a.mean - b.mean);
    return [...racing, ...out].map((l) => this.entry(l));
  }

  /** The leaderboard telemetry event's body (without type and t). */
  standings(): { rows: number; leader: number; alive: number; budgetUsed: number; entries: LeaderboardEntry[] } {
    return { rows: this.seen, leader: this.leader.c.id, alive: this.live.length, budgetUsed: this.budgetUsed(), entries: this.leaderboard() };
  }

  private budgetUsed(): number {
    return this.rows ? this.lanes.reduce((s, l) => s + l.cost, 0) / this.rows : 0;
  }

  record(): TuneRecord {
    const w = this.leader.c;
    return {
      mode: 'halving',
      candidates: this.lanes.length,
      budget: this.tune.budget,
      budgetUsed: this.budgetUsed(),
      rung: this.tune.rung,
      rows: this.rows,
      winner: { id: w.id, label: w.label, config: w.config },
      finished: this.finished,
      leaderboard: this.leaderboard(),
    };
  }

  async lastLoss(): Promise<number> {
    return this.leader.model.lastLoss();
  }

  async state(): Promise<ModelState> {
    return { ...(await this.leader.model.state()), tune: this.record() };
  }

  /** Puts a state back into the leader (the last good state after a divergence). */
  load(state: ModelState): void {
    const { tune: _t, ...rest } = state;
    this.leader.model.load(rest as ModelState);
  }

  async dispose(): Promise<void> {
    for (const l of this.live) await l.model.dispose();
  }
}

function se(l: Lane): number {
  return l.n > 1 ? Math.sqrt(l.m2 / (l.n - 1) / l.n) : Number.POSITIVE_INFINITY;
}

function fmt(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

function lcm(a: number, b: number): number {
  const g = (p: number, q: number): number => (q === 0 ? p : g(q, p % q));
  return (a / g(a, b)) * b;
}

/** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5,
    r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * A racing candidate's slot in a batched block, seen as a Model: what the race asks of its leader
 * (predict, state) goes through a SparseLinearModel rebuilt from the slot's state.
 */
class BlockMember implements Model {
  readonly backendName = 'cpu';
  readonly batchSize = 1;
  constructor(
    private readonly block: BatchedSparseLinear,
    private readonly k: number,
    readonly options: ResolvedModelOptions,
  ) {}
  get kind(): ModelKind {
    return this.options.kind;
  }
  get task(): Task {
    return this.options.task;
  }
  get outputs(): number {
    return this.options.outputs;
  }
  get inputs(): number | null {
    return this.block.inputs;
  }
  get step(): number {
    return this.block.step;
  }
  get adapter(): string {
    return `host (normalized adaptive, per-row sparse; batched with ${this.block.alive - 1} other candidate${this.block.alive === 2 ? '' : 's'})`;
  }
  private alone(): SparseLinearModel {
    const m = new SparseLinearModel(this.options);
    m.load(this.block.state(this.k));
    return m;
  }
  async predict(x: FeatureMatrix): Promise<Float32Array> {
    return this.alone().predict(x);
  }
  async learn(): Promise<void> {
    throw new SchemaError('a batched candidate learns through its block');
  }
  async lastLoss(): Promise<number> {
    return Number.NaN;
  }
  async state(): Promise<ModelState> {
    return this.block.state(this.k);
  }
  load(): void {
    throw new SchemaError('a batched candidate cannot load a state while it races; it can once it has won');
  }
  async dispose(): Promise<void> {
    if (this.block.isAlive(this.k)) this.block.drop(this.k);
  }
}
