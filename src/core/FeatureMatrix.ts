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

  private extras(): FeatureMatrixExtras {
    return { targets: this.targets, weights: this.weights, rowIds: this.rowIds, featureNames: this.featureNames };
  }
}
