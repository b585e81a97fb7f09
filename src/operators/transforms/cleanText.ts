import { map, type OperatorFunction } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { type CleanStringOptions, TextCleaner } from '../../features/index.js';

/** Cleans text/category columns (lowercase, HTML, URLs, numbers, punctuation; each optional). */
export function cleanText(columns: readonly string[], options: CleanStringOptions & { emptyAsMissing?: boolean } = {}): OperatorFunction<Batch, Batch> {
  const { emptyAsMissing, ...clean } = options;
  const t = new TextCleaner(columns, clean, emptyAsMissing ?? false);
  return map((b) => t.apply(b));
}
