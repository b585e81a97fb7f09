import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RowAccount, SluiceError, type SourcePosition, writeFileAtomic } from '../core/index.js';
import type { DataDriftMonitor } from '../drift/index.js';
import type { HeldOutSampleState, TestThenTrainState } from '../evaluate/index.js';
import { Pipeline, type PipelineState, type Transform, type Vectorize } from '../features/index.js';
import type { DivergenceWatch, ModelState, Task } from '../learn/index.js';
import type { MetricSet } from '../metrics/index.js';
import type { TaskChoice } from './chooseTask.js';

/** The file a checkpoint directory holds (replaced atomically at every checkpoint). */
const FILE = 'checkpoint.json';
const FORMAT = 'sluice-checkpoint';

type Books = Pick<RowAccount, 'read' | 'skipped' | 'skippedByReason'>;

/**
 * A training run stopped still between two source batches (see QuiesceGate): everything it needs
 * to go on as if it had never stopped. `position` is where the source goes on: rows of epoch
 * `epoch` already taken (a file is read again from its start and these rows are passed over; the
 * batches are cut as before, so every later step sees the same batches).
 */
export interface CheckpointState {
  format: typeof FORMAT;
  version: 1;
  created: string;
  /** The run ended (every row learned): there is nothing to resume. */
  finished: boolean;
  /** What made the run (spec and command line): a resume must be the same run. */
  run: unknown;
  /**
   * Pass, rows of it taken, and where a seekable source (a CSV file) goes on: the byte offset after
   * the last batch taken, its line and row position, and the columns and types there. Without
   * `at` the source is read from its start and the rows taken are passed over.
   */
  position: { epoch: number; rows: number; at: (SourcePosition & { names: string[]; types: Record<string, string> }) | null };
  counters: { fromSource: number; trained: number; heldOut: number; unlabeled: number; stopped: number };
  /** The run's books at the checkpoint: by step and source, and its own vectorize and label books. */
  books: { accounts: Record<string, Books>; vectorize: Books; label: Books; open: boolean };
  choice: TaskChoice;
  task: Task;
  classes: number;
  rawNames: string[] | null;
  rawTypes: Record<string, string> | null;
  /** Every transform (spec steps, then automatic ones) and vectorize, as a pipeline artifact. */
  pipeline: PipelineState;
  model: ModelState;
  engine: TestThenTrainState | null;
  progressive: ReturnType<MetricSet['toJSON']> | null;
  watch: ReturnType<DivergenceWatch['toJSON']> | null;
  sample: HeldOutSampleState;
  dataDrift: ReturnType<DataDriftMonitor['toJSON']> | null;
  /** The last good state kept for `onDivergence: restore`, the rows it had learned, and when the last one was kept. */
  good?: { state: ModelState; rows: number; last: number } | null;
  /** What the caller recorded (the train command's automatic steps). */
  extra: unknown;
}

/** A checkpoint directory that cannot be used: missing, damaged, finished, or made by another run. */
export class CheckpointError extends SluiceError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('CHECKPOINT', `${path}: ${message}`);
  }
}

/** Reads DIR/checkpoint.json; null when DIR has none yet. Throws CheckpointError on a damaged or foreign file. */
export function readCheckpoint(dir: string): CheckpointState | null {
  const path = join(dir, FILE);
  if (!existsSync(path)) return null;
  let s: CheckpointState;
  try {
    s = JSON.parse(readFileSync(path, 'utf8')) as CheckpointState;
  } catch (e) {
    throw new CheckpointError(path, `not a readable checkpoint: ${(e as Error).message}`);
  }
  if (!s || typeof s !== 'object' || s.format !== FORMAT) throw new CheckpointError(path, `not a sluice checkpoint (format ${JSON.stringify(s?.format)})`);
  if (s.version !== 1) throw new CheckpointError(path, `checkpoint version ${JSON.stringify(s.version)}; this sluice reads version 1`);
  return s;
}

/** Writes DIR/checkpoint.json atomically (a crash leaves the previous one whole); returns its path. */
export function writeCheckpoint(dir: string, state: CheckpointState): string {
  const path = join(dir, FILE);
  writeFileAtomic(path, JSON.stringify(state));
  return path;
}

/** Where checkpoints of DIR go: its checkpoint.json. */
export function checkpointFile(dir: string): string {
  return join(dir, FILE);
}

/**
 * Puts the learned state of a checkpoint's pipeline back into the run's own transforms and
 * vectorizer, in place: the operators built around them keep working on the same objects. Their
 * wiring (telemetry, bad-row books) stays the run's.
 */
export function restoreTransforms(path: string, json: PipelineState, transforms: readonly Transform[], vectorizer: Vectorize): void {
  let saved: Pipeline;
  try {
    saved = Pipeline.fromJSON(json);
  } catch (e) {
    throw new CheckpointError(path, `its pipeline cannot be rebuilt: ${(e as Error).message}`);
  }
  const kinds = (ts: readonly Transform[]) => ts.map((t) => t.kind).join(', ') || 'none';
  if (saved.transforms.length !== transforms.length || saved.transforms.some((t, i) => t.kind !== transforms[i]!.kind))
    throw new CheckpointError(path, `its steps are ${kinds(saved.transforms)}, this run's are ${kinds(transforms)}: not the same run`);
  saved.transforms.forEach((t, i) => adopt(transforms[i]!, t));
  if (!saved.vectorizer) throw new CheckpointError(path, 'its pipeline has no vectorize step');
  adopt(vectorizer, saved.vectorizer);
}

/** Wiring a restored object must keep from the live one. */
const WIRING = new Set(['telemetry', 'badRows']);

function adopt(live: object, restored: object): void {
  for (const [k, v] of Object.entries(restored)) if (!WIRING.has(k) && typeof v !== 'function') (live as Record<string, unknown>)[k] = v;
}
