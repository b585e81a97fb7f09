import type { ColumnType } from '../core/index.js';

/** A spec file after validation (validateSpec); the shape SPEC_KEYS describes. */
export interface Spec {
  name?: string;
  seed?: number;
  source: SourceSpec;
  schema?: Record<string, ColumnType>;
  typeHints?: Record<string, ColumnType>;
  steps?: Array<Record<string, unknown>>;
  target?: string;
  task?: 'classification' | 'regression';
  /** The positive class of a binary task (default: see chooseTask). */
  positive?: string;
  features?: { drop?: string[]; include?: string[]; missing?: 'error' | 'zero' };
  split?: { test: number; key?: string; stratify?: string; seed?: number };
  model?: string | Record<string, Record<string, unknown> | null>;
  training?: {
    batchSize?: number;
    epochs?: number;
    backend?: 'auto' | 'cpu' | 'webgpu' | 'gpujs';
    maxRows?: number;
    onDivergence?: 'stop' | 'restore';
    checkpoint?: { dir: string; every?: number };
  };
  /** Race candidate configurations of the model on the stream and keep the winner (docs/tune.md). */
  tune?: {
    budget?: number;
    candidates?: number;
    space?: Record<string, unknown> | Array<Record<string, unknown>>;
    rung?: number;
    confidence?: number;
    seed?: number;
  };
  drift?: { detector?: string | Record<string, Record<string, unknown> | null>; onDrift?: 'alert' | 'reset' | 'swap' };
  dataDrift?: { reference?: string; referenceRows?: number; window?: number; columns?: string[] };
  evaluation?: { progressive?: boolean; metrics?: string[]; rolling?: number; threshold?: number; test?: string };
  output?: { dir?: string; report?: string; save?: boolean; registry?: string };
}

export interface SourceSpec {
  csv?: string;
  arrow?: string;
  parquet?: string;
  ndjson?: string;
  json?: string;
  tcp?: { listen?: number; host?: string; connect?: string; maxConnections?: number };
  websocket?: string;
  synthetic?: string | Record<string, Record<string, unknown> | null>;
  badRows?: 'skip' | 'fail';
  deadLetter?: string;
  capacity?: number;
  batchSize?: number;
  maxRows?: number;
  format?: 'ndjson' | 'csv';
  reconnect?: boolean;
  backoff?: number;
  maxRetries?: number;
  header?: boolean;
  delimiter?: string;
  maxFieldBytes?: number;
  quotedNewlines?: boolean;
  inferRows?: number;
  nullValues?: string[];
  columns?: string[];
  parseThread?: boolean | 'auto';
}
