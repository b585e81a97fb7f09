import type { FeatureMatrix } from '../core/index.js';
import { takeRows } from './takeRows.js';

/**
 * The rows of `m` whose target is known (finite): `m` itself when all are (no copy), else a copy of
 * those rows; null when none, or when `m` has no targets. A missing target (NaN) means no label, so
 * such a row is never learned or scored.
 */
export function labeledRows(m: FeatureMatrix): FeatureMatrix | null {
  const t = m.targets;
  if (!t || m.rows === 0) return null;
  let bad = 0;
  for (let i = 0; i < t.length; i++) if (!(t[i]! - t[i]! === 0)) bad++;
  if (bad === 0) return m;
  if (bad === m.rows) return null;
  const keep = new Int32Array(m.rows - bad);
  for (let i = 0, k = 0; i < t.length; i++) if (t[i]! - t[i]! === 0) keep[k++] = i;
  return takeRows(m, keep);
}
