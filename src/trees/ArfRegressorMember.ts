import type { ArfRandom } from './ArfRandom.js';
import { ArfSlot, type ArfSlotState } from './ArfSlot.js';
import type { ArfConfig } from './arfConfig.js';
import { HoeffdingTreeRegressor, type HoeffdingTreeRegressorOptions, type HoeffdingTreeRegressorState } from './HoeffdingTreeRegressor.js';
import type { TreeRow } from './TreeRow.js';

export interface ArfRegressorMemberState extends ArfSlotState<HoeffdingTreeRegressorState> {
  /** Squared errors and rows since the tree was created (its MSE, the vote weight). */
  sse: number;
  seen: number;
  /** Welford mean and M2 of the signed error, for the detectors' normalisation. */
  errN: number;
  errMean: number;
  errM2: number;
}

/**
 * A regression tree slot of the ARF (Gomes, Barddal, Boiko & Bifet, "Adaptive random forests
 * for data stream regression", ESANN 2018; River's ARFRegressor). The detectors see the absolute
 * error |y − ŷ| of the prediction before learning, scaled by 3s (s: the standard deviation of the
 * tree's errors since it was created) and clipped to 1, so ADWIN gets values in [0, 1]. River
 * feeds the signed error, (e + 3s) / (6s): its mean stays near 0.5 when the relevant features
 * change but the target's distribution does not (the errors grow in both directions), which
 * ADWIN cannot see; the absolute error grows. The vote weight is the tree's MSE since it was
 * created (River's default metric).
 */
export class ArfRegressorMember extends ArfSlot<HoeffdingTreeRegressor, HoeffdingTreeRegressorState> {
  readonly width = 1;
  private sse = 0;
  private seen = 0;
  private errN = 0;
  private errMean = 0;
  private errM2 = 0;

  constructor(config: ArfConfig, random: ArfRandom, index: number, state?: ArfRegressorMemberState) {
    super(config, random, index, state, (s) => HoeffdingTreeRegressor.fromJSON(s));
    if (state) {
      this.sse = state.sse;
      this.seen = state.seen;
      this.errN = state.errN;
      this.errMean = state.errMean;
      this.errM2 = state.errM2;
    }
  }

  protected newTree(): HoeffdingTreeRegressor {
    const c = this.config;
    return new HoeffdingTreeRegressor({
      inputs: c.inputs,
      gracePeriod: c.gracePeriod,
      delta: c.delta,
      tau: c.tau,
      leaf: c.leaf as HoeffdingTreeRegressorOptions['leaf'],
      maxDepth: c.maxDepth,
      maxLeaves: c.maxLeaves,
      maxFeatures: c.maxFeatures,
      seed: this.rng.nextUint32(),
    });
  }

  predict(row: TreeRow, out: Float64Array, at: number): number {
    const p = this.tree.predict(row);
    out[at] = Number.isFinite(p) ? p : 0;
    return this.seen > 0 ? this.sse / this.seen : 0;
  }

  learn(row: TreeRow, y: number, w: number, out: Float64Array, at: number): void {
    const e = y - out[at]!;
    this.sse += e * e;
    this.seen++;
    this.learnTrees(row, y, w);
    // Welford, then |e| / 3s, clipped to 1, for ADWIN.
    this.errN++;
    const d = e - this.errMean;
    this.errMean += d / this.errN;
    this.errM2 += d * (e - this.errMean);
    const sd = this.errN > 1 ? Math.sqrt(this.errM2 / (this.errN - 1)) : 0;
    let input = sd > 0 ? Math.abs(e) / (3 * sd) : 0.5;
    if (!(input < 1)) input = input >= 1 ? 1 : 0.5;
    if (this.watch(input)) {
      this.sse = 0;
      this.seen = 0;
      this.errN = 0;
      this.errMean = 0;
      this.errM2 = 0;
    }
  }

  toJSON(): ArfRegressorMemberState {
    return { ...this.slotJSON(), sse: this.sse, seen: this.seen, errN: this.errN, errMean: this.errMean, errM2: this.errM2 };
  }
}
