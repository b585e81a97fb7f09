import { FeatureMatrix, type FeatureMatrixState, Rng } from '../core/index.js';
import type { Model } from '../learn/index.js';
import type { MetricSet } from '../metrics/index.js';
import { labeledRows } from './labeledRows.js';
import { predictionsOf } from './predictionsOf.js';
import { rowView } from './rowView.js';
import { takeRows } from './takeRows.js';

/**
 * Held-out rows kept at most. 200k rows put the standard error of a test accuracy or AUC near
 * 0.001, finer than any difference a user acts on, and keep a hashed sparse sample near 20 MB.
 */
const MAX_ROWS = 200_000;

/** Feature values kept at most (64 MB of Float32): 200k wide dense rows (784 pixels) would take 600 MB. */
const MAX_VALUES = 16_000_000;

/** Rows per predict call when scoring (bounds the prediction buffers). */
const PREDICT_CHUNK = 8192;

/**
 * The held-out rows of a run, as vectorized when they arrived, kept to be scored by the final model
 * at the end (`--holdout`, the split step). Every labeled row is kept up to the capacity (at most
 * 200k rows, fewer for wide rows: see MAX_VALUES), beyond that a seeded uniform sample of them
 * (reservoir sampling): memory stays bounded however long the stream.
 */
export class HeldOutSample {
  private parts: FeatureMatrix[] = [];
  /** Rows held by `parts` (sampled or not, until the next compaction). */
  private partRows = 0;
  private cap = -1;
  private seenRows = 0;
  /** Reservoir mode: sample slot → part index and row in it. */
  private slotPart: Int32Array | null = null;
  private slotRow: Int32Array | null = null;
  private rng: Rng;

  constructor(
    readonly maxRows = MAX_ROWS,
    seed = 1,
    readonly maxValues = MAX_VALUES,
  ) {
    this.rng = new Rng(seed);
  }

  /** Labeled held-out rows offered so far. */
  get seen(): number {
    return this.seenRows;
  }

  /** Rows in the sample (all of them while fewer than the capacity). */
  get size(): number {
    return this.cap < 0 ? 0 : Math.min(this.seenRows, this.cap);
  }

  /** Rows the sample holds at most: maxRows, fewer when a row holds many values (decided by the first rows). */
  get capacity(): number {
    return this.cap < 0 ? this.maxRows : this.cap;
  }

  /** Offers rows (those with a missing target are ignored: nothing to score them against). */
  add(m: FeatureMatrix): void {
    const x = labeledRows(m);
    if (!x) return;
    if (this.cap < 0) {
      const perRow = Math.max(1, x.kind === 'dense' ? x.cols : x.nnz / x.rows);
      this.cap = Math.max(1, Math.min(this.maxRows, Math.floor(this.maxValues / perRow)));
    }
    if (!this.slotPart && this.seenRows + x.rows <= this.cap) {
      this.parts.push(x);
      this.partRows += x.rows;
      this.seenRows += x.rows;
      return;
    }
    if (!this.slotPart) {
      this.slotPart = new Int32Array(this.cap);
      this.slotRow = new Int32Array(this.cap);
      let k = 0;
      this.parts.forEach((p, i) => {
        for (let r = 0; r < p.rows; r++, k++) {
          this.slotPart![k] = i;
          this.slotRow![k] = r;
        }
      });
    }
    const part = this.parts.length,
      sp = this.slotPart,
      sr = this.slotRow!;
    let used = false;
    for (let i = 0; i < x.rows; i++) {
      const t = this.seenRows++;
      const j = t < this.cap ? t : this.rng.int(t + 1);
      if (j < this.cap) {
        sp[j] = part;
        sr[j] = i;
        used = true;
      }
    }
    if (!used) return;
    this.parts.push(x);
    this.partRows += x.rows;
    // Parts outlive most of their sampled rows: copying the sample out when they hold twice its
    // size bounds memory at about three times the capacity, at an amortized copy per row kept.
    if (this.partRows > 2 * this.cap) this.compact();
  }

  /** The sample as JSON (a checkpoint): its rows copied in slot order, the rows seen and the sampler's random state. */
  toJSON(): HeldOutSampleState {
    if (this.slotPart) this.compact();
    const rows =
      this.parts.length === 0
        ? null
        : this.parts.length === 1
          ? this.parts[0]!
          : takeRows(
              this.parts,
              Array.from({ length: this.partRows }, (_, i) => i),
            );
    return {
      maxRows: this.maxRows,
      maxValues: this.maxValues,
      cap: this.cap,
      seen: this.seenRows,
      reservoir: this.slotPart !== null,
      rows: rows?.toJSON() ?? null,
      rng: this.rng.toJSON(),
    };
  }

  /** A sample that goes on as the one `toJSON` saw would (the same rows kept, scored in the same order). */
  static fromJSON(s: HeldOutSampleState): HeldOutSample {
    const h = new HeldOutSample(s.maxRows, 1, s.maxValues);
    h.rng = Rng.fromJSON(s.rng);
    h.cap = s.cap;
    h.seenRows = s.seen;
    if (s.rows) {
      const m = FeatureMatrix.fromJSON(s.rows);
      h.parts = [m];
      h.partRows = m.rows;
      if (s.reservoir) {
        h.slotPart = new Int32Array(h.cap);
        h.slotRow = Int32Array.from({ length: h.cap }, (_, k) => k);
      }
    }
    return h;
  }

  /** Scores the sample with `model` into `metrics`. Returns the rows scored. */
  async score(model: Model, metrics: MetricSet): Promise<number> {
    if (this.slotPart) this.compact();
    let n = 0;
    for (const part of this.parts) {
      for (let r = 0; r < part.rows; r += PREDICT_CHUNK) {
        const x = rowView(part, r, Math.min(part.rows, r + PREDICT_CHUNK));
        const p = await model.predict(x);
        metrics.update(x.targets!, predictionsOf(model.task, p), x.weights ?? undefined);
        n += x.rows;
      }
    }
    return n;
  }

  /** The sampled rows copied into one part, in slot order. */
  private compact(): void {
    const sp = this.slotPart!,
      sr = this.slotRow!;
    const base = new Int32Array(this.parts.length);
    for (let i = 1; i < this.parts.length; i++) base[i] = base[i - 1]! + this.parts[i - 1]!.rows;
    const rows = new Int32Array(this.cap);
    for (let k = 0; k < this.cap; k++) rows[k] = base[sp[k]!]! + sr[k]!;
    this.parts = [takeRows(this.parts, rows)];
    this.partRows = this.cap;
    sp.fill(0);
    for (let k = 0; k < this.cap; k++) sr[k] = k;
  }
}

/** A HeldOutSample as JSON. */
export interface HeldOutSampleState {
  maxRows: number;
  maxValues: number;
  cap: number;
  seen: number;
  /** Sampling has begun (more rows seen than the capacity). */
  reservoir: boolean;
  rows: FeatureMatrixState | null;
  rng: ReturnType<Rng['toJSON']>;
}
