import { type FeatureMatrix, SluiceError } from '../core/index.js';
import { takeRows } from './takeRows.js';

interface Held {
  /** The rows as they arrived: features, and the labels that are not yet "known". */
  matrix: FeatureMatrix;
  /** Row ids used for the join (the matrix's, or stream positions when it has none). */
  ids: Float64Array;
  /** Stream position of the first row, and the wall-clock time the rows were predicted. */
  at: number;
  ms: number;
}

/** Labels that just arrived, with the predictions made for them earlier, joined by row id. */
export interface Matured {
  matrix: FeatureMatrix;
  predictions: Float32Array;
}

/**
 * Predictions waiting for their labels (progressive evaluation with a label delay). Rows are held in
 * arrival order; a row's label "arrives" once `rows` more rows have been predicted, or `ms` after it
 * was predicted. The released labels are then joined to the held predictions by row id (a label
 * whose row was never predicted, or a row id held twice, is an error). Memory is bounded by the
 * delay: at most `rows` rows, or the rows predicted within `ms`.
 */
export class HeldPredictions {
  private readonly queue: Held[] = [];
  /** rowId → held slot (global sequence number); predictions live in `preds` blocks by slot. */
  private readonly slots = new Map<number, number>();
  private readonly blocks: { first: number; values: Float32Array }[] = [];
  private nextSlot = 0;
  private heldRows = 0;

  constructor(readonly width: number) {}

  /** Rows held now. */
  get size(): number {
    return this.heldRows;
  }

  hold(matrix: FeatureMatrix, predictions: Float32Array, at: number, ms: number): void {
    if (matrix.rows === 0) return;
    if (predictions.length !== matrix.rows * this.width)
      throw new SluiceError('PREDICTIONS', `held predictions: ${predictions.length} values for ${matrix.rows} rows of width ${this.width}`);
    const ids = matrix.rowIds ?? Float64Array.from({ length: matrix.rows }, (_, i) => at + i);
    for (let i = 0; i < ids.length; i++) {
      if (this.slots.has(ids[i]!))
        throw new SluiceError('PREDICTIONS', `row id ${ids[i]} is already waiting for its label: row ids must be unique within the label delay`);
      this.slots.set(ids[i]!, this.nextSlot + i);
    }
    this.blocks.push({ first: this.nextSlot, values: predictions });
    this.nextSlot += matrix.rows;
    this.queue.push({ matrix, ids, at, ms });
    this.heldRows += matrix.rows;
  }

  /**
   * Releases the rows whose label is due: stream position < `beforeRow`, or predicted at or before
   * `beforeMs` (pass Infinity to release everything, at the end of the stream).
   */
  release(beforeRow: number, beforeMs: number): Matured | null {
    const parts: FeatureMatrix[] = [],
      idParts: Float64Array[] = [];
    while (this.queue.length) {
      const h = this.queue[0]!;
      const n = h.ms <= beforeMs ? h.matrix.rows : Math.max(0, Math.min(h.matrix.rows, beforeRow - h.at));
      if (n === 0) break;
      if (n === h.matrix.rows) {
        parts.push(h.matrix);
        idParts.push(h.ids);
        this.queue.shift();
        continue;
      }
      parts.push(h.matrix.sliceRows(0, n));
      idParts.push(h.ids.subarray(0, n));
      this.queue[0] = { matrix: h.matrix.sliceRows(n, h.matrix.rows), ids: h.ids.subarray(n), at: h.at + n, ms: h.ms };
      break;
    }
    if (parts.length === 0) return null;
    const rows = parts.reduce((s, m) => s + m.rows, 0);
    const matrix =
      parts.length === 1
        ? parts[0]!
        : takeRows(
            parts,
            Int32Array.from({ length: rows }, (_, i) => i),
          );
    const ids = new Float64Array(rows);
    let o = 0;
    for (const p of idParts) {
      ids.set(p, o);
      o += p.length;
    }
    return { matrix, predictions: this.join(ids) };
  }

  /** Takes the held predictions of these row ids out of the store, in the ids' order. */
  private join(ids: Float64Array): Float32Array {
    const w = this.width,
      rows = ids.length;
    const out = new Float32Array(rows * w);
    for (let i = 0; i < rows; i++) {
      const slot = this.slots.get(ids[i]!);
      if (slot === undefined) throw new SluiceError('PREDICTIONS', `a label arrived for row id ${ids[i]}, which has no held prediction`);
      this.slots.delete(ids[i]!);
      let b = 0;
      while (b + 1 < this.blocks.length && this.blocks[b + 1]!.first <= slot) b++;
      const block = this.blocks[b]!;
      out.set(block.values.subarray((slot - block.first) * w, (slot - block.first + 1) * w), i * w);
    }
    // Rows leave in arrival order, so blocks before the oldest row still held are fully joined.
    const oldest = this.queue.length ? this.slots.get(this.queue[0]!.ids[0]!)! : this.nextSlot;
    while (this.blocks.length && this.blocks[0]!.first + this.blocks[0]!.values.length / w <= oldest) this.blocks.shift();
    this.heldRows -= rows;
    return out;
  }
}
