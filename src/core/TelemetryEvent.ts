import type { BadRowReason } from './BadRowReason.js';

/** A tree model's size: members (1 for a single tree), nodes, leaves and depth summed or maxed over them, drift resets, rows learned. */
export interface TreeStats {
  kind: string;
  trees: number;
  nodes: number;
  leaves: number;
  depth: number;
  resets: number;
  rows: number;
}

/**
 * One candidate of a hyperparameter race (src/tune): its configuration (model options, and the
 * feature-view keys hashBits / interactions), the rows it was scored on, its mean progressive loss
 * and that loss's standard error, its progressive metric, its cost in rows × relative cost, and
 * the stream row (0-based) where it was dropped (null while it races or after it won).
 */
export interface LeaderboardEntry {
  id: number;
  /** Short words for the dashboard, e.g. `logistic normalized lr=0.31 l2=1e-5`. */
  label: string;
  config: Record<string, unknown>;
  rows: number;
  loss: number;
  stderr: number;
  /** The task's headline progressive metric (rocAuc, accuracy or r2) over the rows it was scored on. */
  metric: number;
  metricName: string;
  cost: number;
  dropped: number | null;
}

/**
 * Everything the engine reports. `t` is `Date.now()` at emission. Later stages add their own
 * event kinds here rather than inventing side channels, so every subscriber sees one stream.
 */
export type TelemetryEvent =
  | { type: 'progress'; t: number; source: string; rows: number; bytes: number; totalRows?: number; totalBytes?: number; done: boolean }
  | { type: 'throughput'; t: number; source: string; rowsPerSecond: number; bytesPerSecond: number }
  | { type: 'queue'; t: number; name: string; depth: number; capacity: number }
  | { type: 'skipped'; t: number; source: string; reason: BadRowReason; line: number; skipped: number; byReason: Partial<Record<BadRowReason, number>> }
  | { type: 'error'; t: number; source: string; message: string; error?: unknown }
  /** A source's row books (read = passed + skipped), at least once when it ends (`done`). */
  | {
      type: 'account';
      t: number;
      source: string;
      read: number;
      passed: number;
      skipped: number;
      skippedByReason: Partial<Record<BadRowReason, number>>;
      done: boolean;
    }
  | {
      type: 'metrics';
      t: number;
      rows: number;
      values: Record<string, number>;
      rolling?: Record<string, number>;
      model?: string;
      /** Row-major counts[true * classes + predicted], for classification. */
      confusion?: { classes: number; counts: number[]; labels?: string[] };
      /** Tree models (src/trees): the model's size and its drift resets (trees replaced under arf, subtrees under hat). */
      trees?: TreeStats;
    }
  /** Column statistics; `drift`: each column's data-drift verdict at the comparison of these statistics (DataDriftMonitor), when they are its window. */
  | { type: 'stats'; t: number; source: string; columns: Record<string, unknown>; drift?: Record<string, 'none' | 'moderate' | 'major'> }
  /** A drift detector's alarm at a stream row (0-based): `drift`, or `warning` when it enters its warning zone. */
  | { type: 'drift'; t: number; detector: string; row: number; message: string }
  | { type: 'warning'; t: number; detector: string; row: number; message: string }
  /**
   * A column whose distribution moved from its reference (DataDriftMonitor, docs/drift.md "Data
   * drift"): the measure that decided (psi, ks or js), its value and the verdict, when the live
   * window ending at stream row `row` (0-based) was compared.
   */
  | {
      type: 'dataDrift';
      t: number;
      column: string;
      row: number;
      measure: 'psi' | 'ks' | 'js' | 'missing';
      value: number;
      verdict: 'moderate' | 'major';
      message: string;
    }
  | { type: 'checkpoint'; t: number; path: string; version?: string }
  /**
   * A hyperparameter race's standings (src/tune), after `rows` stream rows: every candidate, best
   * first among those still racing, then the dropped ones; `leader` is the id whose predictions the
   * run scores now; `alive` how many still learn; `budgetUsed` the model-costs per row spent so far.
   */
  | { type: 'leaderboard'; t: number; rows: number; leader: number; alive: number; budgetUsed: number; entries: LeaderboardEntry[] }
  | { type: 'log'; t: number; level: 'info' | 'warn' | 'error'; message: string }
  /**
   * A socket connection that ended abnormally (a TCP reset or error, a WebSocket close other than
   * 1000/1001/1005): `code` is the errno or the close code, `rows` the source's rows read so far,
   * `count` its abnormal ends so far. A `warn` log says the same in words.
   */
  | {
      type: 'disconnect';
      t: number;
      source: string;
      connection: number;
      code: string | number;
      message: string;
      rows: number;
      count: number;
      reconnecting: boolean;
    };

export type TelemetryType = TelemetryEvent['type'];
