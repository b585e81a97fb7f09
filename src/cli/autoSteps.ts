import type { Batch } from '../core/index.js';
import { SPLIT_COLUMN } from '../features/index.js';

export interface AutoStepsOptions {
  /** Columns never turned into features (the target, what it reads, --drop). */
  exclude: ReadonlySet<string>;
  /** Distinct values up to which a category is one-hot encoded; beyond, hashed. */
  oneHotLimit?: number;
}

/** Distinct categories one-hot encoded before switching to hashing (wider one-hot rows cost more than they help). */
const ONE_HOT_LIMIT = 50;

/**
 * The train command's default preprocessing for the columns of the first batch, as spec steps:
 * numbers imputed (mean) then standardized; booleans imputed (mode); categories one-hot up to
 * `oneHotLimit` distinct values in the first batch, hashed beyond; datetimes as hour, day of week
 * and month; text as a hashed bag of words.
 */
export function autoSteps(batch: Batch, o: AutoStepsOptions): Array<Record<string, unknown>> {
  const limit = o.oneHotLimit ?? ONE_HOT_LIMIT;
  const numeric: string[] = [],
    booleans: string[] = [],
    oneHot: string[] = [],
    hashed: string[] = [];
  const steps: Array<Record<string, unknown>> = [];
  const later: Array<Record<string, unknown>> = [];
  for (const name of batch.names) {
    if (o.exclude.has(name) || name === SPLIT_COLUMN) continue;
    const c = batch.column(name);
    switch (c.type) {
      case 'number':
      case 'integer':
        numeric.push(name);
        break;
      case 'boolean':
        booleans.push(name);
        break;
      case 'category':
        (c.dictionary.size <= limit ? oneHot : hashed).push(name);
        break;
      case 'datetime':
        later.push({ datetime: { column: name, parts: ['hour', 'dayOfWeek', 'month'], invalid: 'missing' } });
        break;
      case 'text':
        later.push({ text: { column: name, bits: 16 } });
        break;
      default:
        break;
    }
  }
  if (numeric.length) steps.push({ impute: { columns: numeric, strategy: 'mean' } }, { standardize: numeric });
  if (booleans.length) steps.push({ impute: { columns: booleans, strategy: 'mode' } });
  if (oneHot.length) steps.push({ oneHot: { columns: oneHot, maxCategories: limit } });
  if (hashed.length) steps.push({ hash: { columns: hashed, bits: 16, output: 'hashed' } });
  steps.push(...later);
  if (later.some((s) => 'datetime' in s)) {
    // The parts are integer columns: they need standardizing like any number.
    const parts = later.flatMap((s) => ('datetime' in s ? ['hour', 'dayOfWeek', 'month'].map((p) => `${(s.datetime as { column: string }).column}_${p}`) : []));
    steps.push({ impute: { columns: parts, strategy: 'mode' } }, { standardize: parts });
  }
  return steps;
}
