import { Rng } from '../core/index.js';
import { ADWIN, type ADWINState } from '../drift/index.js';
import type { ArfMember, ArfMemberSummary } from './ArfMember.js';
import { ArfRandom } from './ArfRandom.js';
import type { ArfConfig } from './arfConfig.js';
import { HoeffdingTreeClassifier, type HoeffdingTreeClassifierOptions, type HoeffdingTreeClassifierState } from './HoeffdingTreeClassifier.js';
import type { TreeRow } from './TreeRow.js';

export interface ArfClassifierMemberState {
  rng: ReturnType<Rng['toJSON']>;
  tree: HoeffdingTreeClassifierState;
  background: HoeffdingTreeClassifierState | null;
  warning: ADWINState;
  drift: ADWINState;
  correct: number;
  seen: number;
  warnings: number;
  drifts: number;
  resets: number;
}

/**
 * A classification tree slot of the ARF. Each labelled row: the tree's class (argmax of its
 * probabilities before learning) scores its accuracy since it was created (the vote weight, as
 * MOA) and gives the 0/1 error fed to both ADWINs, whatever the Poisson weight (MOA and River test
 * after training, when k > 0); the tree, and the background tree if any, learn the row with
 * weight k·w, k ~ Poisson(λ). A warning starts a fresh background tree (replacing one already
 * there, as MOA and River); a drift puts the background tree in front (or a fresh tree when there
 * is none), with new detectors and accuracy.
 */
export class ArfClassifierMember implements ArfMember {
  readonly width: number;
  private rng: Rng;
  private tree: HoeffdingTreeClassifier;
  private background: HoeffdingTreeClassifier | null = null;
  private warning: ADWIN;
  private drift: ADWIN;
  private correct = 0;
  private seen = 0;
  private warnings = 0;
  private drifts = 0;
  private resets = 0;

  constructor(
    private readonly config: ArfConfig,
    private readonly random: ArfRandom,
    index: number,
    state?: ArfClassifierMemberState,
  ) {
    this.width = config.classes;
    if (state) {
      this.rng = Rng.fromJSON(state.rng);
      this.tree = HoeffdingTreeClassifier.fromJSON(state.tree);
      this.background = state.background ? HoeffdingTreeClassifier.fromJSON(state.background) : null;
      this.warning = ADWIN.fromJSON(state.warning);
      this.drift = ADWIN.fromJSON(state.drift);
      this.correct = state.correct;
      this.seen = state.seen;
      this.warnings = state.warnings;
      this.drifts = state.drifts;
      this.resets = state.resets;
    } else {
      this.rng = ArfRandom.slotRng(config.seed, index);
      this.tree = this.newTree();
      this.warning = new ADWIN({ delta: config.warningDelta });
      this.drift = new ADWIN({ delta: config.driftDelta });
    }
  }

  private newTree(): HoeffdingTreeClassifier {
    const c = this.config;
    return new HoeffdingTreeClassifier({
      classes: c.classes,
      inputs: c.inputs,
      gracePeriod: c.gracePeriod,
      delta: c.delta,
      tau: c.tau,
      leaf: c.leaf as HoeffdingTreeClassifierOptions['leaf'],
      criterion: c.criterion,
      maxDepth: c.maxDepth,
      maxLeaves: c.maxLeaves,
      maxFeatures: c.maxFeatures,
      seed: this.rng.nextUint32(),
    });
  }

  predict(row: TreeRow, out: Float64Array, at: number): number {
    this.tree.predictProba(row, out, at);
    return this.seen > 0 ? this.correct / this.seen : 0;
  }

  learn(row: TreeRow, y: number, w: number, out: Float64Array, at: number): void {
    const C = this.width;
    let best = 0,
      bp = out[at]!;
    for (let c = 1; c < C; c++) {
      const p = out[at + c]!;
      if (p > bp) {
        bp = p;
        best = c;
      }
    }
    const err = best === y ? 0 : 1;
    this.correct += 1 - err;
    this.seen++;
    const k = this.random.poisson(this.rng);
    if (k > 0) {
      this.tree.learn(row, y, k * w);
      this.background?.learn(row, y, k * w);
    }
    if (this.warning.update(err) === 'drift') {
      this.background = this.newTree();
      this.warning.reset();
      this.warnings++;
    }
    if (this.drift.update(err) === 'drift') {
      if (this.background) {
        this.tree = this.background;
        this.background = null;
      } else {
        this.tree = this.newTree();
        this.resets++;
      }
      this.warning.reset();
      this.drift.reset();
      this.correct = 0;
      this.seen = 0;
      this.drifts++;
    }
  }

  summary(): ArfMemberSummary {
    const s = this.tree.summary();
    return {
      nodes: s.nodes,
      leaves: s.leaves,
      depth: s.depth,
      warnings: this.warnings,
      drifts: this.drifts,
      background: this.background ? 1 : 0,
      resets: this.resets,
    };
  }

  addImportances(out: Float64Array, scratch: Float64Array): void {
    scratch.fill(0);
    this.tree.featureImportances(scratch);
    let s = 0;
    for (let j = 0; j < scratch.length; j++) s += scratch[j]!;
    if (s > 0) for (let j = 0; j < scratch.length; j++) out[j] = out[j]! + scratch[j]! / s;
  }

  toJSON(): ArfClassifierMemberState {
    return {
      rng: this.rng.toJSON(),
      tree: this.tree.toJSON(),
      background: this.background ? this.background.toJSON() : null,
      warning: this.warning.toJSON(),
      drift: this.drift.toJSON(),
      correct: this.correct,
      seen: this.seen,
      warnings: this.warnings,
      drifts: this.drifts,
      resets: this.resets,
    };
  }
}
