import type { TreeRow } from './TreeRow.js';

/** Plain-JSON state of one ForestTree: the flat node arrays (see ForestTree). */
export interface ForestTreeState {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  values: number[];
  depth: number;
}

/**
 * One fitted tree of a RandomForest, stored flat as scikit-learn's `Tree` is: node k splits on
 * `feature[k]` (−1 at a leaf) with x ≤ `threshold[k]` going to `left[k]`, else to `right[k]`; a leaf's
 * output starts at `values[value[k]]` (the class probabilities, or one mean for regression; −1 on
 * inner nodes). Node 0 is the root.
 */
export class ForestTree {
  constructor(
    readonly feature: Int32Array,
    readonly threshold: Float64Array,
    readonly left: Int32Array,
    readonly right: Int32Array,
    readonly value: Int32Array,
    readonly values: Float64Array,
    readonly depth: number,
  ) {}

  get nodes(): number {
    return this.feature.length;
  }

  get leaves(): number {
    let n = 0;
    for (let k = 0; k < this.feature.length; k++) if (this.feature[k]! < 0) n++;
    return n;
  }

  /** The offset in `values` of the leaf that row x reaches. */
  leaf(x: Float64Array): number {
    const feature = this.feature,
      threshold = this.threshold,
      left = this.left,
      right = this.right;
    let k = 0;
    for (let f = feature[0]!; f >= 0; f = feature[k]!) k = x[f]! <= threshold[k]! ? left[k]! : right[k]!;
    return this.value[k]!;
  }

  /** Adds the leaf output of `row` (`width` values) into out[at..]. */
  addRow(row: TreeRow, width: number, out: Float64Array | Float32Array, at: number): void {
    const o = this.leaf(row.x),
      v = this.values;
    for (let c = 0; c < width; c++) out[at + c] = out[at + c]! + v[o + c]!;
  }

  toJSON(): ForestTreeState {
    return {
      feature: Array.from(this.feature),
      threshold: Array.from(this.threshold),
      left: Array.from(this.left),
      right: Array.from(this.right),
      value: Array.from(this.value),
      values: Array.from(this.values),
      depth: this.depth,
    };
  }

  static fromJSON(s: ForestTreeState): ForestTree {
    return new ForestTree(
      Int32Array.from(s.feature),
      Float64Array.from(s.threshold),
      Int32Array.from(s.left),
      Int32Array.from(s.right),
      Int32Array.from(s.value),
      Float64Array.from(s.values),
      s.depth,
    );
  }
}
