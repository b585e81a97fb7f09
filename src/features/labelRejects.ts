import type { Batch } from '../core/index.js';
import type { RowReject } from './rejectRows.js';

/**
 * The rows of `batch` whose label cannot be learned, as `label` rejects: a missing value, a number
 * that is not finite, and for classification a number that is not a class index in 0..classes−1.
 * Category and boolean labels are only checked for presence (their classes come from the data).
 * With `known` (class labels fixed by the first batch), a classification label must be one of
 * them: category labels by name, numbers by value.
 */
export function labelRejects(
  batch: Batch,
  target: string,
  task: 'classification' | 'regression',
  classes: number,
  known?: readonly string[] | null,
): RowReject[] {
  const c = batch.column(target);
  const out: RowReject[] = [];
  const v = c.validity;
  const n = batch.length;
  const reject = (row: number, value: string, detail: string) => out.push({ row, reason: 'label', field: target, value, detail });
  // Whole bytes of a bitmap at once: a label column is rarely missing anything.
  if (v)
    for (let i = 0; i < n; i++) {
      if ((i & 7) === 0 && v[i >> 3] === 255 && i + 8 <= n) {
        i += 7;
        continue;
      }
      if (((v[i >> 3]! >> (i & 7)) & 1) === 0) reject(i, '', 'missing label: the row is not learned');
    }
  const fixed = task === 'classification' && known ? known : null;
  const unknown = fixed
    ? `not one of the classes fixed by the first batch (${fixed
        .slice(0, 10)
        .map((k) => JSON.stringify(k))
        .join(', ')}${fixed.length > 10 ? ', …' : ''}): the row is not learned`
    : '';
  if (c.type === 'category' || c.type === 'text') {
    const knownSet = fixed ? new Set(fixed) : null;
    const ok = knownSet ? c.dictionary.values.map((s) => knownSet.has(s)) : null;
    for (let i = 0; i < n; i++) {
      if (v && ((v[i >> 3]! >> (i & 7)) & 1) === 0) continue;
      if (c.codes[i]! < 0) reject(i, '', 'missing label: the row is not learned');
      else if (ok && !ok[c.codes[i]!]) reject(i, c.dictionary.get(c.codes[i]!), unknown);
    }
  } else if (fixed && (c.type === 'number' || c.type === 'integer')) {
    const values = c.values;
    const knownSet = new Set(fixed.map(Number));
    for (let i = 0; i < n; i++) {
      if (v && ((v[i >> 3]! >> (i & 7)) & 1) === 0) continue;
      const y = values[i]!;
      if (!Number.isFinite(y)) reject(i, String(y), `label is ${y}: the row is not learned`);
      else if (!knownSet.has(y)) reject(i, String(y), unknown);
    }
  } else if (c.type === 'number' || c.type === 'integer') {
    const values = c.values;
    for (let i = 0; i < n; i++) {
      if (v && ((v[i >> 3]! >> (i & 7)) & 1) === 0) continue;
      const y = values[i]!;
      if (!Number.isFinite(y)) reject(i, String(y), `label is ${y}: the row is not learned`);
      else if (task === 'classification' && (!Number.isInteger(y) || y < 0 || y >= classes)) {
        reject(i, String(y), `not a class index in 0..${classes - 1} (the classes were fixed by the first batch; set them with the model's classes option)`);
      }
    }
  }
  return out.sort((a, b) => a.row - b.row);
}
