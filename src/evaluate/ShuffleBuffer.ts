import { FeatureMatrix, Rng, SpecError } from '../core/index.js';
import { takeRows } from './takeRows.js';

/** A FeatureMatrix as JSON (what ShuffleBuffer snapshots hold). */
interface MatrixJSON {
  kind: 'dense' | 'csr';
  rows: number;
  cols: number;
  values: number[];
  indptr: number[] | null;
  indices: number[] | null;
  targets: number[] | null;
  weights: number[] | null;
  rowIds: number[] | null;
  featureNames: string[];
}

export interface ShuffleBufferState {
  capacity: number;
  rng: ReturnType<Rng['toJSON']>;
  parts: MatrixJSON[];
}

/** One mini-chunk of a replay: which epoch (0-based) it belongs to, and the rows. */
export interface EpochChunk {
  epoch: number;
  matrix: FeatureMatrix;
}

/**
 * The bounded buffer behind multi-epoch training: holds up to `capacity` rows, then replays them
 * `epochs` times, each pass in a fresh seeded random order. When the data fit, that is exactly k
 * epochs over the whole data set (full-batch gradient descent is then a model batch size ≥ the
 * data); when they do not, the stream is cut into windows of `capacity` rows and each window is
 * replayed k times before the next is read (a windowed shuffle: rows mix only within a window).
 * Memory is the window, plus one copy of it while a replay runs.
 */
export class ShuffleBuffer {
  private parts: FeatureMatrix[] = [];
  private count = 0;
  private rng: Rng;

  constructor(
    readonly capacity: number,
    seed = 0,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new SpecError('shuffleBuffer', `expected an integer ≥ 1 (rows), got ${JSON.stringify(capacity)}`);
    this.rng = new Rng(seed);
  }

  /** Rows buffered. */
  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** Buffers what fits of `m`; returns the rest (for the next window), or null. */
  add(m: FeatureMatrix): FeatureMatrix | null {
    if (m.rows === 0) return null;
    const room = this.capacity - this.count;
    if (room <= 0) return m;
    const part = m.rows <= room ? m : m.sliceRows(0, room);
    this.parts.push(part);
    this.count += part.rows;
    return m.rows <= room ? null : m.sliceRows(room, m.rows);
  }

  /** Empties the buffer into `epochs` passes, each shuffled (unless `shuffle` is false), in chunks of `chunkRows`. */
  *replay(epochs: number, chunkRows: number, shuffle = true): Generator<EpochChunk> {
    if (this.count === 0) return;
    const all = this.parts.length === 1 ? this.parts[0]! : takeRows(this.parts, identity(this.count));
    this.parts = [];
    this.count = 0;
    const order = identity(all.rows);
    for (let e = 0; e < epochs; e++) {
      if (shuffle) this.rng.shuffle(order);
      for (let s = 0; s < all.rows; s += chunkRows) yield { epoch: e, matrix: takeRows(all, order.subarray(s, Math.min(all.rows, s + chunkRows))) };
    }
  }

  toJSON(): ShuffleBufferState {
    return { capacity: this.capacity, rng: this.rng.toJSON(), parts: this.parts.map(matrixToJSON) };
  }

  static fromJSON(state: ShuffleBufferState): ShuffleBuffer {
    const b = new ShuffleBuffer(state.capacity);
    b.rng = Rng.fromJSON(state.rng);
    b.parts = state.parts.map(matrixFromJSON);
    b.count = b.parts.reduce((s, p) => s + p.rows, 0);
    return b;
  }
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function matrixToJSON(m: FeatureMatrix): MatrixJSON {
  const arr = (a: ArrayLike<number> | null) => (a ? Array.from(a) : null);
  return {
    kind: m.kind,
    rows: m.rows,
    cols: m.cols,
    values: Array.from(m.kind === 'csr' ? m.values.subarray(0, m.nnz) : m.values),
    indptr: arr(m.indptr),
    indices: arr(m.indices?.subarray(0, m.nnz) ?? null),
    targets: arr(m.targets),
    weights: arr(m.weights),
    rowIds: arr(m.rowIds),
    featureNames: [...m.featureNames],
  };
}

function matrixFromJSON(j: MatrixJSON): FeatureMatrix {
  const extras = {
    targets: j.targets ? Float32Array.from(j.targets) : null,
    weights: j.weights ? Float32Array.from(j.weights) : null,
    rowIds: j.rowIds ? Float64Array.from(j.rowIds) : null,
    featureNames: j.featureNames,
  };
  return j.kind === 'dense'
    ? FeatureMatrix.dense(j.rows, j.cols, Float32Array.from(j.values), extras)
    : FeatureMatrix.csr(j.rows, j.cols, Int32Array.from(j.indptr!), Int32Array.from(j.indices!), Float32Array.from(j.values), extras);
}
