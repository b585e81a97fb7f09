import { type BinarySums, ConfusionMatrix, type ConfusionMatrixState } from './ConfusionMatrix.js';
import type { Metric, MetricState } from './Metric.js';

/**
 * Base of the metrics read off a confusion matrix (accuracy, balanced accuracy, precision,
 * recall, F1, kappa). They take true and predicted class indices (`input` = labels), accept
 * weights, and revert exactly, so their rolling windows are exact.
 */
export abstract class ConfusionMetric implements Metric {
  abstract readonly name: string;
  readonly input = 'labels' as const;
  protected cm = new ConfusionMatrix();

  /** The underlying matrix (read-only use). */
  get matrix(): ConfusionMatrix {
    return this.cm;
  }
  get count(): number {
    return this.cm.count;
  }
  abstract get value(): number;

  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void {
    this.cm.add(yTrue, yPred, weights, 1, this.name);
  }

  /** update() with the batch's binary sums already taken (ConfusionMatrix.binarySums of these labels; null: not all 0/1). */
  updateWithSums(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, sums: BinarySums | null): void {
    this.cm.add(yTrue, yPred, undefined, 1, this.name, sums);
  }

  revert(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void {
    this.cm.add(yTrue, yPred, weights, -1, this.name);
  }

  reset(): void {
    this.cm.reset();
  }

  /** Options that `makeMetric` would need to rebuild this metric (none by default). */
  protected options(): Record<string, unknown> {
    return {};
  }

  toJSON(): MetricState {
    return { type: this.name, ...this.options(), matrix: this.cm.toJSON() };
  }

  /** Restores the matrix of a metric built from the same options. */
  protected restore(state: MetricState): this {
    this.cm = ConfusionMatrix.fromJSON(state.matrix as ConfusionMatrixState);
    return this;
  }
}
