import { SluiceError } from '../core/index.js';

/**
 * Checks the shapes of one metric update and returns the number of prediction values per row
 * (1, or the class count of a probability matrix). `maxWidth` 1 forbids matrices.
 */
export function checkBatch(metric: string, yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, maxWidth = 1): number {
  const n = yTrue.length;
  if (weights !== undefined && weights.length !== n) {
    throw new SluiceError('METRIC', `${metric}.update: weights has ${weights.length} values for ${n} rows`);
  }
  if (n === 0) {
    if (yPred.length !== 0) throw new SluiceError('METRIC', `${metric}.update: yPred has ${yPred.length} values for 0 rows`);
    return 1;
  }
  const width = yPred.length / n;
  if (!Number.isInteger(width) || width < 1 || width > maxWidth) {
    const want = maxWidth === 1 ? `${n}` : `${n} or a multiple of it (rows×classes)`;
    throw new SluiceError('METRIC', `${metric}.update: yPred has ${yPred.length} values for ${n} rows, expected ${want}`);
  }
  return width;
}
