// Test helpers for the synth suites (not a test file: the runner loads only *.test.ts).
import type { Batch } from '../../src/core/index.js';

/** A numeric column's values (number, integer or boolean) as plain numbers. */
export function nums(b: Batch, name: string): number[] {
  const c = b.column(name);
  if (!('values' in c)) throw new Error(`${name} is not numeric`);
  return Array.from(c.values as ArrayLike<number>);
}

/** A category column's values as strings. */
export function cats(b: Batch, name: string): string[] {
  const c = b.column(name);
  if (c.type !== 'category') throw new Error(`${name} is not a category column`);
  return Array.from(c.codes, (k) => c.dictionary.get(k));
}

/** Rows and rowIds of a batch, for equality checks. */
export function snapshot(b: Batch): string {
  return JSON.stringify({ rows: b.toRows(), ids: Array.from(b.rowIds) });
}

/** |observed − expected| bound for a proportion over n trials, at about 5 standard errors. */
export function tolerance(p: number, n: number): number {
  return 5 * Math.sqrt(Math.max(p * (1 - p), 1e-4) / n);
}
