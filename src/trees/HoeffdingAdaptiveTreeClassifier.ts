import { OptionReader, SluiceError } from '../core/index.js';
import { ADWIN } from '../drift/index.js';
import type { HoeffdingNode } from './HoeffdingNode.js';
import {
  HoeffdingTreeClassifier,
  type HoeffdingTreeClassifierOptions,
  type HoeffdingTreeClassifierState,
  type TreeSummary,
} from './HoeffdingTreeClassifier.js';
import type { TreeRow } from './TreeRow.js';

export interface HoeffdingAdaptiveTreeClassifierOptions extends HoeffdingTreeClassifierOptions {
  /** δ of each node's ADWIN error monitor (default 0.002, MOA and River). */
  adwinDelta?: number;
}

export interface HoeffdingAdaptiveTreeSummary extends TreeSummary {
  /** Alternate subtrees growing now. */
  alternates: number;
  /** Alternates started since creation (one per detected rise in a node's error). */
  alternatesGrown: number;
  /** Subtrees replaced by their alternate. */
  replacements: number;
  /** Alternates dropped for doing worse than their subtree. */
  prunedAlternates: number;
}

export interface HoeffdingAdaptiveTreeClassifierState extends HoeffdingTreeClassifierState {
  options: Required<HoeffdingAdaptiveTreeClassifierOptions>;
  alternatesGrown: number;
  replacements: number;
  prunedAlternates: number;
}

/** Rows both error windows must hold before a subtree and its alternate are compared (MOA's 300, River's drift_window_threshold). */
const MIN_WINDOW = 300;
/** Confidence of the replace/prune test (MOA and River use 0.05). */
const SWITCH_DELTA = 0.05;

/**
 * The Hoeffding Adaptive Tree, HAT-ADWIN (Bifet & Gavaldà, "Adaptive Learning from Evolving Data
 * Streams", IDA 2009), as MOA's HoeffdingAdaptiveTree and River's HoeffdingAdaptiveTreeClassifier:
 * a Hoeffding tree (same observers, splits and leaf predictors) where every node monitors with an
 * ADWIN the 0/1 error of its subtree's prediction on the rows that reach it (the prediction made
 * before learning the row). When a node's error rises (an ADWIN cut with a higher recent mean) it
 * starts an alternate subtree, a fresh leaf that learns the same rows. Once both error windows
 * hold more than 300 rows, the alternate replaces the subtree when its error is lower by more
 * than the bound sqrt(2 e (1 − e) ln(2/0.05) (1/n_alt + 1/n)), and is dropped when higher by as
 * much. Predictions come from the main tree only.
 *
 * Deviations: a leaf keeps its ADWIN when it turns into a split node (the monitor then follows the
 * subtree at that position; MOA and River start a fresh one); no Poisson(1) bootstrap of the
 * leaves' rows (MOA's and River's default), so the tree stays deterministic under its seed.
 */
export class HoeffdingAdaptiveTreeClassifier extends HoeffdingTreeClassifier {
  readonly adwinDelta: number;
  private alternatesGrown = 0;
  private replacements = 0;
  private prunedAlternates = 0;

  constructor(options: HoeffdingAdaptiveTreeClassifierOptions) {
    super(options, 'hoeffdingAdaptiveTree', ['adwinDelta']);
    const o = new OptionReader('hoeffdingAdaptiveTree', { adwinDelta: options.adwinDelta });
    this.adwinDelta = o.number('adwinDelta', 0.002, 0, 1, '()');
  }

  override options(): Required<HoeffdingAdaptiveTreeClassifierOptions> {
    return { ...super.options(), adwinDelta: this.adwinDelta };
  }

  override learn(row: TreeRow, y: number, w = 1): void {
    this.check(y, w);
    if (w === 0) return;
    if (this.maxFeatures > 0) this.observe(row);
    this.weightSeen += w;
    this.learnFrom(this.root, row, y, w);
    this.tick();
  }

  /** Learns the row in the subtree at `node`: every node on its path updates its error monitor. */
  private learnFrom(node: HoeffdingNode, row: TreeRow, y: number, w: number): void {
    // One prediction serves the whole path: it is the same leaf's.
    const err = this.leafClass(this.sort(node, row), row) === y ? 0 : 1;
    const x = row.x;
    let cur = node;
    for (;;) {
      if (cur.adwin === null) cur.adwin = new ADWIN({ delta: this.adwinDelta });
      const a = cur.adwin,
        before = a.estimate;
      // A cut where the error fell is good news, not a change to adapt to.
      const worse = a.update(err) === 'drift' && !(before > a.estimate);
      if (cur.feature < 0) {
        this.learnLeaf(cur, row, y, w);
        return;
      }
      if (worse) {
        cur.alt = this.newLeaf(cur.depth, new Float64Array(this.classes));
        this.alternatesGrown++;
      } else if (cur.alt !== null && cur.alt.adwin !== null && a.width > MIN_WINDOW && cur.alt.adwin.width > MIN_WINDOW) {
        const e = a.estimate,
          ea = cur.alt.adwin.estimate;
        const bound = Math.sqrt(2 * e * (1 - e) * Math.log(2 / SWITCH_DELTA) * (1 / cur.alt.adwin.width + 1 / a.width));
        if (bound < e - ea) {
          cur.assign(cur.alt);
          this.replacements++;
          this.learnFrom(cur, row, y, w);
          return;
        }
        if (bound < ea - e) {
          cur.alt = null;
          this.prunedAlternates++;
        }
      }
      if (cur.alt !== null) this.learnFrom(cur.alt, row, y, w);
      cur = x[cur.feature]! <= cur.threshold ? cur.left! : cur.right!;
    }
  }

  override summary(): HoeffdingAdaptiveTreeSummary {
    let alternates = 0;
    const walk = (n: HoeffdingNode) => {
      if (n.alt !== null) {
        alternates++;
        walk(n.alt);
      }
      if (n.feature >= 0) {
        walk(n.left!);
        walk(n.right!);
      }
    };
    walk(this.root);
    return {
      ...super.summary(),
      alternates,
      alternatesGrown: this.alternatesGrown,
      replacements: this.replacements,
      prunedAlternates: this.prunedAlternates,
    };
  }

  override toJSON(): HoeffdingAdaptiveTreeClassifierState {
    return {
      ...super.toJSON(),
      kind: 'hoeffdingAdaptiveTree',
      options: this.options(),
      alternatesGrown: this.alternatesGrown,
      replacements: this.replacements,
      prunedAlternates: this.prunedAlternates,
    };
  }

  static override fromJSON(state: HoeffdingAdaptiveTreeClassifierState): HoeffdingAdaptiveTreeClassifier {
    if (state?.kind !== 'hoeffdingAdaptiveTree')
      throw new SluiceError('TREE_STATE', `HoeffdingAdaptiveTreeClassifier.fromJSON: expected kind 'hoeffdingAdaptiveTree', got ${String(state?.kind)}`);
    const t = new HoeffdingAdaptiveTreeClassifier(state.options);
    t.restore(state);
    t.alternatesGrown = state.alternatesGrown;
    t.replacements = state.replacements;
    t.prunedAlternates = state.prunedAlternates;
    return t;
  }
}
