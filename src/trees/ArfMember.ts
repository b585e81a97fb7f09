import type { TreeRow } from './TreeRow.js';

/** What a forest (or a worker) sums up of one tree slot. */
export interface ArfMemberSummary {
  nodes: number;
  leaves: number;
  depth: number;
  warnings: number;
  drifts: number;
  /** 1 while a background tree is learning. */
  background: number;
  /** Drifts with no background tree to take over: the foreground was replaced by a fresh tree. */
  resets: number;
}

/**
 * One tree slot of an Adaptive Random Forest (Gomes et al. 2017): the foreground tree, the
 * background tree started at a warning, the warning and drift detectors, the tree's
 * test-then-train performance (its vote weight) and the slot's own Rng. A slot depends on
 * nothing but its rows, so slots can run on any thread in any order.
 */
export interface ArfMember {
  /** Outputs per row: the classes (classifier) or 1 (regressor). */
  readonly width: number;
  /** Writes the foreground tree's output at out[at..at + width) and returns its vote weight now (before the row is learnt). */
  predict(row: TreeRow, out: Float64Array, at: number): number;
  /** Learns a row, given what `predict` wrote at out[at..] for it: performance, Poisson weight, trees, detectors. */
  learn(row: TreeRow, y: number, w: number, out: Float64Array, at: number): void;
  summary(): ArfMemberSummary;
  /** Adds the foreground tree's importances (normalised to sum 1) to `out`. */
  addImportances(out: Float64Array, scratch: Float64Array): void;
  toJSON(): unknown;
}
