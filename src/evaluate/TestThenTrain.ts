import { FeatureMatrix, type FeatureMatrixState, SchemaError, SluiceError } from '../core/index.js';
import type { Model } from '../learn/index.js';
import type { MetricSet } from '../metrics/index.js';
import { HeldPredictions } from './HeldPredictions.js';
import { labeledRows } from './labeledRows.js';
import { predictionsOf } from './predictionsOf.js';
import { rowView } from './rowView.js';
import { takeRows } from './takeRows.js';

/** A row's label becomes known `rows` rows later, or `ms` after its prediction. */
export type LabelDelay = { rows: number } | { ms: number };

/** What `onChunk` sees: the predictions made for a run of consecutive rows, before the engine goes on. */
export interface ScoredChunk {
  /** Stream position of the chunk's first row (0-based, every row counted). */
  first: number;
  /** Rows in the chunk, labeled or not. */
  rows: number;
  /** Targets of the chunk's labeled rows (class index or value), in order. Valid only during the call. */
  targets: Float32Array;
  /** Their predictions, made before the model learned them (row-major, targets.length × outputs). Valid only during the call. */
  predictions: Float32Array;
}

/** Returns true to stop the engine: it learns nothing more (see `unlearned`). May be async (e.g. to read a model state). */
export type ChunkHook = (chunk: ScoredChunk) => boolean | undefined | Promise<boolean | undefined>;

/**
 * Per-row outcomes: rows [first, first + targets.length) of the stream, with their targets (NaN:
 * unlabeled) and predictions (row-major), valid only during the call. Synchronous, no copy.
 */
export type ScoredHook = (first: number, targets: Float32Array, predictions: Float32Array) => void;

export interface TestThenTrainOptions {
  /** Where predictions of labeled rows are scored (null or absent: not scored). */
  metrics?: MetricSet | null;
  /** Learn only: no predictions, no scores, no hook (later epochs, or progressive evaluation turned off). */
  learnOnly?: boolean;
  /** Predictions wait for their labels (see HeldPredictions); rows are learned only as labels arrive. */
  labelDelay?: LabelDelay;
  /** Clock for `labelDelay.ms` (default Date.now). */
  now?: () => number;
  /** Take at most this many rows (the batch that crosses it is cut). */
  maxRows?: number;
  /** Sees the predictions of every `chunkRows` rows (stream-aligned), after the model learned them and before it learns more. */
  onChunk?: ChunkHook;
  /** Rows per onChunk call, rounded up to whole mini-batches (default 256). */
  chunkRows?: number;
  /**
   * Sees every scored run of at most `chunkRows` rows, after the model learned them and before it
   * learns more (a drift monitor acts here). Absent: segments are not cut for it.
   */
  onScored?: ScoredHook;
  /** Counters of a run resumed from a snapshot. */
  resume?: { rows: number; scored: number };
  /** The whole state of an engine as `snapshot()` gave it (a checkpoint): counters, the hook's partial chunk, rows waiting for their mini-batch. */
  restore?: TestThenTrainState;
}

/** An engine between two source batches (`snapshot()`), to go on from there in another process. */
export interface TestThenTrainState {
  taken: number;
  scored: number;
  learned: number;
  unlearned: number;
  halted: boolean;
  cursor: number;
  released: number;
  /** The onChunk hook's partial chunk: its first row, rows so far, and the labeled rows' targets and predictions. */
  chunk: { first: number; in: number; targets: number[]; predictions: number[] };
  /** Rows of a partial mini-batch, waiting for the next source batch. */
  pending: FeatureMatrixState | null;
}

/** Rows per onChunk call by default: the CLI's divergence watch smooths its loss over 256 rows. */
const CHUNK_ROWS = 256;

/** Rows [start, end) of a source matrix that wait for their mini-batch to fill. */
interface Piece {
  m: FeatureMatrix;
  start: number;
  end: number;
}

/**
 * The one test-then-train engine (progressive evaluation, "prequential"), with no RxJS. For each
 * row, in order: predict it, score it, learn it. A mini-batch of b = model.batchSize rows is
 * predicted by the model as it was before that mini-batch, and mini-batches are counted over the
 * whole stream, not per source batch: the rows of a partial mini-batch at the end of a source batch
 * wait (no copy) for the next one, and are predicted and learned when it completes (the model
 * cannot change in between, so the predictions are the ones they would have got on arrival), or at
 * `finish()`. So the metrics do not depend on how the source cuts its batches.
 *
 * Models with `testThenTrain` run one synchronous call per source batch (per chunk with
 * `onChunk`), on whole mini-batches; others predict, then learn, per mini-batch. Rows with a missing
 * target (NaN) are predicted, neither scored nor learned. With a label delay, rows are predicted on
 * arrival and held (HeldPredictions); labels are checked at source batch boundaries, and the rows
 * whose labels arrived are scored, then learned in whole mini-batches.
 */
export class TestThenTrain {
  /** Where scores go (replaceable when a run is resumed). */
  metrics: MetricSet | null;
  readonly batchSize: number;
  private readonly outputs: number;
  private readonly learnOnly: boolean;
  private readonly delay: LabelDelay | null;
  private readonly now: () => number;
  private readonly maxRows: number;
  private readonly held: HeldPredictions | null;
  private readonly hook: ChunkHook | null;
  private readonly chunkRows: number;
  private readonly onScored: ScoredHook | null;
  /** Stream position of the next row run() scores (onScored). */
  private cursor = 0;
  private taken = 0;
  private scoredRows = 0;
  private learnedRows = 0;
  private unlearnedRows = 0;
  private halted = false;
  private pending: Piece[] = [];
  private pendingRows = 0;
  /** Predictions of the segment in hand (grows to the largest source batch, then is reused). */
  private scratch = new Float32Array(0);
  /** The chunk onChunk sees next: its labeled targets and predictions, rows in it so far, its first row. */
  private readonly chunkTargets: Float32Array;
  private readonly chunkPredictions: Float32Array;
  private chunkLabeled = 0;
  private chunkIn = 0;
  private chunkFirst = 0;
  /** Rows whose labels arrived (label delay): the stream position of the next released row. */
  private released = 0;

  constructor(
    readonly model: Model,
    options: TestThenTrainOptions = {},
  ) {
    const b = model.batchSize;
    if (!(Number.isInteger(b) && b >= 1)) throw new SluiceError('MODEL', `${model.kind} model: batchSize must be an integer ≥ 1, got ${b}`);
    this.batchSize = b;
    this.outputs = model.outputs;
    this.metrics = options.metrics ?? null;
    this.learnOnly = options.learnOnly ?? false;
    this.delay = options.labelDelay ?? null;
    this.now = options.now ?? Date.now;
    this.maxRows = options.maxRows ?? Infinity;
    this.held = this.delay && !this.learnOnly ? new HeldPredictions(model.outputs) : null;
    this.hook = this.learnOnly ? null : (options.onChunk ?? null);
    this.onScored = this.learnOnly ? null : (options.onScored ?? null);
    this.chunkRows = Math.ceil(Math.max(1, options.chunkRows ?? CHUNK_ROWS) / b) * b;
    this.chunkTargets = new Float32Array(this.hook ? this.chunkRows : 0);
    this.chunkPredictions = new Float32Array(this.hook ? this.chunkRows * this.outputs : 0);
    const r = options.restore;
    if (r) {
      if (this.held)
        throw new SluiceError('CHECKPOINT', 'test-then-train with a label delay cannot be restored from a snapshot (its held predictions are not saved)');
      this.taken = r.taken;
      this.scoredRows = r.scored;
      this.learnedRows = r.learned;
      this.unlearnedRows = r.unlearned;
      this.halted = r.halted;
      this.cursor = r.cursor;
      this.released = r.released;
      this.chunkFirst = r.chunk.first;
      this.chunkIn = r.chunk.in;
      this.chunkLabeled = r.chunk.targets.length;
      this.chunkTargets.set(r.chunk.targets);
      this.chunkPredictions.set(r.chunk.predictions);
      if (r.pending) {
        const m = FeatureMatrix.fromJSON(r.pending);
        this.pend(m, 0, m.rows);
      }
    } else if (options.resume) {
      this.taken = options.resume.rows;
      this.scoredRows = options.resume.scored;
      this.learnedRows = options.resume.scored;
      this.chunkFirst = this.released = this.cursor = options.resume.rows;
    }
  }

  /** Rows taken in (cut at maxRows). */
  get rows(): number {
    return this.taken;
  }

  /** Labeled rows scored. */
  get scored(): number {
    return this.scoredRows;
  }

  /** Labeled rows learned. */
  get learned(): number {
    return this.learnedRows;
  }

  /** Rows taken in that will never be learned because onChunk stopped the engine. */
  get unlearned(): number {
    return this.unlearnedRows;
  }

  /** Rows whose label has not arrived yet (label delay). */
  get waiting(): number {
    return this.held?.size ?? 0;
  }

  /** Rows of a partial mini-batch waiting for the next source batch. */
  get carried(): number {
    return this.pendingRows;
  }

  /** True once onChunk stopped the engine. */
  get stopped(): boolean {
    return this.halted;
  }

  /** True once stopped, or once `maxRows` rows were taken: process() takes no more rows. */
  get done(): boolean {
    return this.halted || this.taken >= this.maxRows;
  }

  /**
   * The engine's state between two `process` calls, for a checkpoint: restored with the `restore`
   * option (same model state, same options), it goes on exactly as this one would. The rows
   * waiting for their mini-batch are copied. Not with a label delay (its held rows are not saved).
   */
  snapshot(): TestThenTrainState {
    if (this.held) throw new SluiceError('CHECKPOINT', 'test-then-train with a label delay cannot be snapshot (its held predictions are not saved)');
    let pending: FeatureMatrixState | null = null;
    if (this.pendingRows > 0) {
      // One copied piece instead of views into past batches: the same rows in the same order.
      const m = this.assemble(null, 0);
      this.pend(m, 0, m.rows);
      pending = m.toJSON();
    }
    const w = this.outputs;
    return {
      taken: this.taken,
      scored: this.scoredRows,
      learned: this.learnedRows,
      unlearned: this.unlearnedRows,
      halted: this.halted,
      cursor: this.cursor,
      released: this.released,
      chunk: {
        first: this.chunkFirst,
        in: this.chunkIn,
        targets: Array.from(this.chunkTargets.subarray(0, this.chunkLabeled)),
        predictions: Array.from(this.chunkPredictions.subarray(0, this.chunkLabeled * w)),
      },
      pending,
    };
  }

  /** Takes one source batch (cut at maxRows): predicts, scores and learns it as far as whole mini-batches go. Returns `done`. */
  async process(m: FeatureMatrix): Promise<boolean> {
    if (this.done) return true;
    if (m.rows === 0) return false;
    if (!m.targets) throw new SchemaError('test-then-train needs targets: give vectorize a target column');
    const x = this.taken + m.rows > this.maxRows ? rowView(m, 0, this.maxRows - this.taken) : m;
    this.taken += x.rows;
    if (this.held) {
      const predictions = await this.model.predict(x);
      this.checkPredictions(predictions, x.rows);
      this.held.hold(x, predictions, this.taken - x.rows, this.now());
      const d = this.delay!;
      const due = 'rows' in d ? this.held.release(this.taken - d.rows, -Infinity) : this.held.release(-Infinity, this.now() - d.ms);
      if (due) await this.settle(due.matrix, due.predictions);
    } else {
      await this.feed(x, !this.learnOnly);
    }
    return this.done;
  }

  /** End of stream: held labels all arrive, the partial mini-batch is predicted and learned as it is, onChunk sees the last rows. */
  async finish(): Promise<void> {
    const due = this.held?.release(Infinity, Infinity);
    if (due) await this.settle(due.matrix, due.predictions);
    if (this.pendingRows > 0) {
      const rest = this.assemble(null, 0);
      if (this.halted) this.unlearnedRows += rest.rows;
      else await this.run(rest, 0, rest.rows, !this.learnOnly && !this.held);
    }
    if (this.hook && this.chunkIn > 0 && !this.halted) {
      const rows = this.chunkIn;
      this.chunkIn = 0;
      if (await this.callHook(this.chunkFirst, rows, this.chunkTargets, this.chunkPredictions, this.chunkLabeled)) this.halted = true;
    }
  }

  /** Rows of x through the engine: a pending mini-batch completed first, then whole mini-batches, the rest kept. */
  private async feed(m: FeatureMatrix, score: boolean): Promise<void> {
    let x = m;
    if (!score) {
      // Learning only: rows without a label have nothing to give.
      const l = labeledRows(m);
      if (!l) return;
      x = l;
    }
    const b = this.batchSize;
    let off = 0;
    if (this.pendingRows > 0) {
      const need = b - this.pendingRows;
      if (x.rows < need) {
        this.pend(x, 0, x.rows);
        return;
      }
      const mb = this.assemble(x, need);
      off = need;
      await this.run(mb, 0, mb.rows, score);
      if (this.halted) {
        this.unlearnedRows += x.rows - off;
        return;
      }
    }
    const whole = off + Math.floor((x.rows - off) / b) * b;
    if (whole > off) {
      const reached = await this.run(x, off, whole, score);
      if (this.halted) {
        this.unlearnedRows += x.rows - reached;
        return;
      }
    }
    if (whole < x.rows) this.pend(x, whole, x.rows);
  }

  /**
   * Rows [s, e) of x (whole mini-batches, or the last partial one): test-then-train, scored, the hook
   * called at each chunk boundary. Returns the row reached (e, or where the hook stopped the engine).
   */
  private async run(x: FeatureMatrix, s: number, e: number, score: boolean): Promise<number> {
    if (!score) {
      await this.model.learn(rowView(x, s, e));
      this.learnedRows += e - s;
      return e;
    }
    const w = this.outputs;
    if (this.scratch.length < (e - s) * w) this.scratch = new Float32Array((e - s) * w);
    const out = this.scratch;
    // The chunks' CSR views take their indptrs from one array per call (each its own range, never
    // rewritten): a fresh ArrayBuffer per ~256-row view cost more than the view's rows' bookkeeping.
    let room: Int32Array | null = null,
      at = 0;
    let a = s;
    while (a < e && !this.halted) {
      // Chunk boundaries are multiples of chunkRows in the stream, so a multiple of the batch size away.
      const z = this.hook ? Math.min(e, a + this.chunkRows - this.chunkIn) : this.onScored ? Math.min(e, a + this.chunkRows) : e;
      const p = out.subarray((a - s) * w, (z - s) * w);
      if (this.model.testThenTrain) {
        let into: Int32Array | undefined;
        if (x.kind !== 'dense' && (a > 0 || z < x.rows)) {
          if (room === null || at + z - a + 1 > room.length) {
            // Room for every chunk left in [a, e): its rows plus one entry per chunk.
            room = new Int32Array(e - a + Math.ceil((e - a) / this.chunkRows) + 1);
            at = 0;
          }
          into = room.subarray(at, at + z - a + 1);
          at += z - a + 1;
        }
        this.model.testThenTrain(rowView(x, a, z, into), p);
      } else if (this.model.testThenTrainAsync) await this.model.testThenTrainAsync(rowView(x, a, z), p);
      else await this.predictLearn(x, a, z, p);
      if (this.onScored) {
        this.onScored(this.cursor, x.targets!.subarray(a, z), p);
        this.cursor += z - a;
      }
      if (this.hook) {
        // Awaited only when the hook is async: a microtask turn per chunk cost more than the chunk's bookkeeping.
        const stop = this.collect(x, a, z, p);
        if (stop === true || (stop !== false && (await stop))) this.halted = true;
      }
      a = z;
    }
    const n = this.score(x, s, a, out);
    // With a hook, collect() counted the learned rows chunk by chunk (the hook reads `learned`).
    if (!this.hook) this.learnedRows += n;
    return a;
  }

  /** Predict, then learn, per mini-batch: for models without testThenTrain. */
  private async predictLearn(x: FeatureMatrix, a: number, z: number, out: Float32Array): Promise<void> {
    const b = this.batchSize,
      w = this.outputs;
    for (let i = a; i < z; i += b) {
      const v = rowView(x, i, Math.min(z, i + b));
      const p = await this.model.predict(v);
      this.checkPredictions(p, v.rows);
      out.set(p, (i - a) * w);
      const l = labeledRows(v);
      if (l) await this.model.learn(l);
    }
  }

  /** Scores the labeled rows of x in [s, e) against `predictions` (from row s). Returns how many were labeled. */
  private score(x: FeatureMatrix, s: number, e: number, predictions: Float32Array): number {
    if (e <= s) return 0;
    const w = this.outputs;
    const t = x.targets!.subarray(s, e);
    let missing = 0;
    for (let i = 0; i < t.length; i++) if (!(t[i]! - t[i]! === 0)) missing++;
    const labeled = t.length - missing;
    if (this.metrics && labeled > 0) {
      const p = predictions.subarray(0, t.length * w);
      const weights = x.weights?.subarray(s, e);
      if (missing === 0) {
        this.metrics.update(t, predictionsOf(this.model.task, p), weights);
      } else {
        const tk = new Float32Array(labeled),
          pk = new Float32Array(labeled * w),
          wk = weights ? new Float32Array(labeled) : undefined;
        for (let i = 0, k = 0; i < t.length; i++) {
          if (!(t[i]! - t[i]! === 0)) continue;
          tk[k] = t[i]!;
          if (wk) wk[k] = weights![i]!;
          pk.set(p.subarray(i * w, (i + 1) * w), k * w);
          k++;
        }
        this.metrics.update(tk, predictionsOf(this.model.task, pk), wk);
      }
    }
    this.scoredRows += labeled;
    return labeled;
  }

  /** Adds rows [a, z) to the hook's chunk; calls the hook when the chunk is full. Returns (a promise of) true to stop. */
  private collect(x: FeatureMatrix, a: number, z: number, predictions: Float32Array): boolean | Promise<boolean> {
    const t = x.targets!,
      w = this.outputs,
      ct = this.chunkTargets,
      cp = this.chunkPredictions;
    let k = this.chunkLabeled;
    for (let i = a; i < z; i++) {
      const y = t[i]!;
      if (!(y - y === 0)) continue;
      ct[k] = y;
      if (w === 1) cp[k] = predictions[i - a]!;
      else for (let j = 0; j < w; j++) cp[k * w + j] = predictions[(i - a) * w + j]!;
      k++;
    }
    this.learnedRows += k - this.chunkLabeled;
    this.chunkLabeled = k;
    this.chunkIn += z - a;
    if (this.chunkIn < this.chunkRows) return false;
    const first = this.chunkFirst;
    this.chunkFirst += this.chunkIn;
    this.chunkIn = 0;
    return this.callHook(first, this.chunkRows, ct, cp, k);
  }

  /** Calls the hook on the first `labeled` targets and their predictions; (a promise of) true to stop. */
  private callHook(first: number, rows: number, targets: Float32Array, predictions: Float32Array, labeled: number): boolean | Promise<boolean> {
    this.chunkLabeled = 0;
    const w = this.outputs;
    // A chunk of labeled rows only fills the arrays: no views needed.
    const t = labeled === targets.length ? targets : targets.subarray(0, labeled),
      p = labeled * w === predictions.length ? predictions : predictions.subarray(0, labeled * w);
    const r = this.hook!({ first, rows, targets: t, predictions: p });
    return r instanceof Promise ? r.then((v) => v === true) : r === true;
  }

  /** Label delay: scores the rows whose labels arrived (with the predictions held for them), shows them to the hook, learns them. */
  private async settle(m: FeatureMatrix, predictions: Float32Array): Promise<void> {
    const first = this.released;
    this.released += m.rows;
    if (this.halted) {
      this.unlearnedRows += m.rows;
      return;
    }
    const labeled = this.score(m, 0, m.rows, predictions);
    if (labeled === 0) return;
    this.onScored?.(first, m.targets!, predictions);
    if (this.hook) {
      const l = labeledRows(m)!;
      const p = labeled === m.rows ? predictions : new Float32Array(labeled * this.outputs);
      if (labeled < m.rows) {
        const t = m.targets!,
          w = this.outputs;
        for (let i = 0, k = 0; i < m.rows; i++) if (t[i]! - t[i]! === 0) p.set(predictions.subarray(i * w, (i + 1) * w), w * k++);
      }
      if (await this.callHook(first, m.rows, l.targets!, p, labeled)) {
        this.halted = true;
        this.unlearnedRows += m.rows;
        return;
      }
    }
    await this.feed(m, false);
  }

  private pend(x: FeatureMatrix, start: number, end: number): void {
    this.pending.push({ m: x, start, end });
    this.pendingRows += end - start;
  }

  /** The pending rows, then the first `need` rows of x, copied into one matrix; the pending list empties. */
  private assemble(x: FeatureMatrix | null, need: number): FeatureMatrix {
    const parts: FeatureMatrix[] = [];
    const rows = new Int32Array(this.pendingRows + need);
    let base = 0,
      k = 0;
    for (const p of this.pending) {
      parts.push(p.m);
      for (let i = p.start; i < p.end; i++) rows[k++] = base + i;
      base += p.m.rows;
    }
    if (x && need > 0) {
      parts.push(x);
      for (let i = 0; i < need; i++) rows[k++] = base + i;
    }
    this.pending = [];
    this.pendingRows = 0;
    return takeRows(parts, rows);
  }

  private checkPredictions(p: Float32Array, rows: number): void {
    if (p.length !== rows * this.outputs)
      throw new SluiceError('PREDICTIONS', `${this.model.kind}.predict gave ${p.length} values for ${rows} rows × ${this.outputs} outputs`);
  }
}
