import { SchemaError } from './SchemaError.js';
import type { Ticket } from './Ticket.js';

export interface FeatureMatrixExtras {
  /** One target per row: the value (regression) or the class index (classification). */
  targets?: Float32Array | null;
  /** Optional per-row sample weights. */
  weights?: Float32Array | null;
  /** Source row ids, for joining late labels to predictions. */
  rowIds?: Float64Array | null;
  /** Feature name per column index (the layout recorded in the pipeline). */
  featureNames?: readonly string[];
}

/**
 * What models learn from: dense row-major Float32 (rows × cols), or CSR for sparse hashed
 * features (`indptr` of rows+1, `indices` and `values` of nnz), plus targets and weights.
 */
export class FeatureMatrix {
  /** The source batch's queue slot, so async learners hold back the reader (see BoundedQueue). */
  ticket: Ticket | null = null;
  readonly targets: Float32Array | null;
  readonly weights: Float32Array | null;
  readonly rowIds: Float64Array | null;
  readonly featureNames: readonly string[];

  private constructor(
    readonly kind: 'dense' | 'csr',
    readonly rows: number,
    readonly cols: number,
    /** Dense: rows*cols values, row-major. CSR: the nnz non-zero values. */
    readonly values: Float32Array,
    readonly indptr: Int32Array | null,
    readonly indices: Int32Array | null,
    extras: FeatureMatrixExtras,
  ) {
    this.targets = extras.targets ?? null;
    this.weights = extras.weights ?? null;
    this.rowIds = extras.rowIds ?? null;
    this.featureNames = extras.featureNames ?? [];
    const shape = `[${rows}x${cols}]`;
    if (this.targets && this.targets.length !== rows) throw new SchemaError(`FeatureMatrix ${shape}: ${this.targets.length} targets for ${rows} rows`);
    if (this.weights && this.weights.length !== rows) throw new SchemaError(`FeatureMatrix ${shape}: ${this.weights.length} weights for ${rows} rows`);
    if (this.featureNames.length && this.featureNames.length !== cols)
      throw new SchemaError(`FeatureMatrix ${shape}: ${this.featureNames.length} feature names for ${cols} columns`);
  }

  static dense(rows: number, cols: number, values: Float32Array, extras: FeatureMatrixExtras = {}): FeatureMatrix {
    if (values.length !== rows * cols) throw new SchemaError(`dense FeatureMatrix [${rows}x${cols}] needs ${rows * cols} values, got ${values.length}`);
    return new FeatureMatrix('dense', rows, cols, values, null, null, extras);
  }

  static csr(rows: number, cols: number, indptr: Int32Array, indices: Int32Array, values: Float32Array, extras: FeatureMatrixExtras = {}): FeatureMatrix {
    if (indptr.length !== rows + 1) throw new SchemaError(`CSR FeatureMatrix [${rows}x${cols}]: indptr has ${indptr.length} entries, needs ${rows + 1}`);
    const nnz = indptr[rows]!;
    if (indices.length < nnz || values.length < nnz)
      throw new SchemaError(`CSR FeatureMatrix [${rows}x${cols}]: indptr says ${nnz} non-zeros, indices ${indices.length}, values ${values.length}`);
    return new FeatureMatrix('csr', rows, cols, values, indptr, indices, extras);
  }

  get nnz(): number {
    return this.kind === 'dense' ? this.rows * this.cols : this.indptr![this.rows]!;
  }

  /** One entry (slow path). */
  get(i: number, j: number): number {
    if (this.kind === 'dense') return this.values[i * this.cols + j]!;
    for (let p = this.indptr![i]!; p < this.indptr![i + 1]!; p++) if (this.indices![p] === j) return this.values[p]!;
    return 0;
  }

  /** A dense copy (CSR duplicates are summed). */
  toDense(): FeatureMatrix {
    if (this.kind === 'dense') return this;
    const out = new Float32Array(this.rows * this.cols);
    for (let i = 0; i < this.rows; i++)
      for (let p = this.indptr![i]!; p < this.indptr![i + 1]!; p++) out[i * this.cols + this.indices![p]!]! += this.values[p]!;
    return FeatureMatrix.dense(this.rows, this.cols, out, this.extras());
  }

  /** Rows [start, end), copied. */
  sliceRows(start: number, end: number): FeatureMatrix {
    const s = Math.max(0, start),
      e = Math.min(this.rows, end);
    const ex: FeatureMatrixExtras = {
      targets: this.targets?.slice(s, e) ?? null,
      weights: this.weights?.slice(s, e) ?? null,
      rowIds: this.rowIds?.slice(s, e) ?? null,
      featureNames: this.featureNames,
    };
    if (this.kind === 'dense') return FeatureMatrix.dense(e - s, this.cols, this.values.slice(s * this.cols, e * this.cols), ex);
    const p0 = this.indptr![s]!,
      p1 = this.indptr![e]!;
    const indptr = new Int32Array(e - s + 1);
    for (let i = s; i <= e; i++) indptr[i - s] = this.indptr![i]! - p0;
    return FeatureMatrix.csr(e - s, this.cols, indptr, this.indices!.slice(p0, p1), this.values.slice(p0, p1), ex);
  }

  /**
   * The matrix as JSON (a checkpoint's rows in flight): typed arrays as base64 of their bytes, so
   * every value comes back bit for bit and the text stays ~1.4× the binary size.
   */
  toJSON(): FeatureMatrixState {
    const csr = this.kind === 'csr';
    const nnz = this.nnz;
    return {
      kind: this.kind,
      rows: this.rows,
      cols: this.cols,
      values: bytes(this.values.subarray(0, csr ? nnz : this.rows * this.cols)),
      indptr: csr ? bytes(this.indptr!.subarray(0, this.rows + 1)) : null,
      indices: csr ? bytes(this.indices!.subarray(0, nnz)) : null,
      targets: this.targets ? bytes(this.targets) : null,
      weights: this.weights ? bytes(this.weights) : null,
      rowIds: this.rowIds ? bytes(this.rowIds) : null,
      featureNames: [...this.featureNames],
    };
  }

  static fromJSON(s: FeatureMatrixState): FeatureMatrix {
    const ex: FeatureMatrixExtras = {
      targets: s.targets === null ? null : new Float32Array(unbytes(s.targets)),
      weights: s.weights === null ? null : new Float32Array(unbytes(s.weights)),
      rowIds: s.rowIds === null ? null : new Float64Array(unbytes(s.rowIds)),
      featureNames: s.featureNames,
    };
    const values = new Float32Array(unbytes(s.values));
    if (s.kind === 'dense') return FeatureMatrix.dense(s.rows, s.cols, values, ex);
    if (s.kind !== 'csr' || s.indptr === null || s.indices === null)
      throw new SchemaError(`FeatureMatrix.fromJSON: not a matrix state (kind ${JSON.stringify(s.kind)})`);
    return FeatureMatrix.csr(s.rows, s.cols, new Int32Array(unbytes(s.indptr)), new Int32Array(unbytes(s.indices)), values, ex);
  }

  private extras(): FeatureMatrixExtras {
    return { targets: this.targets, weights: this.weights, rowIds: this.rowIds, featureNames: this.featureNames };
  }
}

/** A FeatureMatrix as JSON: its arrays as base64 of their little-endian bytes. */
export interface FeatureMatrixState {
  kind: 'dense' | 'csr';
  rows: number;
  cols: number;
  values: string;
  indptr: string | null;
  indices: string | null;
  targets: string | null;
  weights: string | null;
  rowIds: string | null;
  featureNames: string[];
}

function bytes(a: Float32Array | Float64Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** The bytes of a base64 string in a fresh, aligned ArrayBuffer. */
function unbytes(s: string): ArrayBuffer {
  const b = Buffer.from(s, 'base64');
  const out = new ArrayBuffer(b.length);
  new Uint8Array(out).set(b);
  return out;
}
