import { defer, map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { HashedTfidf, type HashedTfidfOptions } from '../../features/index.js';

/** Text column → hashed bag of words / n-grams with online TF-IDF, as a sparse vector column. */
export function textHash(column: string, options: HashedTfidfOptions = {}): OperatorFunction<Batch, Batch> {
  new HashedTfidf(column, options);
  return (source) =>
    defer(() => {
      const t = new HashedTfidf(column, options);
      return source.pipe(
        map((b) => {
          t.learn(b);
          return t.apply(b);
        }),
      );
    });
}
