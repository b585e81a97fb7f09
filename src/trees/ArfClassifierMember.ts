import type { ArfRandom } from './ArfRandom.js';
import { ArfSlot, type ArfSlotState } from './ArfSlot.js';
import type { ArfConfig } from './arfConfig.js';
import { HoeffdingTreeClassifier, type HoeffdingTreeClassifierOptions, type HoeffdingTreeClassifierState } from './HoeffdingTreeClassifier.js';
import type { TreeRow } from './TreeRow.js';

export interface ArfClassifierMemberState extends ArfSlotState<HoeffdingTreeClassifierState> {
  correct: number;
  seen: number;
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
export class ArfClassifierMember extends ArfSlot<HoeffdingTreeClassifier, HoeffdingTreeClassifierState> {
  readonly width: number;
  private correct = 0;
  private seen = 0;

  constructor(config: ArfConfig, random: ArfRandom, index: number, state?: ArfClassifierMemberState) {
    super(config, random, index, state, (s) => HoeffdingTreeClassifier.fromJSON(s));
    this.width = config.classes;
    if (state) {
      this.correct = state.correct;
      this.seen = state.seen;
    }
  }

  protected newTree(): HoeffdingTreeClassifier {
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
    this.learnTrees(row, y, w);
    if (this.watch(err)) {
      this.correct = 0;
      this.seen = 0;
    }
  }

  toJSON(): ArfClassifierMemberState {
    return { ...this.slotJSON(), correct: this.correct, seen: this.seen };
  }
}
