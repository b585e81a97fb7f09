import type { OperatorFunction } from 'rxjs';
import { asyncStage, type FeatureMatrix, SpecError } from '../../core/index.js';

import { checkModelSource, labeledRows, type ModelSource, resolveModel, ShuffleBuffer } from '../../evaluate/index.js';

export interface LearnOptions {
  /** Passes over the data (default 1). Above 1 the rows go through the shuffle buffer and are replayed. */
  epochs?: number;
  /**
   * Rows held for shuffling and replay (default 100k when epochs > 1 or shuffle is set, else none:
   * each batch is learned as it comes). Smaller than the data: a windowed shuffle, each window
   * replayed `epochs` times (see ShuffleBuffer).
   */
  shuffleBuffer?: number;
  /** Shuffle each replay (default true; false replays in arrival order). */
  shuffle?: boolean;
  seed?: number;
  /** Rows per `model.learn` call during a replay (default 4096; the model cuts its own mini-batches). */
  chunkRows?: number;
}

/** What `learn` emits after each model update call, and once more at the end (`final`). */
export interface LearnProgress {
  /** Rows learned so far, replays included. */
  rows: number;
  /** Distinct input rows taken from the stream. */
  inputRows: number;
  /** 0-based epoch of the last chunk (0 without replay), and the 0-based window. */
  epoch: number;
  window: number;
  step: number;
  /** Mean training loss of the last learn call (read only at the end: a GPU readback). */
  loss?: number;
  elapsedSeconds: number;
  rowsPerSecond: number;
  final: boolean;
}

const DEFAULT_BUFFER = 100_000;
const DEFAULT_CHUNK = 4096;

/**
 * Trains a model on a FeatureMatrix stream (from `vectorize`). Batch size is the model's own: 1 is
 * pure SGD, N is mini-batch. `epochs: k` buffers the stream in a bounded ShuffleBuffer and replays
 * each buffer k times in seeded random order — k true epochs when the buffer holds the whole
 * (finite) data set, a windowed shuffle otherwise. Rows without a target are skipped. Emits
 * LearnProgress after each update call and a final one; a model factory's model is disposed at
 * teardown, a passed-in model is left to its owner (read its state after completion).
 */
export function learn(model: ModelSource, options: LearnOptions = {}): OperatorFunction<FeatureMatrix, LearnProgress> {
  checkModelSource(model, 'learn.model');
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw new SpecError('learn.epochs', `expected an integer ≥ 1, got ${JSON.stringify(epochs)}`);
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new SpecError('learn.chunkRows', `expected an integer ≥ 1, got ${JSON.stringify(chunkRows)}`);
  if (options.shuffle !== undefined && typeof options.shuffle !== 'boolean')
    throw new SpecError('learn.shuffle', `expected true or false, got ${JSON.stringify(options.shuffle)}`);
  const buffered = epochs > 1 || options.shuffleBuffer !== undefined || options.shuffle === true;
  const capacity = options.shuffleBuffer ?? DEFAULT_BUFFER;
  if (buffered) new ShuffleBuffer(capacity);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new SpecError('learn.seed', `expected an integer, got ${JSON.stringify(seed)}`);
  return (source) =>
    asyncStage<FeatureMatrix, LearnProgress>(source, async () => {
      const { model: m, owned } = await resolveModel(model, 'learn.model');
      const buffer = buffered ? new ShuffleBuffer(capacity, seed) : null;
      let rows = 0,
        inputRows = 0,
        epoch = 0,
        window = 0,
        windows = 0,
        started = -1;
      const progress = (final: boolean, loss?: number): LearnProgress => {
        const elapsed = started < 0 ? 0 : (performance.now() - started) / 1000;
        return {
          rows,
          inputRows,
          epoch,
          window,
          step: m.step,
          ...(loss !== undefined ? { loss } : {}),
          elapsedSeconds: elapsed,
          rowsPerSecond: elapsed > 0 ? rows / elapsed : 0,
          final,
        };
      };
      const fit = async (x: FeatureMatrix, emit: (p: LearnProgress) => void) => {
        await m.learn(x);
        rows += x.rows;
        emit(progress(false));
      };
      const drain = async (emit: (p: LearnProgress) => void) => {
        if (!buffer || buffer.size === 0) return;
        window = windows++;
        for (const chunk of buffer.replay(epochs, chunkRows, options.shuffle ?? true)) {
          epoch = chunk.epoch;
          await fit(chunk.matrix, emit);
        }
      };
      return {
        async step(x, emit) {
          if (started < 0) started = performance.now();
          const labeled = labeledRows(x);
          if (!labeled) return;
          inputRows += labeled.rows;
          if (!buffer) return void (await fit(labeled, emit));
          let rest: FeatureMatrix | null = labeled;
          while (rest) {
            rest = buffer.add(rest);
            if (buffer.full) await drain(emit);
          }
        },
        async flush(emit) {
          await drain(emit);
          emit(progress(true, rows > 0 ? await m.lastLoss() : undefined));
        },
        async teardown() {
          if (owned) await m.dispose();
        },
      };
    });
}
