import { SchemaError, SluiceError } from '../core/index.js';
import { ArfClassifierMember, type ArfClassifierMemberState } from './ArfClassifierMember.js';
import { ArfForest } from './ArfForest.js';
import { type ArfCommonOptions, type ArfConfig, arfConfig } from './arfConfig.js';
import type { TreeRow } from './TreeRow.js';

export interface AdaptiveRandomForestClassifierOptions extends ArfCommonOptions {
  classes: number;
}

export interface AdaptiveRandomForestClassifierState {
  kind: 'arf-classifier';
  version: 1;
  config: ArfConfig;
  seen: number;
  members: ArfClassifierMemberState[];
}

/**
 * Adaptive Random Forest classifier (Gomes, Bifet, Read, Barddal, Enembreck, Pfahringer, Holmes
 * & Abdessalem, "Adaptive random forests for evolving data stream classification", Machine
 * Learning 106, 2017), with MOA's and River's defaults: 10 Hoeffding trees (grace period 50,
 * split confidence 0.01, tie threshold 0.05, naive Bayes adaptive leaves, info gain), each leaf
 * drawing m = floor(sqrt(M)) + 1 of the M features (the paper's m; MOA's option defaults to 60 %
 * of M, River's to round(sqrt(M))); online bagging with weights k ~ Poisson(6); per tree an ADWIN
 * warning detector (δ 0.01) that starts a background tree and an ADWIN drift detector (δ 0.001)
 * that swaps it in, both fed the 0/1 error of the tree's prediction before learning, on every
 * labelled row (its test-then-train error; MOA and River feed the error of the prediction after
 * training, on rows with k > 0 only). Each tree's normalised probabilities are weighted by its
 * accuracy since it was created (MOA's default; `weightedVote: false` for plain soft voting),
 * and the sum normalised.
 *
 * Each tree slot has its own Rng seeded from (seed, slot), so the forest's results do not depend
 * on how the slots are spread over threads: testThenTrainParallel gives testThenTrain's results.
 */
export class AdaptiveRandomForestClassifier extends ArfForest<ArfClassifierMember> {
  readonly classes: number;
  readonly inputs: number;
  private readonly acc: Float64Array;

  constructor(options: AdaptiveRandomForestClassifierOptions) {
    const config = arfConfig('arf', options, 'classifier');
    super(config, config.classes);
    this.classes = this.config.classes;
    this.inputs = this.config.inputs;
    this.acc = new Float64Array(this.classes);
  }

  protected makeMember(index: number, state?: unknown): ArfClassifierMember {
    return new ArfClassifierMember(this.config, this.random, index, state as ArfClassifierMemberState | undefined);
  }

  protected checkTarget(y: number, where: string): void {
    if (!Number.isInteger(y) || y < 0 || y >= this.config.classes)
      throw new SchemaError(`arf: ${where}: the class must be an integer in 0..${this.config.classes - 1}, got ${y}`);
  }

  protected combine(outs: Float64Array, weights: Float64Array, i: number, out: Float64Array | Float32Array, at: number): void {
    const n = this.config.trees,
      C = this.config.classes,
      acc = this.acc,
      weighted = this.config.weightedVote;
    acc.fill(0);
    for (let t = 0; t < n; t++) {
      const o = (i * n + t) * C;
      let s = 0;
      for (let c = 0; c < C; c++) s += outs[o + c]!;
      if (!(s > 0) || s === Infinity) continue;
      const wt = weights[i * n + t]!;
      const f = (weighted && wt > 0 ? wt : 1) / s;
      for (let c = 0; c < C; c++) acc[c] = acc[c]! + outs[o + c]! * f;
    }
    let total = 0;
    for (let c = 0; c < C; c++) total += acc[c]!;
    if (total > 0) for (let c = 0; c < C; c++) out[at + c] = acc[c]! / total;
    else for (let c = 0; c < C; c++) out[at + c] = 1 / C;
  }

  /** Learns one row (class y, weight w ≥ 0; 0 or a non-finite y learns nothing). */
  learn(row: TreeRow, y: number, w = 1): void {
    this.learnRow(row, y, w);
  }

  /** Writes the `classes` probabilities of row at out[at ..]. */
  predictProba(row: TreeRow, out: Float64Array | Float32Array, at = 0): void {
    this.predictRow(row, out, at);
  }

  /** The state, taken synchronously from the workers when the trees are there. */
  toJSON(): AdaptiveRandomForestClassifierState {
    return { kind: 'arf-classifier', version: 1, config: { ...this.config }, seen: this.nSeen, members: this.memberStates() as ArfClassifierMemberState[] };
  }

  static fromJSON(s: AdaptiveRandomForestClassifierState): AdaptiveRandomForestClassifier {
    if (s?.kind !== 'arf-classifier' || !Array.isArray(s.members) || s.members.length !== s.config?.trees)
      throw new SluiceError('TREE_STATE', `arf.fromJSON: expected an arf-classifier state with one member per tree, got ${JSON.stringify(s?.kind)}`);
    const { kind: _k, ...options } = s.config;
    const { aggregation: _a, ...rest } = options;
    const f = new AdaptiveRandomForestClassifier(rest);
    f.members = s.members.map((m, t) => f.makeMember(t, m));
    f.nSeen = s.seen;
    return f;
  }
}
