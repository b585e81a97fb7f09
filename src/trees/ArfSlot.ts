import { Rng } from '../core/index.js';
import { ADWIN, type ADWINState } from '../drift/index.js';
import type { ArfMember, ArfMemberSummary } from './ArfMember.js';
import { ArfRandom } from './ArfRandom.js';
import type { ArfConfig } from './arfConfig.js';
import type { TreeRow } from './TreeRow.js';

/** What a slot needs of its trees (the Hoeffding classifier or regressor). */
interface SlotTree<S> {
  learn(row: TreeRow, y: number, w?: number): void;
  summary(): { nodes: number; leaves: number; depth: number };
  featureImportances(out: Float64Array): void;
  toJSON(): S;
}

/** The part of a slot's state both kinds share. */
export interface ArfSlotState<S> {
  rng: ReturnType<Rng['toJSON']>;
  tree: S;
  background: S | null;
  warning: ADWINState;
  drift: ADWINState;
  warnings: number;
  drifts: number;
  resets: number;
}

/**
 * What the classification and regression slots of the ARF share (Gomes et al. 2017): the
 * foreground and background trees, the warning and drift detectors and the slot's own Rng. Each
 * labelled row, the trees learn it with weight k·w, k ~ Poisson(λ); the detectors read the
 * subclass's error signal: a warning starts a fresh background tree (replacing one already there,
 * as MOA and River), a drift puts the background tree in front (or a fresh tree when there is
 * none) with new detectors, and the subclass restarts its vote weight.
 */
export abstract class ArfSlot<T extends SlotTree<S>, S> implements ArfMember {
  abstract readonly width: number;
  protected rng: Rng;
  protected tree: T;
  protected background: T | null = null;
  private warning: ADWIN;
  private drift: ADWIN;
  private warnings = 0;
  private drifts = 0;
  private resets = 0;

  constructor(
    protected readonly config: ArfConfig,
    private readonly random: ArfRandom,
    index: number,
    state: ArfSlotState<S> | undefined,
    fromJSON: (s: S) => T,
  ) {
    if (state) {
      this.rng = Rng.fromJSON(state.rng);
      this.tree = fromJSON(state.tree);
      this.background = state.background ? fromJSON(state.background) : null;
      this.warning = ADWIN.fromJSON(state.warning);
      this.drift = ADWIN.fromJSON(state.drift);
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

  /** A fresh tree with the forest's options, seeded from the slot's Rng. */
  protected abstract newTree(): T;

  abstract predict(row: TreeRow, out: Float64Array, at: number): number;

  abstract learn(row: TreeRow, y: number, w: number, out: Float64Array, at: number): void;

  /** The trees learn the row with its Poisson weight. */
  protected learnTrees(row: TreeRow, y: number, w: number): void {
    const k = this.random.poisson(this.rng);
    if (k > 0) {
      this.tree.learn(row, y, k * w);
      this.background?.learn(row, y, k * w);
    }
  }

  /** Feeds both detectors; true at a drift (the foreground was replaced: the subclass restarts its performance). */
  protected watch(signal: number): boolean {
    if (this.warning.update(signal) === 'drift') {
      this.background = this.newTree();
      this.warning.reset();
      this.warnings++;
    }
    if (this.drift.update(signal) !== 'drift') return false;
    if (this.background) {
      this.tree = this.background;
      this.background = null;
    } else {
      this.tree = this.newTree();
      this.resets++;
    }
    this.warning.reset();
    this.drift.reset();
    this.drifts++;
    return true;
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

  protected slotJSON(): ArfSlotState<S> {
    return {
      rng: this.rng.toJSON(),
      tree: this.tree.toJSON(),
      background: this.background ? this.background.toJSON() : null,
      warning: this.warning.toJSON(),
      drift: this.drift.toJSON(),
      warnings: this.warnings,
      drifts: this.drifts,
      resets: this.resets,
    };
  }

  abstract toJSON(): unknown;
}
