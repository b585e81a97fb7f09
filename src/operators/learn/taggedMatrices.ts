import { Observable, tap } from 'rxjs';
import { type Batch, type FeatureMatrix, SchemaError, type Ticket } from '../../core/index.js';
import { FOLD_COLUMN, SPLIT_COLUMN } from '../../features/index.js';
import { type VectorizeOperatorOptions, vectorize } from '../transforms/index.js';

/** A vectorized batch with what the FeatureMatrix does not carry: split and fold per row, and the batch's queue ticket. */
export interface TaggedMatrix {
  matrix: FeatureMatrix;
  /** `__split` per matrix row (0 train, 1 validation, 2 test), or null when the batch had none. */
  split: Int32Array | null;
  /** `__fold` per matrix row, or null. */
  fold: Int32Array | null;
  ticket: Ticket | null;
}

/**
 * Runs `vectorize` and pairs each matrix with its batch's `__split` / `__fold` values, realigned by
 * row id when vectorize dropped bad rows. `__fold` is never a feature. vectorize is synchronous, so
 * the batch seen last before a matrix is the one it came from.
 */
export function taggedMatrices(source: Observable<Batch>, options: VectorizeOperatorOptions): Observable<TaggedMatrix> {
  const spec: VectorizeOperatorOptions = options.features ? options : { ...options, drop: [...(options.drop ?? []), FOLD_COLUMN] };
  return new Observable<TaggedMatrix>((subscriber) => {
    let current: Batch | null = null;
    const sub = source
      .pipe(
        tap((b) => {
          current = b;
        }),
        vectorize(spec),
      )
      .subscribe({
        next(matrix) {
          const b = current!;
          try {
            subscriber.next({ matrix, split: align(b, SPLIT_COLUMN, matrix), fold: align(b, FOLD_COLUMN, matrix), ticket: b.ticket });
          } catch (err) {
            subscriber.error(err);
          }
        },
        error(err) {
          subscriber.error(err);
        },
        complete() {
          subscriber.complete();
        },
      });
    return () => sub.unsubscribe();
  });
}

function align(b: Batch, name: string, m: FeatureMatrix): Int32Array | null {
  if (!b.has(name)) return null;
  const c = b.column(name);
  if (c.type !== 'integer') throw new SchemaError(`expected an integer column, got ${c.type}`, name);
  if (m.rows === b.length) return c.values.slice();
  if (!m.rowIds) throw new SchemaError('vectorize dropped rows and the matrix has no row ids to realign', name);
  // Rows keep their order through vectorize: walk both id lists once.
  const out = new Int32Array(m.rows);
  for (let i = 0, j = 0; i < m.rows; i++) {
    while (j < b.length && b.rowIds[j] !== m.rowIds[i]) j++;
    if (j === b.length) throw new SchemaError(`matrix row id ${m.rowIds[i]} not found in its batch`, name);
    out[i] = c.values[j++]!;
  }
  return out;
}
