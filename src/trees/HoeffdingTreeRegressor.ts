import { OptionReader, Rng, SpecError } from '../core/index.js';
import { ADWIN, type ADWINState } from '../drift/index.js';
import type { EbstSplit } from './EbstObserver.js';
import { FeaturePool } from './FeaturePool.js';
import { LeafLinearModel } from './LeafLinearModel.js';
import { RegressionLeaf, type RegressionLeafState } from './RegressionLeaf.js';
import { RegressionScaler, type RegressionScalerState } from './RegressionScaler.js';
import type { TreeRow } from './TreeRow.js';

export interface HoeffdingTreeRegressorOptions {
  /** Width of TreeRow.x (≥ 1). */
  inputs: number;
  /** Weight a leaf learns between split attempts (default 200, River's). */
  gracePeriod?: number;
  /** Split confidence δ of the Hoeffding bound (default 1e-7, River's). */
  delta?: number;
  /** Tie threshold τ: split anyway once the bound is below it (default 0.05, River's). */
  tau?: number;
  /** Leaf predictor: the target mean, a linear model, or whichever has the lower running error (default 'adaptive', River's). */
  leaf?: 'mean' | 'linear' | 'adaptive';
  /** Fraction of the error the linear leaf's normalized LMS step removes, in (0, 1] (default 0.1). */
  leafLr?: number;
  /** Deepest level a split may create; 0 = unlimited (default). */
  maxDepth?: number;
  /** Most leaves kept learning splits (the least promising are deactivated); 0 = unlimited (default). */
  maxLeaves?: number;
  /** Features each new leaf draws at random to split on (ARF's random subspace); 0 = all (default). */
  maxFeatures?: number;
  /** Hoeffding Adaptive Tree regression (ADWIN per node, alternate subtrees; default false). */
  adaptive?: boolean;
  /** δ of each node's ADWIN when adaptive (default 0.002, MOA's and River's). */
  adwinDelta?: number;
  /** Seed of the subspace draws (default 1). */
  seed?: number;
}

/** Same shape as the classifier's TreeSummary. */
export interface RegressionTreeSummary {
  nodes: number;
  leaves: number;
  activeLeaves: number;
  depth: number;
  splits: number;
}

interface ResolvedOptions {
  inputs: number;
  gracePeriod: number;
  delta: number;
  tau: number;
  leaf: 'mean' | 'linear' | 'adaptive';
  leafLr: number;
  maxDepth: number;
  maxLeaves: number;
  maxFeatures: number;
  adaptive: boolean;
  adwinDelta: number;
  seed: number;
}

interface SplitState {
  leaf: false;
  depth: number;
  feature: number;
  threshold: number;
  merit: number;
  weight: number;
  left: NodeState;
  right: NodeState;
  adwin: ADWINState | null;
  alt: NodeState | null;
}

type NodeState = SplitState | RegressionLeafState;

export interface HoeffdingTreeRegressorState {
  kind: 'hoeffdingTreeRegressor';
  options: ResolvedOptions;
  /** maxFeatures > 0: the features seen non-zero, in order of first sight (the subspace pool). */
  pool?: number[];
  seen: number;
  offset: number;
  splits: number;
  alternates: number;
  replacements: number;
  prunedAlternates: number;
  rng: ReturnType<Rng['toJSON']>;
  scaler: RegressionScalerState | null;
  root: NodeState;
}

/** A decision node: rows with x[feature] ≤ threshold go left. */
class RegressionSplit {
  readonly isLeaf = false;
  /** The adaptive tree's ADWIN on this node's normalized errors, and its alternate subtree. */
  adwin: ADWIN | null = null;
  alt: Node | null = null;
  constructor(
    readonly depth: number,
    readonly feature: number,
    readonly threshold: number,
    /** Variance reduction of the split and the weight it was measured on (feature importance). */
    readonly merit: number,
    readonly weight: number,
    public left: Node,
    public right: Node,
  ) {}
}

type Node = RegressionSplit | RegressionLeaf;

/** River's min_samples_split: each side of a split needs this much weight. */
const MIN_SPLIT_WEIGHT = 5;
/** Fading factor of the adaptive leaf's running errors (River's model_selector_decay). */
const DECAY = 0.95;
/** Adaptive tree: rows both a node's and its alternate's ADWIN must hold before they are compared (River's drift_window_threshold). */
const SWITCH_WIDTH = 300;
/** Adaptive tree: significance of the switch/prune test (River's and MOA's 0.05). */
const SWITCH_DELTA = 0.05;

/**
 * Hoeffding tree regressor: FIMT-DD without its change detection (Ikonomovska, Gama & Džeroski,
 * "Learning model trees from evolving data streams", DMKD 2011), as River's HoeffdingTreeRegressor.
 * Each leaf scores every threshold `x ≤ t` of every feature by variance reduction, with an E-BST
 * observer per feature (EbstObserver), every `gracePeriod` weight. With the best merit b and the
 * second best feature's s (0 when no other feature can split: River's null split), the leaf splits
 * when s / b < 1 − ε or ε < τ, ε = sqrt(ln(1/δ) / 2n) the Hoeffding bound of range 1 on the
 * ratio (River's choice; the ratio makes it scale-free), n the weight the leaf observed; each side
 * must hold weight ≥ 5 (River's min_samples_split). Children start from their side's target
 * statistics and a copy of the parent's linear model, as River does.
 *
 * Leaves predict the weighted target mean, a linear model (LeafLinearModel, normalized LMS in the
 * standardized space of RegressionScaler: scale-free, no tuning), or ('adaptive', River's default)
 * whichever of the two has the lower faded absolute error (River fades squared errors with 0.95;
 * absolute errors are kinder to heavy tails). Defaults follow River (grace period 200, δ 1e-7,
 * τ 0.05). Implicit zeros: only a row's `nz` features are observed, zeros never are, so dense
 * and sparse rows give identical trees. Targets are stored shifted by the first target seen, so
 * large offsets (a target of 1e6 ± 1) keep their precision in the sums.
 *
 * maxLeaves follows MOA's memory management in spirit: after each split, the `maxLeaves` leaves
 * with the largest squared error around their mean keep learning splits, the others are
 * deactivated (they keep learning their predictors) and may be reactivated later.
 *
 * `adaptive: true` is the Hoeffding Adaptive Tree (Bifet & Gavaldà, "Adaptive learning from
 * evolving data streams", IDA 2009) for regression, as River's HoeffdingAdaptiveTreeRegressor:
 * every node keeps an ADWIN on the absolute error of the leaf its rows reach, normalized to
 * [0, 1] as min(1, |e| / 3σ) with σ the tree's running target std (River normalizes per node by
 * the error's own mean ± 3 sd; a fixed scale keeps a rise in error visible). When a split node's
 * ADWIN detects a change in which the error rose, it grows an alternate subtree (a new leaf, as
 * in MOA, only when it has none); once both ADWINs hold > 300 rows, the alternate replaces the
 * node when its error is lower by more than sqrt(2 p (1 − p) ln(2/0.05) (1/n₁ + 1/n₂)), p the
 * node's error, and is dropped when higher by as much. Predictions use the main tree only; no
 * bootstrap weighting (River's default bootstrap_sampling is off here, as in MOA).
 */
export class HoeffdingTreeRegressor {
  readonly inputs: number;
  readonly gracePeriod: number;
  readonly delta: number;
  readonly tau: number;
  readonly leaf: 'mean' | 'linear' | 'adaptive';
  readonly leafLr: number;
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly maxFeatures: number;
  readonly adaptive: boolean;
  readonly adwinDelta: number;
  readonly seed: number;
  private _alternates = 0;
  private _replacements = 0;
  private _pruned = 0;
  private _seen = 0;
  private offset = 0;
  private splits = 0;
  private rng: Rng;
  private scaler: RegressionScaler | null;
  private root: Node;
  private readonly res: EbstSplit = { merit: 0, threshold: 0, leftW: 0, leftS: 0, rightW: 0, rightS: 0 };
  private readonly best: EbstSplit = { merit: 0, threshold: 0, leftW: 0, leftS: 0, rightW: 0, rightS: 0 };
  /** With maxFeatures: the features seen non-zero, which leaves draw their subspace from (see FeaturePool). */
  private pool: FeaturePool;

  constructor(options: HoeffdingTreeRegressorOptions) {
    const o = new OptionReader('hoeffdingTreeRegressor', options as unknown as Record<string, unknown>);
    const inputs = o.any('inputs');
    if (typeof inputs !== 'number' || !Number.isInteger(inputs) || inputs < 1)
      throw new SpecError('hoeffdingTreeRegressor.inputs', `expected an integer ≥ 1, got ${String(inputs)}`);
    this.inputs = inputs;
    this.gracePeriod = o.number('gracePeriod', 200, 0, Infinity, '()');
    this.delta = o.number('delta', 1e-7, 0, 1, '()');
    this.tau = o.number('tau', 0.05, 0, 1, '[]');
    this.leaf = o.oneOf('leaf', 'adaptive', ['mean', 'linear', 'adaptive'] as const);
    this.leafLr = o.number('leafLr', 0.1, 0, 1, '(]');
    this.maxDepth = o.int('maxDepth', 0, 0);
    this.maxLeaves = o.int('maxLeaves', 0, 0);
    this.maxFeatures = o.int('maxFeatures', 0, 0);
    this.adaptive = o.bool('adaptive', false);
    this.adwinDelta = o.number('adwinDelta', 0.002, 0, 1, '()');
    this.seed = o.seed('seed', 1);
    o.done();
    this.rng = new Rng(this.seed);
    // Mean leaves need no scaler, unless the adaptive tree needs the target's std.
    this.scaler = this.leaf === 'mean' && !this.adaptive ? null : new RegressionScaler(inputs);
    this.pool = new FeaturePool(inputs);
    this.root = this.newLeaf(0, 0, 0, this.leaf === 'mean' ? null : new LeafLinearModel(inputs));
  }

  /** Adaptive tree: alternate subtrees started. */
  get alternates(): number {
    return this._alternates;
  }

  /** Adaptive tree: alternates that replaced their node. */
  get replacements(): number {
    return this._replacements;
  }

  /** Adaptive tree: alternates dropped for doing worse than their node. */
  get prunedAlternates(): number {
    return this._pruned;
  }

  /** Total weight learned. */
  get seen(): number {
    return this._seen;
  }

  /** Learns one row with target y (finite) and weight w ≥ 0 (0 = nothing learned). */
  learn(row: TreeRow, y: number, w = 1): void {
    if (!Number.isFinite(y)) throw new RangeError(`HoeffdingTreeRegressor.learn: the target must be finite, got ${y}`);
    if (!(w >= 0) || w === Infinity) throw new RangeError(`HoeffdingTreeRegressor.learn: the weight must be finite and ≥ 0, got ${w}`);
    if (w === 0) return;
    if (this.maxFeatures > 0) this.observe(row);
    if (this._seen === 0) this.offset = y;
    this._seen += w;
    const yc = y - this.offset;
    if (this.scaler !== null) this.scaler.update(row.x, row.nz, row.n, yc, w);
    if (this.adaptive) {
      const root = this.root;
      this.learnAt(root, row, yc, w, Math.abs(yc - this.leafValue(this.sort(root, row.x), row)));
      return;
    }
    this.learnLeaf(this.sort(this.root, row.x), row, yc, w);
  }

  /** The leaf a row reaches from node. */
  private sort(node: Node, x: Float64Array): RegressionLeaf {
    while (!node.isLeaf) node = x[node.feature]! <= node.threshold ? node.left : node.right;
    return node;
  }

  /** A leaf's prediction, shifted by the offset. */
  private leafValue(leaf: RegressionLeaf, row: TreeRow): number {
    const mean = leaf.w > 0 ? leaf.s / leaf.w : 0;
    if (leaf.model === null || (this.leaf === 'adaptive' && leaf.errMean < leaf.errLin)) return mean;
    const sc = this.scaler!;
    return sc.mean + sc.std() * leaf.model.predictZ(row.x, row.nz, row.n, sc);
  }

  /** Learns a row at its leaf (the scaler has already seen it). */
  private learnLeaf(leaf: RegressionLeaf, row: TreeRow, yc: number, w: number): void {
    const x = row.x,
      nz = row.nz,
      n = row.n,
      model = leaf.model;
    if (model !== null) {
      const sc = this.scaler!;
      const std = sc.std(),
        zp = model.predictZ(x, nz, n, sc),
        zy = (yc - sc.mean) / std;
      if (this.leaf === 'adaptive') {
        const pm = leaf.w > 0 ? leaf.s / leaf.w : 0;
        leaf.errMean = DECAY * leaf.errMean + w * Math.abs(yc - pm);
        leaf.errLin = DECAY * leaf.errLin + w * Math.abs(zy - zp) * std;
      }
      model.learn(x, nz, n, sc, zy - zp, this.leafLr, w);
    }
    const wy = w * yc;
    leaf.w += w;
    leaf.s += wy;
    leaf.lw += w;
    leaf.ls += wy;
    leaf.lss += wy * yc;
    if (leaf.obsArr === null && leaf.obsMap === null) return;
    leaf.observe(x, nz, n, w, wy);
    if (leaf.ow - leaf.lastAttempt >= this.gracePeriod) this.attemptSplit(leaf);
  }

  /**
   * Adaptive tree: learns a row in node's subtree; e is the absolute error of the leaf the row
   * reaches in that subtree (before learning), which every node on the path monitors.
   */
  private learnAt(node: Node, row: TreeRow, yc: number, w: number, e: number): void {
    const err = Math.min(1, e / (3 * this.scaler!.std()));
    if (node.isLeaf) {
      node.adwin!.update(err);
      this.learnLeaf(node, row, yc, w);
      return;
    }
    const ad = node.adwin!,
      before = ad.width > 0 ? ad.estimate : 0;
    // A change counts only when the error rose (Bifet & Gavaldà 2009).
    const rose = ad.update(err) === 'drift' && ad.estimate > before;
    if (rose && node.alt === null) {
      node.alt = this.newLeaf(node.depth, 0, 0, this.leaf === 'mean' ? null : new LeafLinearModel(this.inputs));
      this._alternates++;
    } else if (node.alt !== null) {
      const alt = node.alt.adwin!;
      if (ad.width > SWITCH_WIDTH && alt.width > SWITCH_WIDTH) {
        const p = ad.estimate,
          q = alt.estimate,
          bound = Math.sqrt(2 * p * (1 - p) * Math.log(2 / SWITCH_DELTA) * (1 / alt.width + 1 / ad.width));
        if (bound < p - q) {
          const by = node.alt;
          this.replace(node, by);
          this._replacements++;
          this.learnAt(by, row, yc, w, Math.abs(yc - this.leafValue(this.sort(by, row.x), row)));
          return;
        }
        if (bound < q - p) {
          node.alt = null;
          this._pruned++;
        }
      }
    }
    if (node.alt !== null) this.learnAt(node.alt, row, yc, w, Math.abs(yc - this.leafValue(this.sort(node.alt, row.x), row)));
    this.learnAt(row.x[node.feature]! <= node.threshold ? node.left : node.right, row, yc, w, e);
  }

  /** The prediction for one row (0 before any row). Never changes state. */
  predict(row: TreeRow): number {
    if (this._seen === 0) return 0;
    return this.offset + this.leafValue(this.sort(this.root, row.x), row);
  }

  private attemptSplit(leaf: RegressionLeaf): void {
    leaf.lastAttempt = leaf.ow;
    const W = leaf.ow,
      S = leaf.os,
      res = this.res,
      best = this.best,
      feats = leaf.obsFeatures,
      list = leaf.obsList;
    let bestF = -1,
      second = 0;
    best.merit = -Infinity;
    for (let k = 0; k < list.length; k++) {
      list[k]!.bestSplit(W, S, MIN_SPLIT_WEIGHT, res);
      const m = res.merit;
      if (m === -Infinity) continue;
      const f = feats[k]!;
      // Ties go to the lower feature index, so the order observers were created in does not matter.
      if (m > best.merit || (m === best.merit && f < bestF)) {
        if (best.merit > second) second = best.merit;
        bestF = f;
        best.merit = m;
        best.threshold = res.threshold;
        best.leftW = res.leftW;
        best.leftS = res.leftS;
        best.rightW = res.rightW;
        best.rightS = res.rightS;
      } else if (m > second) second = m;
    }
    if (bestF < 0 || !(best.merit > 0)) return;
    const eps = Math.sqrt(Math.log(1 / this.delta) / (2 * W));
    if (!(second / best.merit < 1 - eps || eps < this.tau)) return;
    this.split(leaf, bestF);
  }

  private split(leaf: RegressionLeaf, feature: number): void {
    const b = this.best,
      d = leaf.depth + 1;
    const left = this.newLeaf(d, b.leftW, b.leftS, leaf.model === null ? null : leaf.model.clone());
    const right = this.newLeaf(d, b.rightW, b.rightS, leaf.model === null ? null : leaf.model.clone());
    const s = new RegressionSplit(leaf.depth, feature, b.threshold, b.merit, leaf.ow, left, right);
    if (this.adaptive) s.adwin = new ADWIN({ delta: this.adwinDelta });
    this.replace(leaf, s);
    this.splits++;
    if (this.maxLeaves > 0) this.limitLeaves();
  }

  private newLeaf(depth: number, w: number, s: number, model: LeafLinearModel | null): RegressionLeaf {
    const l = new RegressionLeaf(this.inputs, depth, w, s, model, this.drawSubspace());
    if (this.maxDepth === 0 || depth < this.maxDepth) l.activate();
    if (this.adaptive) l.adwin = new ADWIN({ delta: this.adwinDelta });
    return l;
  }

  /** Adds the row's non-zero features to the subspace pool; the root, drawn before any row from every input, draws again from them. */
  private observe(row: TreeRow): void {
    if (this.pool.observe(row) && this._seen === 0 && this.root.isLeaf)
      this.root = this.newLeaf(0, 0, 0, this.leaf === 'mean' ? null : new LeafLinearModel(this.inputs));
  }

  /** maxFeatures features from the pool, ascending; null when that is every feature in use. */
  private drawSubspace(): Int32Array | null {
    return this.pool.draw(this.maxFeatures, this.rng);
  }

  private replace(old: Node, by: Node): void {
    if (this.root === old) {
      this.root = by;
      return;
    }
    const stack: RegressionSplit[] = [];
    if (!this.root.isLeaf) stack.push(this.root);
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (s.left === old) {
        s.left = by;
        return;
      }
      if (s.right === old) {
        s.right = by;
        return;
      }
      if (s.alt === old) {
        s.alt = by;
        return;
      }
      if (!s.left.isLeaf) stack.push(s.left);
      if (!s.right.isLeaf) stack.push(s.right);
      if (s.alt !== null && !s.alt.isLeaf) stack.push(s.alt);
    }
  }

  /** Leaves in left-to-right order. */
  private leaves(): RegressionLeaf[] {
    const out: RegressionLeaf[] = [];
    const walk = (n: Node): void => {
      if (n.isLeaf) out.push(n);
      else {
        walk(n.left);
        walk(n.right);
      }
    };
    walk(this.root);
    return out;
  }

  /** Keeps the maxLeaves most promising splittable leaves active (ties: left to right). */
  private limitLeaves(): void {
    const all = this.leaves().filter((l) => this.maxDepth === 0 || l.depth < this.maxDepth);
    if (all.length <= this.maxLeaves) return;
    const ranked = all.map((l, i) => ({ l, i, p: l.promise() })).sort((a, b) => b.p - a.p || a.i - b.i);
    for (let r = 0; r < ranked.length; r++) {
      const l = ranked[r]!.l;
      if (r < this.maxLeaves) {
        if (!l.active) l.activate();
      } else if (l.active) l.deactivate();
    }
  }

  summary(): RegressionTreeSummary {
    let nodes = 0,
      leaves = 0,
      active = 0,
      depth = 0;
    const walk = (n: Node): void => {
      nodes++;
      if (n.isLeaf) {
        leaves++;
        if (n.active) active++;
        if (n.depth > depth) depth = n.depth;
      } else {
        walk(n.left);
        walk(n.right);
      }
    };
    walk(this.root);
    return { nodes, leaves, activeLeaves: active, depth, splits: this.splits };
  }

  /** Adds each split's variance reduction × the weight it was measured on to out[feature]. */
  featureImportances(out: Float64Array): void {
    const walk = (n: Node): void => {
      if (n.isLeaf) return;
      out[n.feature] = out[n.feature]! + n.merit * n.weight;
      walk(n.left);
      walk(n.right);
    };
    walk(this.root);
  }

  toJSON(): HoeffdingTreeRegressorState {
    const node = (n: Node): NodeState =>
      n.isLeaf
        ? n.toJSON()
        : {
            leaf: false,
            depth: n.depth,
            feature: n.feature,
            threshold: n.threshold,
            merit: n.merit,
            weight: n.weight,
            left: node(n.left),
            right: node(n.right),
            adwin: n.adwin === null ? null : n.adwin.toJSON(),
            alt: n.alt === null ? null : node(n.alt),
          };
    return {
      kind: 'hoeffdingTreeRegressor',
      options: {
        inputs: this.inputs,
        gracePeriod: this.gracePeriod,
        delta: this.delta,
        tau: this.tau,
        leaf: this.leaf,
        leafLr: this.leafLr,
        maxDepth: this.maxDepth,
        maxLeaves: this.maxLeaves,
        maxFeatures: this.maxFeatures,
        adaptive: this.adaptive,
        adwinDelta: this.adwinDelta,
        seed: this.seed,
      },
      seen: this._seen,
      offset: this.offset,
      splits: this.splits,
      alternates: this.alternates,
      replacements: this.replacements,
      prunedAlternates: this.prunedAlternates,
      rng: this.rng.toJSON(),
      scaler: this.scaler === null ? null : this.scaler.toJSON(),
      root: node(this.root),
      ...(this.maxFeatures > 0 ? { pool: this.pool.toJSON() } : {}),
    };
  }

  static fromJSON(state: HoeffdingTreeRegressorState): HoeffdingTreeRegressor {
    if (state === null || typeof state !== 'object' || state.kind !== 'hoeffdingTreeRegressor')
      throw new SpecError('hoeffdingTreeRegressor', 'not a HoeffdingTreeRegressor state');
    const t = new HoeffdingTreeRegressor(state.options);
    const inputs = t.inputs;
    t._seen = state.seen;
    t.offset = state.offset;
    t.splits = state.splits;
    t._alternates = state.alternates;
    t._replacements = state.replacements;
    t._pruned = state.prunedAlternates;
    t.rng = Rng.fromJSON(state.rng);
    if (state.scaler !== null) t.scaler = RegressionScaler.fromJSON(inputs, state.scaler);
    const node = (s: NodeState): Node => {
      if (s.leaf) return RegressionLeaf.fromJSON(inputs, s);
      const n = new RegressionSplit(s.depth, s.feature, s.threshold, s.merit, s.weight, node(s.left), node(s.right));
      n.adwin = s.adwin === null ? null : ADWIN.fromJSON(s.adwin);
      n.alt = s.alt === null ? null : node(s.alt);
      return n;
    };
    t.root = node(state.root);
    t.pool = FeaturePool.fromJSON(inputs, state.pool);
    return t;
  }
}
