import { map, Observable, type OperatorFunction } from 'rxjs';
import { asyncMap, type Batch } from '../../core/index.js';
import { type ColumnFunction, Derive, type DeriveOptions } from '../../features/index.js';

/**
 * Adds column `name` from an expression (`'delay > 15'`, `'log1p(distance)'`) or a JS function
 * of columns. The expression is parsed here, so a bad one fails at pipeline creation. With
 * `engine: 'webasm' | 'webgpu'` a function runs as a gpu.js kernel, one batch at a time, holding
 * the batch's queue slot while it runs; the kernel is freed on teardown.
 */
export function derive(name: string, def: string | ColumnFunction, options: DeriveOptions = {}): OperatorFunction<Batch, Batch> {
  const t = new Derive(name, def, options);
  if (!t.isAsync) return map((b) => t.apply(b));
  return (source) =>
    new Observable<Batch>((subscriber) => {
      const own = new Derive(name, def, options);
      const sub = source.pipe(asyncMap((b) => own.applyAsync(b))).subscribe(subscriber);
      return () => {
        sub.unsubscribe();
        void own.dispose();
      };
    });
}
