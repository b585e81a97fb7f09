/**
 * One row as the trees see it. `x` holds every feature (length ≥ the model's inputs), 0 where the
 * row has none; `nz[0..n)` are the indices of the features the row carries (for a dense matrix
 * every index, zeros included; for CSR the stored non-zeros, in any order). Observers update only
 * the features in `nz`, so a hashed row of 2^18 columns costs its non-zeros, not its width; a
 * feature absent from `nz` counts as the value 0. The buffers are reused between rows: a learner
 * must copy what it keeps.
 */
export interface TreeRow {
  x: Float64Array;
  nz: Int32Array;
  n: number;
}
