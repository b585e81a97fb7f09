import { Rng } from '../core/index.js';
import { ADWIN, type ADWINState } from '../drift/index.js';
import type { ArfMember, ArfMemberSummary } from './ArfMember.js';
import { ArfRandom } from './ArfRandom.js';
import type { ArfConfig } from './arfConfig.js';
import { HoeffdingTreeRegressor, type HoeffdingTreeRegressorOptions, type HoeffdingTreeRegressorState } from './HoeffdingTreeRegressor.js';
import type { TreeRow } from './TreeRow.js';

export interface ArfRegressorMemberState {
  rng: ReturnType<Rng['toJSON']>;
  tree: HoeffdingTreeRegressorState;
  background: HoeffdingTreeRegressorState | null;
  warning: ADWINState;
  drift: ADWINState;
  /** Squared errors and rows since the tree was created (its MSE, the vote weight). */
  sse: number;
  seen: number;
  /** Welford mean and M2 of the signed error, for the detectors' normalisation. */
  errN: number;
  errMean: number;
  errM2: number;
  warnings: number;
  drifts: number;
  resets: number;
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
export class ArfRegressorMember implements ArfMember {
  readonly width = 1;
  private rng: Rng;
  private tree: HoeffdingTreeRegressor;
  private background: HoeffdingTreeRegressor | null = null;
  private warning: ADWIN;
  private drift: ADWIN;
  private sse = 0;
  private seen = 0;
  private errN = 0;
  private errMean = 0;
  private errM2 = 0;
  private warnings = 0;
  private drifts = 0;
  private resets = 0;

  constructor(
    private readonly config: ArfConfig,
    private readonly random: ArfRandom,
    index: number,
    state?: ArfRegressorMemberState,
  ) {
    if (state) {
      this.rng = Rng.fromJSON(state.rng);
      this.tree = HoeffdingTreeRegressor.fromJSON(state.tree);
      this.background = state.background ? HoeffdingTreeRegressor.fromJSON(state.background) : null;
      this.warning = ADWIN.fromJSON(state.warning);
      this.drift = ADWIN.fromJSON(state.drift);
      this.sse = state.sse;
      this.seen = state.seen;
      this.errN = state.errN;
      this.errMean = state.errMean;
      this.errM2 = state.errM2;
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

  private newTree(): HoeffdingTreeRegressor {
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
    const k = this.random.poisson(this.rng);
    if (k > 0) {
      this.tree.learn(row, y, k * w);
      this.background?.learn(row, y, k * w);
    }
    // Welford, then |e| / 3s, clipped to 1, for ADWIN.
    this.errN++;
    const d = e - this.errMean;
    this.errMean += d / this.errN;
    this.errM2 += d * (e - this.errMean);
    const sd = this.errN > 1 ? Math.sqrt(this.errM2 / (this.errN - 1)) : 0;
    let input = sd > 0 ? Math.abs(e) / (3 * sd) : 0.5;
    if (!(input < 1)) input = input >= 1 ? 1 : 0.5;
    if (this.warning.update(input) === 'drift') {
      this.background = this.newTree();
      this.warning.reset();
      this.warnings++;
    }
    if (this.drift.update(input) === 'drift') {
      if (this.background) {
        this.tree = this.background;
        this.background = null;
      } else {
        this.tree = this.newTree();
        this.resets++;
      }
      this.warning.reset();
      this.drift.reset();
      this.sse = 0;
      this.seen = 0;
      this.errN = 0;
      this.errMean = 0;
      this.errM2 = 0;
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

  toJSON(): ArfRegressorMemberState {
    return {
      rng: this.rng.toJSON(),
      tree: this.tree.toJSON(),
      background: this.background ? this.background.toJSON() : null,
      warning: this.warning.toJSON(),
      drift: this.drift.toJSON(),
      sse: this.sse,
      seen: this.seen,
      errN: this.errN,
      errMean: this.errMean,
      errM2: this.errM2,
      warnings: this.warnings,
      drifts: this.drifts,
      resets: this.resets,
    };
  }
}
