import { type FeatureMatrix, SchemaError } from '../core/index.js';
import type { TreeRow } from './TreeRow.js';

/**
 * Walks the rows of FeatureMatrix batches as TreeRows, reusing one scratch row: `x` is cleared
 * through the previous row's `nz`, so a CSR row of a 2^18-wide matrix costs its non-zeros.
 * Non-finite feature values are stored as 0 (trees split on finite thresholds).
 */
export class TreeRows {
  readonly row: TreeRow;
  private readonly all: Int32Array;

  constructor(readonly inputs: number) {
    if (!Number.isInteger(inputs) || inputs < 1) throw new SchemaError(`TreeRows: inputs must be a positive integer, got ${inputs}`);
    const nz = new Int32Array(inputs);
    this.all = new Int32Array(inputs);
    for (let j = 0; j < inputs; j++) this.all[j] = j;
    this.row = { x: new Float64Array(inputs), nz, n: 0 };
  }

  /** Points `row` at row i of m (whose width must be `inputs`) and returns it. */
  at(m: FeatureMatrix, i: number): TreeRow {
    const r = this.row,
      x = r.x;
    if (m.cols !== this.inputs) throw new SchemaError(`TreeRows: the model has ${this.inputs} inputs, the batch ${m.cols} columns`);
    for (let k = 0; k < r.n; k++) x[r.nz[k]!] = 0;
    const v = m.values;
    if (m.kind === 'dense') {
      const d = this.inputs,
        o = i * d;
      for (let j = 0; j < d; j++) {
        const a = v[o + j]!;
        x[j] = Number.isFinite(a) ? a : 0;
      }
      r.nz.set(this.all);
      r.n = d;
    } else {
      const ip = m.indptr!,
        ix = m.indices!,
        s = ip[i]!,
        e = ip[i + 1]!;
      let n = 0;
      for (let k = s; k < e; k++) {
        const j = ix[k]!,
          a = v[k]!;
        if (a === 0 || !Number.isFinite(a)) continue;
        // Duplicate indices add up, as a CSR product would.
        if (x[j] === 0) r.nz[n++] = j;
        x[j] = x[j]! + a;
      }
      r.n = n;
    }
    return r;
  }
}
