import type { Stateful } from '../core/index.js';

/**
 * What a metric reads as `yPred`:
 * - `labels`: predicted class indices (non-negative integers), one per row;
 * - `scores`: the positive-class probability (or any score, higher = more positive), one per row;
 * - `probabilities`: either one positive-class probability per row (binary) or a row-major
 *   rows×classes probability matrix (multi-class); the width is `yPred.length / yTrue.length`;
 * - `values`: regression predictions, one per row.
 * `yTrue` is always class indices for classification and target values for regression.
 */
export type MetricInput = 'labels' | 'scores' | 'probabilities' | 'values';

/** Serialized metric: `type` is the metric name (or `rolling`), the rest is its state. */
export interface MetricState {
  type: string;
  [key: string]: unknown;
}

/**
 * An incremental metric over whole batches of typed arrays (no per-row objects). Updating with
 * one batch or with the same rows split into many batches gives the same value (up to float
 * rounding). Weights, where given, are non-negative per-row weights (default 1).
 */
export interface Metric extends Stateful<MetricState> {
  /** The metric name (`accuracy`, `rocAuc`, ...), also its key in telemetry. */
  readonly name: string;
  readonly input: MetricInput;
  /** Rows currently counted (unweighted). */
  readonly count: number;
  /** Current value; NaN while it is undefined (no rows, no positives, ...: see each metric). */
  readonly value: number;
  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void;
  /**
   * Removes rows added earlier (exactly the same values), so a rolling window can slide in O(rows).
   * Absent on metrics that cannot forget a row cheaply (exact AUC); the rolling window recomputes those.
   */
  revert?(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void;
  reset(): void;
  toJSON(): MetricState;
}
