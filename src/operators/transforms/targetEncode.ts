import { defer, map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { TargetEncoder, type TargetEncoderOptions } from '../../features/index.js';

/** Leak-free online target encoding: each training row is encoded with statistics from rows before it. */
export function targetEncode(columns: readonly string[], options: TargetEncoderOptions): OperatorFunction<Batch, Batch> {
  new TargetEncoder(columns, options);
  return (source) =>
    defer(() => {
      const t = new TargetEncoder(columns, options);
      return source.pipe(
        map((b) => {
          t.learn(b);
          return t.apply(b);
        }),
      );
    });
}
