import { OptionReader, Rng, SluiceError, SpecError } from '../core/index.js';
import { FeaturePool } from './FeaturePool.js';
import { GaussianObserver, type SplitCandidate } from './GaussianObserver.js';
import { HoeffdingNode, type HoeffdingNodeState } from './HoeffdingNode.js';
import { hoeffdingBound } from './hoeffdingBound.js';
import type { SplitCriterion } from './splitMerit.js';
import type { TreeRow } from './TreeRow.js';

export interface HoeffdingTreeClassifierOptions {
  /** Number of classes, ≥ 2; labels are 0..classes−1. */
  classes: number;
  /** Width of TreeRow.x, ≥ 1. */
  inputs: number;
  /** Weight a leaf learns between split attempts (default 200, MOA and River). */
  gracePeriod?: number;
  /** δ, one minus the confidence of a split decision (default 1e-7, MOA and River). */
  delta?: number;
  /** τ, the tie threshold: split on the best once ε < τ (default 0.05, MOA and River). */
  tau?: number;
  /** Split criterion (default 'infoGain', MOA and River). */
  criterion?: 'infoGain' | 'gini';
  /** Leaf prediction (default 'adaptive': MOA's NBAdaptive, River's 'nba'). */
  leaf?: 'majority' | 'naiveBayes' | 'adaptive';
  /** Candidate thresholds per numeric feature and split attempt (default 10, MOA's Gaussian observer). */
  bins?: number;
  /** Deepest a leaf may be (the root is depth 0); 0 = unlimited (default). */
  maxDepth?: number;
  /** Most leaves learning at once, 0 = unlimited (default); beyond it the least promising are deactivated. */
  maxLeaves?: number;
  /** Features each new leaf draws at random and may split on, 0 = all (default). */
  maxFeatures?: number;
  /** Seed of the feature draws (default 1). */
  seed?: number;
}

export interface TreeSummary {
  nodes: number;
  leaves: number;
  activeLeaves: number;
  depth: number;
  /** Splits made since the tree was created (those in subtrees replaced since included). */
  splits: number;
}

export interface HoeffdingTreeClassifierState {
  kind: string;
  options: Required<HoeffdingTreeClassifierOptions>;
  seen: number;
  splits: number;
  sinceCheck: number;
  rng: { s: number[]; spare: number | null };
  root: HoeffdingNodeState;
  /** maxFeatures > 0: the features seen non-zero, in order of first sight (the subspace pool). */
  pool?: number[];
}

/** Leaf modes, indexes of LEAF_MODES ('majority' is 0). */
const NAIVE_BAYES = 1,
  ADAPTIVE = 2;
const LEAF_MODES = ['majority', 'naiveBayes', 'adaptive'] as const;
/** Rows between two checks of the leaf limit besides the one after every split (MOA checks every 1M). */
const LIMIT_PERIOD = 100_000;

/**
 * The Hoeffding tree classifier, VFDT (Domingos & Hulten, "Mining High-Speed Data Streams", KDD
 * 2000), as MOA's HoeffdingTree and River's HoeffdingTreeClassifier. Each leaf keeps per-class
 * Gaussian estimators of every feature (GaussianObserver); every `gracePeriod` of weight it
 * scores binary splits x ≤ t at `bins` thresholds per feature, and splits on the best when it
 * beats the second best by the Hoeffding bound ε = sqrt(R² ln(1/δ) / 2n) (R = log2 classes for
 * information gain, 1 for Gini) or when ε < τ. As MOA's pre-pruning, "no split" competes with
 * merit 0: a leaf where it wins by ε is deactivated. Children start from the split's estimated
 * class weights. Leaves predict by majority class, naive Bayes, or (default) whichever of the two
 * was right more often on the leaf's rows before learning them (MOA's NBAdaptive, Gama et al. 2003).
 *
 * All inputs are numbers: categories arrive one-hot (0/1 columns, where the observer's split is
 * the exact binary nominal split, category against the rest) or hashed (±1). A feature absent from
 * a row's nz is 0, and leaves derive those zeros from their class weights, so a leaf costs the
 * features it saw. Naive Bayes uses every feature a leaf saw up to 1024 inputs; beyond, only the
 * row's non-zeros, so that a prediction costs the row (a hashed text row, not 2^18 columns).
 * Memory management follows
 * MOA: with `maxLeaves`, after every split (and every 100k rows) the leaves are ranked by promise
 * (weight seen × error of the majority class) and only the top `maxLeaves` keep observers.
 *
 * Deviations: the bound's n and the pre-split distribution are the leaf's own observed weight
 * (MOA adds the inherited split estimate to both); a leaf that has no candidate split at all
 * waits instead of being deactivated; a feature of only zeros and one value v splits exactly.
 */
export class HoeffdingTreeClassifier {
  readonly classes: number;
  readonly inputs: number;
  readonly gracePeriod: number;
  readonly delta: number;
  readonly tau: number;
  readonly criterion: 'infoGain' | 'gini';
  readonly leaf: 'majority' | 'naiveBayes' | 'adaptive';
  readonly bins: number;
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly maxFeatures: number;
  readonly seed: number;
  protected root: HoeffdingNode;
  protected rng: Rng;
  protected splits = 0;
  protected sinceCheck = 0;
  protected weightSeen = 0;
  private readonly crit: SplitCriterion;
  private readonly mode: number;
  private readonly range: number;
  private readonly lp: Float64Array;
  private readonly cand: SplitCandidate;
  /** With maxFeatures: the features seen non-zero, which leaves draw their subspace from (see FeaturePool). */
  private pool: FeaturePool;
  // The last naive Bayes answer and what it depends on (see nbLogPosterior).
  private nbStats: GaussianObserver | null = null;
  private nbWeight = -1;
  private nbN = -1;
  private nbIdx = new Int32Array(0);
  private nbVal = new Float64Array(0);
  private readonly nbLp: Float64Array;

  constructor(options: HoeffdingTreeClassifierOptions, path = 'hoeffdingTree', extraKeys: readonly string[] = []) {
    const o = new OptionReader(path, options as unknown as Record<string, unknown>);
    const classes = o.int('classes', 0, 2, 1 << 20);
    const inputs = o.int('inputs', 0, 1, 1 << 30);
    if (classes < 2) throw new SpecError(`${path}.classes`, 'required: the number of classes, ≥ 2');
    if (inputs < 1) throw new SpecError(`${path}.inputs`, 'required: the number of inputs, ≥ 1');
    this.classes = classes;
    this.inputs = inputs;
    this.gracePeriod = o.number('gracePeriod', 200, 0, Infinity, '()');
    this.delta = o.number('delta', 1e-7, 0, 1, '()');
    this.tau = o.number('tau', 0.05, 0, Infinity, '[)');
    this.criterion = o.oneOf('criterion', 'infoGain', ['infoGain', 'gini'] as const);
    this.leaf = o.oneOf('leaf', 'adaptive', LEAF_MODES);
    this.bins = o.int('bins', 10, 1, 1 << 16);
    this.maxDepth = o.int('maxDepth', 0, 0);
    this.maxLeaves = o.int('maxLeaves', 0, 0);
    this.maxFeatures = o.int('maxFeatures', 0, 0, inputs);
    this.seed = o.seed('seed', 1);
    for (const k of extraKeys) o.any(k);
    o.done();
    this.crit = this.criterion === 'gini' ? 1 : 0;
    this.mode = LEAF_MODES.indexOf(this.leaf);
    this.range = this.crit === 1 ? 1 : Math.log2(classes);
    this.lp = new Float64Array(classes);
    this.nbLp = new Float64Array(classes);
    this.cand = { feature: -1, threshold: 0, merit: 0, second: 0, left: new Float64Array(classes), right: new Float64Array(classes) };
    this.rng = new Rng(this.seed);
    this.pool = new FeaturePool(inputs);
    this.root = this.newLeaf(0, new Float64Array(classes));
  }

  /** Total weight learned. */
  get seen(): number {
    return this.weightSeen;
  }

  /** The options, defaults filled in. */
  options(): Required<HoeffdingTreeClassifierOptions> {
    return {
      classes: this.classes,
      inputs: this.inputs,
      gracePeriod: this.gracePeriod,
      delta: this.delta,
      tau: this.tau,
      criterion: this.criterion,
      leaf: this.leaf,
      bins: this.bins,
      maxDepth: this.maxDepth,
      maxLeaves: this.maxLeaves,
      maxFeatures: this.maxFeatures,
      seed: this.seed,
    };
  }

  /** Learns one row: y a class index in [0, classes), w ≥ 0 its weight (0 learns nothing). */
  learn(row: TreeRow, y: number, w = 1): void {
    this.check(y, w);
    if (w === 0) return;
    if (this.maxFeatures > 0) this.observe(row);
    this.weightSeen += w;
    this.learnLeaf(this.sort(this.root, row), row, y, w);
    this.tick();
  }

  /** Writes `classes` probabilities into out[at..at+classes): the leaf's prediction (uniform before any row). */
  predictProba(row: TreeRow, out: Float64Array | Float32Array, at = 0): void {
    this.leafProba(this.sort(this.root, row), row, out, at);
  }

  summary(): TreeSummary {
    const s: TreeSummary = { nodes: 0, leaves: 0, activeLeaves: 0, depth: 0, splits: this.splits };
    const walk = (n: HoeffdingNode) => {
      s.nodes++;
      if (n.depth > s.depth) s.depth = n.depth;
      if (n.feature < 0) {
        s.leaves++;
        if (n.stats !== null) s.activeLeaves++;
      } else {
        walk(n.left!);
        walk(n.right!);
      }
    };
    walk(this.root);
    return s;
  }

  /** Adds to out[f], for every split on feature f, its merit × the weight its leaf had learned when it split. */
  featureImportances(out: Float64Array): void {
    const walk = (n: HoeffdingNode) => {
      if (n.feature < 0) return;
      out[n.feature] = out[n.feature]! + n.merit * n.splitWeight;
      walk(n.left!);
      walk(n.right!);
    };
    walk(this.root);
  }

  protected check(y: number, w: number): void {
    if (!(y >= 0 && y < this.classes) || Math.floor(y) !== y)
      throw new SluiceError('TREE_INPUT', `${this.constructor.name}.learn: label must be a class index in 0..${this.classes - 1}, got ${y}`);
    if (!(w >= 0 && w < Infinity)) throw new SluiceError('TREE_INPUT', `${this.constructor.name}.learn: weight must be a finite number ≥ 0, got ${w}`);
  }

  /** Counts a learned row; checks the leaf limit every LIMIT_PERIOD rows. */
  protected tick(): void {
    if (this.maxLeaves > 0 && ++this.sinceCheck >= LIMIT_PERIOD) this.enforceLeafLimit();
  }

  /** The leaf of the subtree at `node` that the row reaches. */
  protected sort(node: HoeffdingNode, row: TreeRow): HoeffdingNode {
    const x = row.x;
    while (node.feature >= 0) node = x[node.feature]! <= node.threshold ? node.left! : node.right!;
    return node;
  }

  protected newLeaf(depth: number, dist: Float64Array): HoeffdingNode {
    const subset = this.drawSubset();
    const n = new HoeffdingNode(depth, dist, subset);
    n.stats = new GaussianObserver(this.classes, this.inputs, subset);
    return n;
  }

  /** Adds the row's non-zero features to the subspace pool; the root, drawn before any row from every input, draws again from them. */
  protected observe(row: TreeRow): void {
    if (this.pool.observe(row) && this.weightSeen === 0 && this.root.feature < 0) this.root = this.newLeaf(0, this.root.dist);
  }

  /** maxFeatures features from the pool, sorted; null when the leaf may use all. */
  private drawSubset(): Int32Array | null {
    return this.pool.draw(this.maxFeatures, this.rng);
  }

  /** Learns the row at a leaf: counts, adaptive bookkeeping, observer, split attempt. */
  protected learnLeaf(leaf: HoeffdingNode, row: TreeRow, y: number, w: number): void {
    const s = leaf.stats;
    if (s === null) {
      leaf.dist[y] = leaf.dist[y]! + w;
      return;
    }
    if (this.mode === ADAPTIVE) {
      if (argmax(leaf.dist, this.classes) === y) leaf.mcCorrect += w;
      this.nbLogPosterior(leaf, row, this.lp);
      if (argmax(this.lp, this.classes) === y) leaf.nbCorrect += w;
    }
    leaf.dist[y] = leaf.dist[y]! + w;
    s.update(row, y, w);
    if (s.weight - leaf.lastEval >= this.gracePeriod && (this.maxDepth === 0 || leaf.depth < this.maxDepth)) {
      leaf.lastEval = s.weight;
      this.attemptSplit(leaf);
    }
  }

  /**
   * log P(c) + Σ log p(x_f | c) at an active leaf, into lp. Test-then-train asks twice for the
   * same row (the prediction, then the adaptive leaf's bookkeeping in learn), so the last answer is
   * kept with what it depends on: the observer, its weight (every learn adds to it) and the row's
   * non-zeros (x is 0 outside nz).
   */
  private nbLogPosterior(leaf: HoeffdingNode, row: TreeRow, lp: Float64Array): void {
    const k = this.classes,
      stats = leaf.stats!,
      n = row.n,
      nz = row.nz,
      x = row.x;
    if (stats === this.nbStats && stats.weight === this.nbWeight && n === this.nbN) {
      const idx = this.nbIdx,
        val = this.nbVal;
      let j = 0;
      while (j < n && nz[j] === idx[j] && x[nz[j]!] === val[j]) j++;
      if (j === n) {
        lp.set(this.nbLp);
        return;
      }
    }
    const dist = leaf.dist;
    let total = 0;
    for (let c = 0; c < k; c++) total += dist[c]!;
    for (let c = 0; c < k; c++) lp[c] = dist[c]! > 0 ? Math.log(dist[c]! / total) : -Infinity;
    stats.logLikelihood(row, lp);
    if (this.nbIdx.length < n) {
      this.nbIdx = new Int32Array(n);
      this.nbVal = new Float64Array(n);
    }
    for (let j = 0; j < n; j++) {
      const f = nz[j]!;
      this.nbIdx[j] = f;
      this.nbVal[j] = x[f]!;
    }
    this.nbStats = stats;
    this.nbWeight = stats.weight;
    this.nbN = n;
    this.nbLp.set(lp.subarray(0, k));
  }

  /** The leaf's class probabilities into out[at..). */
  protected leafProba(leaf: HoeffdingNode, row: TreeRow, out: Float64Array | Float32Array, at: number): void {
    const k = this.classes,
      dist = leaf.dist;
    let total = 0;
    for (let c = 0; c < k; c++) total += dist[c]!;
    if (total <= 0) {
      for (let c = 0; c < k; c++) out[at + c] = 1 / k;
      return;
    }
    if (leaf.stats !== null && (this.mode === NAIVE_BAYES || (this.mode === ADAPTIVE && !(leaf.mcCorrect > leaf.nbCorrect)))) {
      const lp = this.lp;
      this.nbLogPosterior(leaf, row, lp);
      let m = -Infinity;
      for (let c = 0; c < k; c++) if (lp[c]! > m) m = lp[c]!;
      if (m > -Infinity) {
        let z = 0;
        for (let c = 0; c < k; c++) {
          const e = Math.exp(lp[c]! - m);
          lp[c] = e;
          z += e;
        }
        for (let c = 0; c < k; c++) out[at + c] = lp[c]! / z;
        return;
      }
    }
    for (let c = 0; c < k; c++) out[at + c] = dist[c]! / total;
  }

  /** The class the leaf predicts (first of the most probable). */
  protected leafClass(leaf: HoeffdingNode, row: TreeRow): number {
    this.leafProba(leaf, row, this.lp, 0);
    return argmax(this.lp, this.classes);
  }

  private attemptSplit(leaf: HoeffdingNode): void {
    const s = leaf.stats!,
      k = this.classes;
    let present = 0;
    for (let c = 0; c < k; c++) if (s.totals[c]! > 0) present++;
    if (present < 2) return;
    const cand = this.cand;
    s.bestSplit(this.crit, this.bins, cand);
    if (cand.feature < 0 || cand.merit === -Infinity) return;
    const eps = hoeffdingBound(this.range, this.delta, s.weight);
    // The "no split" candidate has merit 0 (MOA's pre-pruning).
    const splitWins = cand.merit > 0;
    const best = splitWins ? cand.merit : 0,
      second = splitWins ? Math.max(cand.second, 0) : cand.merit;
    if (!(best - second > eps || eps < this.tau)) return;
    if (!splitWins) {
      leaf.stats = null;
      return;
    }
    leaf.feature = cand.feature;
    leaf.threshold = cand.threshold;
    leaf.merit = cand.merit;
    leaf.splitWeight = s.weight;
    leaf.left = this.newLeaf(leaf.depth + 1, Float64Array.from(cand.left));
    leaf.right = this.newLeaf(leaf.depth + 1, Float64Array.from(cand.right));
    leaf.stats = null;
    leaf.mcCorrect = 0;
    leaf.nbCorrect = 0;
    this.splits++;
    if (this.maxLeaves > 0) this.enforceLeafLimit();
  }

  /**
   * MOA's memory management (enforceTrackerLimit): leaves ranked by promise, the weight they have
   * counted minus that of their majority class; the top maxLeaves learn, the rest only count.
   */
  protected enforceLeafLimit(): void {
    this.sinceCheck = 0;
    const leaves: HoeffdingNode[] = [];
    const walk = (n: HoeffdingNode) => {
      if (n.feature < 0) leaves.push(n);
      else {
        walk(n.left!);
        walk(n.right!);
      }
      if (n.alt !== null) walk(n.alt);
    };
    walk(this.root);
    const k = this.classes;
    const promise = leaves.map((n) => {
      let t = 0,
        m = 0;
      for (let c = 0; c < k; c++) {
        t += n.dist[c]!;
        if (n.dist[c]! > m) m = n.dist[c]!;
      }
      return t - m;
    });
    const order = leaves.map((_, i) => i).sort((a, b) => promise[b]! - promise[a]!);
    order.forEach((i, rank) => {
      const n = leaves[i]!;
      if (rank < this.maxLeaves) {
        if (n.stats === null) {
          n.stats = new GaussianObserver(k, this.inputs, n.subset);
          n.lastEval = 0;
          n.mcCorrect = 0;
          n.nbCorrect = 0;
        }
      } else n.stats = null;
    });
  }

  toJSON(): HoeffdingTreeClassifierState {
    return {
      kind: 'hoeffdingTree',
      options: this.options(),
      seen: this.weightSeen,
      splits: this.splits,
      sinceCheck: this.sinceCheck,
      rng: this.rng.toJSON(),
      root: this.root.toJSON(),
      ...(this.maxFeatures > 0 ? { pool: this.pool.toJSON() } : {}),
    };
  }

  /** Restores the state fields into a tree built from the state's options. */
  protected restore(state: HoeffdingTreeClassifierState): void {
    this.weightSeen = state.seen;
    this.splits = state.splits;
    this.sinceCheck = state.sinceCheck;
    this.rng = Rng.fromJSON(state.rng);
    this.root = HoeffdingNode.fromJSON(state.root, this.classes, this.inputs);
    this.pool = FeaturePool.fromJSON(this.inputs, state.pool);
  }

  static fromJSON(state: HoeffdingTreeClassifierState): HoeffdingTreeClassifier {
    if (state?.kind !== 'hoeffdingTree')
      throw new SluiceError('TREE_STATE', `HoeffdingTreeClassifier.fromJSON: expected kind 'hoeffdingTree', got ${String(state?.kind)}`);
    const t = new HoeffdingTreeClassifier(state.options);
    t.restore(state);
    return t;
  }
}

/** Index of the first largest of a[0..k). */
function argmax(a: Float64Array, k: number): number {
  let b = 0,
    m = a[0]!;
  for (let c = 1; c < k; c++)
    if (a[c]! > m) {
      m = a[c]!;
      b = c;
    }
  return b;
}
