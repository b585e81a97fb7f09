import type { TreeStats } from '../core/index.js';
import type { DriftReport } from '../drift/index.js';
import type { TuneRecord } from '../tune/index.js';

/**
 * The `--json` report: one object on stdout with these fields, and only these (scripts read
 * them). Metric names are the camelCase METRIC_NAMES; a metric with no value yet is null.
 */
export interface Report {
  /**
   * The books of the first pass: read = trained + heldOut + skipped, always. `skippedByReason`
   * covers every path (sources, steps, `duplicate`, `label`, vectorize's `required`/`non-finite`);
   * `unlabeled` counts the `label` rows that were predicted but not learned.
   */
  rows: { read: number; trained: number; heldOut: number; skipped: number; skippedByReason: Record<string, number>; unlabeled?: number };
  /** Progressive (test-then-train) metrics over the training rows of the first pass. */
  metrics: Record<string, number | null>;
  /** The same metrics over the last `window` rows (`evaluation.rolling`); absent without it. */
  rolling?: { window: number; values: Record<string, number | null> };
  /** Metrics of the final model on held-out rows (`split`) or a test file; absent without either. */
  test?: Record<string, number | null>;
  /**
   * Rows the `test` metrics cover: the test file's, or the held-out rows scored by the final model
   * (every one up to 200k, fewer for wide rows; a seeded uniform sample of them beyond). Absent
   * when nothing was scored (no test, or a run that diverged).
   */
  testRows?: number;
  /** Training diverged: why, and the row count of the restored model (null when the run failed instead). */
  diverged?: { reason: string; restoredAtRow: number | null };
  /** Connections that dropped abnormally (a reset, a WebSocket close code other than 1000/1001/1005), at most 100. */
  disconnects?: Array<{ source: string; connection: number; code: string | number; rows: number; reconnecting: boolean }>;
  /**
   * What the run decided without being told (the train command's quick path; spec runs carry the
   * task part): the task and why, the classes in model order with the positive class (binary),
   * the regression target's scale, each column's treatment and the crossed pairs.
   */
  choices?: {
    task: 'binary' | 'multiclass' | 'regression';
    reason: string;
    classes: string[] | null;
    positive: string | null;
    positiveRule: 'option' | 'negative word' | 'last in order' | null;
    targetScale: { mean: number; std: number } | null;
    columns?: Record<string, string>;
    interactions?: string[];
  };
  /** Error drift (`drift`, `--drift`): the detector's warnings and drifts (rows of the first 100) and what the policy did (resets, swaps, background models). */
  drift?: DriftReport;
  /** Data drift (`dataDrift`, `--data-drift`): the reference, rows watched, alerts raised, each column's verdict at the last comparison ({} before one), and the stream's columns not compared with why. */
  dataDrift?: { reference: string; rows: number; alerts: number; columns: Record<string, 'none' | 'moderate' | 'major'>; notCompared?: Record<string, string> };
  /** Tree models: members, nodes, leaves, depth, drift resets and rows learned at the end of the run. */
  trees?: TreeStats;
  /** A hyperparameter race (`tune`, `--auto`): the candidates, budget, winner and leaderboard (docs/tune.md). */
  tune?: TuneRecord;
  rowsPerSecond: number;
  elapsedSeconds: number;
  /** `cpu`, `webgpu` or `gpujs` (null when no model ran). */
  backend: string | null;
  adapter: string | null;
  peakRssMB: number;
}
