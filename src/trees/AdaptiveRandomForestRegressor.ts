import { SluiceError } from '../core/index.js';
import { ArfForest } from './ArfForest.js';
import { ArfRegressorMember, type ArfRegressorMemberState } from './ArfRegressorMember.js';
import { type ArfCommonOptions, type ArfConfig, arfConfig } from './arfConfig.js';
import type { TreeRow } from './TreeRow.js';

export interface AdaptiveRandomForestRegressorOptions extends ArfCommonOptions {
  /** How the trees' predictions combine: 'mean' (default) or 'median' (River's default). */
  aggregation?: 'mean' | 'median';
}

export interface AdaptiveRandomForestRegressorState {
  kind: 'arf-regressor';
  version: 1;
  config: ArfConfig;
  seen: number;
  members: ArfRegressorMemberState[];
}

/**
 * Adaptive Random Forest regressor (Gomes, Barddal, Boiko & Bifet, "Adaptive random forests for
 * data stream regression", ESANN 2018), as River's ARFRegressor: 10 Hoeffding regression trees
 * (grace period 50, split confidence 0.01, tie threshold 0.05, adaptive leaves: mean or linear
 * model, whichever has erred less), random subspaces of floor(sqrt(M)) + 1 features per leaf,
 * Poisson(6) online bagging, per tree ADWIN warning (δ 0.01) and drift (δ 0.001) detectors on
 * the normalised error (see ArfRegressorMember). The prediction is the mean of the trees'
 * (or the median). With `weightedVote` (off by default, as River) the mean is weighted: tree t
 * with MSE e_t gets (S − e_t) / ((n − 1)·S), S = Σ e (River's weights, which sum to 1; River then
 * also divides by n, which we do not).
 */
export class AdaptiveRandomForestRegressor extends ArfForest<ArfRegressorMember> {
  readonly inputs: number;
  private readonly sorted: Float64Array;
  private readonly one = new Float64Array(1);

  constructor(options: AdaptiveRandomForestRegressorOptions) {
    super(arfConfig('arf', options, 'regressor'), 1);
    this.inputs = this.config.inputs;
    this.sorted = new Float64Array(this.config.trees);
  }

  protected makeMember(index: number, state?: unknown): ArfRegressorMember {
    return new ArfRegressorMember(this.config, this.random, index, state as ArfRegressorMemberState | undefined);
  }

  protected checkTarget(): void {}

  protected combine(outs: Float64Array, weights: Float64Array, i: number, out: Float64Array | Float32Array, at: number): void {
    const n = this.config.trees,
      o = i * n;
    if (this.config.aggregation === 'median') {
      const s = this.sorted;
      for (let t = 0; t < n; t++) s[t] = outs[o + t]!;
      s.sort();
      out[at] = n % 2 === 1 ? s[(n - 1) >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
      return;
    }
    let S = 0;
    if (this.config.weightedVote && n > 1) for (let t = 0; t < n; t++) S += weights[o + t]!;
    let y = 0;
    if (S > 0 && S < Infinity) for (let t = 0; t < n; t++) y += ((S - weights[o + t]!) / ((n - 1) * S)) * outs[o + t]!;
    else {
      for (let t = 0; t < n; t++) y += outs[o + t]!;
      y /= n;
    }
    out[at] = y;
  }

  /** Learns one row (target y, weight w ≥ 0; 0 or a non-finite y learns nothing). */
  learn(row: TreeRow, y: number, w = 1): void {
    this.learnRow(row, y, w);
  }

  predict(row: TreeRow): number {
    this.predictRow(row, this.one, 0);
    return this.one[0]!;
  }

  /** The state, taken synchronously from the workers when the trees are there. */
  toJSON(): AdaptiveRandomForestRegressorState {
    return { kind: 'arf-regressor', version: 1, config: { ...this.config }, seen: this.nSeen, members: this.memberStates() as ArfRegressorMemberState[] };
  }

  static fromJSON(s: AdaptiveRandomForestRegressorState): AdaptiveRandomForestRegressor {
    if (s?.kind !== 'arf-regressor' || !Array.isArray(s.members) || s.members.length !== s.config?.trees)
      throw new SluiceError('TREE_STATE', `arf.fromJSON: expected an arf-regressor state with one member per tree, got ${JSON.stringify(s?.kind)}`);
    const { kind: _k, classes: _c, criterion: _s, ...options } = s.config;
    const f = new AdaptiveRandomForestRegressor(options);
    f.members = s.members.map((m, t) => f.makeMember(t, m));
    f.nSeen = s.seen;
    return f;
  }
}
