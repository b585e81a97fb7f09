import { type FeatureMatrix, SchemaError, SluiceError } from '../core/index.js';
import type { ArfMember, ArfMemberSummary } from './ArfMember.js';
import { ArfRandom } from './ArfRandom.js';
import { ArfWorkerPool } from './ArfWorkerPool.js';
import type { ArfConfig } from './arfConfig.js';
import { arfRunMembers } from './arfRunMembers.js';
import type { TreeRow } from './TreeRow.js';
import { TreeRows } from './TreeRows.js';

/** A forest's summary: sums over its trees (depth: the deepest), foreground trees only. */
export interface ArfSummary {
  trees: number;
  nodes: number;
  leaves: number;
  depth: number;
  /** Warnings (each started a background tree). */
  warnings: number;
  /** Drifts (each replaced a foreground tree). */
  drifts: number;
  /** Background trees learning now. */
  backgroundTrees: number;
  /** Drifts with no background tree: the foreground was replaced by a fresh, empty tree. */
  resets: number;
}

/** Batches below this many rows × trees run on the calling thread even with workers (see testThenTrainParallel). */
export const ARF_PARALLEL_MIN = 4096;

/**
 * What both Adaptive Random Forests share: the tree slots, test-then-train over batches, and
 * their worker threads. The slots live either here or, after a parallel batch, in the workers;
 * a synchronous method (learn, predict, testThenTrain, featureImportances) takes them back first
 * (a synchronous snapshot of the workers' state), toJSON and summary read them where they are.
 */
export abstract class ArfForest<M extends ArfMember> {
  protected members: M[];
  protected readonly random: ArfRandom;
  protected readonly rows: TreeRows;
  protected outs: Float64Array;
  protected weights: Float64Array;
  private pool: ArfWorkerPool | null = null;
  /** The workers' counters (see ArfWorkerPool.stats), while there are workers. */
  get workerStats(): ArfWorkerPool['stats'] | null {
    return this.pool ? this.pool.stats : null;
  }
  private remote = false;
  private busy = false;
  private remoteSummaries: ArfMemberSummary[] = [];
  /** Rows learnt (finite target, positive weight). */
  protected nSeen = 0;

  protected constructor(
    readonly config: ArfConfig,
    /** Outputs per row: the classes, or 1. */
    protected readonly width: number,
  ) {
    this.random = new ArfRandom(config.lambda);
    this.rows = new TreeRows(config.inputs);
    this.members = Array.from({ length: config.trees }, (_, t) => this.makeMember(t));
    this.outs = new Float64Array(config.trees * this.width);
    this.weights = new Float64Array(config.trees);
  }

  protected abstract makeMember(index: number, state?: unknown): M;
  /** Combines the slots' outputs of row i (outs/weights in arfRunMembers' layout) into out[at ..]. */
  protected abstract combine(outs: Float64Array, weights: Float64Array, i: number, out: Float64Array | Float32Array, at: number): void;
  /** Throws when y is not a valid target (finite values only; non-finite ones mean "no label"). */
  protected abstract checkTarget(y: number, where: string): void;

  get seen(): number {
    return this.nSeen;
  }

  get trees(): number {
    return this.config.trees;
  }

  protected learnRow(row: TreeRow, y: number, w: number): void {
    if (!Number.isFinite(y) || !(w > 0) || w === Infinity) return;
    this.checkTarget(y, 'learn');
    this.local();
    const W = this.width,
      outs = this.outs;
    for (let t = 0; t < this.members.length; t++) {
      const m = this.members[t]!;
      m.predict(row, outs, t * W);
      m.learn(row, y, w, outs, t * W);
    }
    this.nSeen++;
  }

  protected predictRow(row: TreeRow, out: Float64Array | Float32Array, at: number): void {
    this.local();
    const W = this.width;
    for (let t = 0; t < this.members.length; t++) this.weights[t] = this.members[t]!.predict(row, this.outs, t * W);
    this.combine(this.outs, this.weights, 0, out, at);
  }

  /**
   * For each row i of m in order: out[i·width ..] = the forest's prediction before row i, then
   * the forest learns row i when its target is finite (and its weight, default 1, positive).
   * The same result as predict + learn row by row.
   */
  testThenTrain(m: FeatureMatrix, out: Float32Array): void {
    this.checkBatch(m, out);
    this.local();
    this.grow(m.rows);
    arfRunMembers(this.members, this.rows, m, this.outs, this.weights);
    this.finish(m, out);
  }

  /**
   * testThenTrain with the trees spread over `workers` worker threads: identical results for a
   * seed (each slot's randomness is its own; the outputs combine in slot order, as serially).
   * With no workers, or while the trees are on this thread and the batch has fewer than
   * ARF_PARALLEL_MIN rows × trees, it runs serially (a round trip costs ~0.1 ms, and moving the
   * trees to the workers costs their serialised state).
   */
  async testThenTrainParallel(m: FeatureMatrix, out: Float32Array): Promise<void> {
    const W = this.config.workers;
    if (W === 0 || (!this.remote && m.rows * this.config.trees < ARF_PARALLEL_MIN)) return this.testThenTrain(m, out);
    this.checkBatch(m, out);
    if (this.busy) throw new SluiceError('ARF_BUSY', 'arf: a parallel batch is still running');
    if (!this.pool) this.pool = new ArfWorkerPool(this.config, Math.min(W, this.config.trees));
    if (!this.remote) {
      this.pool.load(this.members.map((x) => x.toJSON()));
      this.remoteSummaries = this.members.map((x) => x.summary());
      this.remote = true;
    }
    this.grow(m.rows);
    this.busy = true;
    try {
      this.remoteSummaries = await this.pool.run(m, this.outs, this.weights, this.width);
    } finally {
      this.busy = false;
    }
    this.finish(m, out);
  }

  private checkBatch(m: FeatureMatrix, out: Float32Array): void {
    if (m.cols !== this.config.inputs) throw new SchemaError(`arf: the model has ${this.config.inputs} inputs, the batch ${m.cols} columns`);
    if (out.length < m.rows * this.width) throw new SchemaError(`arf: out holds ${out.length} values, the batch needs ${m.rows * this.width}`);
    // Every target is checked before any is learnt: a bad one leaves the forest as it was.
    const ys = m.targets;
    if (ys) for (let i = 0; i < m.rows; i++) if (Number.isFinite(ys[i]!)) this.checkTarget(ys[i]!, `row ${i}`);
  }

  private grow(rows: number): void {
    const n = rows * this.config.trees;
    if (this.weights.length < n) {
      this.weights = new Float64Array(n);
      this.outs = new Float64Array(n * this.width);
    }
  }

  private finish(m: FeatureMatrix, out: Float32Array): void {
    const W = this.width;
    for (let i = 0; i < m.rows; i++) this.combine(this.outs, this.weights, i, out, i * W);
    const ys = m.targets,
      ws = m.weights;
    if (ys)
      for (let i = 0; i < m.rows; i++) {
        const w = ws ? ws[i]! : 1;
        if (Number.isFinite(ys[i]!) && w > 0 && w < Infinity) this.nSeen++;
      }
  }

  /** Brings the slots back from the workers (a synchronous snapshot); the workers keep running but hold stale trees until the next parallel batch reloads them. */
  private local(): void {
    if (this.busy) throw new SluiceError('ARF_BUSY', 'arf: a parallel batch is still running');
    if (!this.remote) return;
    const states = this.pool!.snapshot();
    this.members = states.map((s, t) => this.makeMember(t, s));
    this.remote = false;
  }

  /** The slots' states, from wherever they live. */
  protected memberStates(): unknown[] {
    if (this.busy) throw new SluiceError('ARF_BUSY', 'arf: a parallel batch is still running');
    return this.remote ? this.pool!.snapshot() : this.members.map((m) => m.toJSON());
  }

  summary(): ArfSummary {
    const list = this.remote ? this.remoteSummaries : this.members.map((m) => m.summary());
    const s: ArfSummary = { trees: this.config.trees, nodes: 0, leaves: 0, depth: 0, warnings: 0, drifts: 0, backgroundTrees: 0, resets: 0 };
    for (const m of list) {
      s.nodes += m.nodes;
      s.leaves += m.leaves;
      s.depth = Math.max(s.depth, m.depth);
      s.warnings += m.warnings;
      s.drifts += m.drifts;
      s.backgroundTrees += m.background;
      s.resets += m.resets;
    }
    return s;
  }

  /** Mean over the foreground trees of each tree's importances normalised to sum 1 (`out` has `inputs` entries). */
  featureImportances(out: Float64Array): void {
    this.local();
    out.fill(0);
    const scratch = new Float64Array(this.config.inputs);
    for (const m of this.members) m.addImportances(out, scratch);
    for (let j = 0; j < out.length; j++) out[j] = out[j]! / this.members.length;
  }

  /** Brings the trees back from the workers, then terminates them; the forest goes on serially (a later parallel batch starts new workers). */
  async close(): Promise<void> {
    if (!this.pool) return;
    if (this.remote) this.local();
    const p = this.pool;
    this.pool = null;
    await p.close();
  }
}
