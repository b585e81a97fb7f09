/**
 * The `--json` report: one object on stdout with these fields, and only these (scripts read
 * them). Metric names are the camelCase METRIC_NAMES; a metric with no value yet is null.
 */
export interface Report {
  rows: { read: number; trained: number; skipped: number; skippedByReason: Record<string, number> };
  /** Progressive (test-then-train) metrics over the training rows of the first pass. */
  metrics: Record<string, number | null>;
  /** Metrics of the final model on held-out rows (`split`) or a test file; absent without either. */
  test?: Record<string, number | null>;
  rowsPerSecond: number;
  elapsedSeconds: number;
  /** `cpu`, `webgpu` or `gpujs` (null when no model ran). */
  backend: string | null;
  adapter: string | null;
  peakRssMB: number;
}
