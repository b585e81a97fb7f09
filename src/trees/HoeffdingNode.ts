import { ADWIN, type ADWINState } from '../drift/index.js';
import { GaussianObserver, type GaussianObserverState } from './GaussianObserver.js';

export interface HoeffdingNodeState {
  depth: number;
  /** Class weights: a leaf's prediction (seeded from its parent's split estimate), a split node's at the split. */
  dist: number[];
  /** Split nodes: feature, threshold, merit, the weight the leaf had learned when it split, children. */
  feature?: number;
  threshold?: number;
  merit?: number;
  splitWeight?: number;
  left?: HoeffdingNodeState;
  right?: HoeffdingNodeState;
  /** Leaves: the observer (absent when inactive), adaptive counters, weight at the last split attempt. */
  stats?: GaussianObserverState;
  mcCorrect?: number;
  nbCorrect?: number;
  lastEval?: number;
  /** The features the leaf could split on (kept on split nodes, to show what they drew). */
  subset?: number[];
  /** Hoeffding Adaptive Tree: the node's error monitor and its alternate subtree. */
  adwin?: ADWINState;
  alt?: HoeffdingNodeState;
}

/**
 * One node of a Hoeffding tree, leaf or split (one class for both, so a leaf turns into a split
 * node in place and the tree walk stays monomorphic). A leaf is active while it has an observer
 * (`stats`); an inactive one (pre-pruned, or deactivated by the leaf limit) only counts classes.
 */
export class HoeffdingNode {
  /** −1 for a leaf; a split sends x[feature] ≤ threshold left, else right. */
  feature = -1;
  threshold = 0;
  left: HoeffdingNode | null = null;
  right: HoeffdingNode | null = null;
  merit = 0;
  splitWeight = 0;
  stats: GaussianObserver | null = null;
  /** Weight on which the majority class (mc) and naive Bayes (nb) were right before learning it (MOA's NBAdaptive). */
  mcCorrect = 0;
  nbCorrect = 0;
  /** Observer weight at the last split attempt. */
  lastEval = 0;
  adwin: ADWIN | null = null;
  alt: HoeffdingNode | null = null;

  constructor(
    public depth: number,
    public dist: Float64Array,
    /** The features this leaf may split on (ARF's random subspace), sorted; null = all. */
    public subset: Int32Array | null,
  ) {}

  /** Makes this node a copy of `o` (a Hoeffding Adaptive Tree replacing a subtree by its alternate). */
  assign(o: HoeffdingNode): void {
    this.feature = o.feature;
    this.threshold = o.threshold;
    this.left = o.left;
    this.right = o.right;
    this.merit = o.merit;
    this.splitWeight = o.splitWeight;
    this.stats = o.stats;
    this.mcCorrect = o.mcCorrect;
    this.nbCorrect = o.nbCorrect;
    this.lastEval = o.lastEval;
    this.adwin = o.adwin;
    this.alt = o.alt;
    this.depth = o.depth;
    this.dist = o.dist;
    this.subset = o.subset;
  }

  toJSON(): HoeffdingNodeState {
    const s: HoeffdingNodeState = { depth: this.depth, dist: Array.from(this.dist) };
    if (this.feature >= 0) {
      s.feature = this.feature;
      s.threshold = this.threshold;
      s.merit = this.merit;
      s.splitWeight = this.splitWeight;
      s.left = this.left!.toJSON();
      s.right = this.right!.toJSON();
    } else {
      if (this.stats !== null) s.stats = this.stats.toJSON();
      s.mcCorrect = this.mcCorrect;
      s.nbCorrect = this.nbCorrect;
      s.lastEval = this.lastEval;
    }
    if (this.subset !== null) s.subset = Array.from(this.subset);
    if (this.adwin !== null) s.adwin = this.adwin.toJSON();
    if (this.alt !== null) s.alt = this.alt.toJSON();
    return s;
  }

  static fromJSON(s: HoeffdingNodeState, classes: number, inputs: number): HoeffdingNode {
    const subset = s.subset ? Int32Array.from(s.subset) : null;
    const n = new HoeffdingNode(s.depth, Float64Array.from(s.dist), subset);
    if (s.feature !== undefined && s.feature >= 0) {
      n.feature = s.feature;
      n.threshold = s.threshold ?? 0;
      n.merit = s.merit ?? 0;
      n.splitWeight = s.splitWeight ?? 0;
      n.left = HoeffdingNode.fromJSON(s.left!, classes, inputs);
      n.right = HoeffdingNode.fromJSON(s.right!, classes, inputs);
    } else {
      if (s.stats) n.stats = GaussianObserver.fromJSON(s.stats, classes, inputs, subset);
      n.mcCorrect = s.mcCorrect ?? 0;
      n.nbCorrect = s.nbCorrect ?? 0;
      n.lastEval = s.lastEval ?? 0;
    }
    if (s.adwin) n.adwin = ADWIN.fromJSON(s.adwin);
    if (s.alt) n.alt = HoeffdingNode.fromJSON(s.alt, classes, inputs);
    return n;
  }
}
