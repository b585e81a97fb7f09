import type { Batch } from '../core/index.js';
import type { RowReject } from './rejectRows.js';

/**
 * The rows of `batch` whose label cannot be learned, as `label` rejects: a missing value, a number
 * that is not finite, and for classification a number that is not a class index in 0..classes−1.
 * Category and boolean labels are only checked for presence (their classes come from the data).
 */
export function labelRejects(batch: Batch, target: string, task: 'classification' | 'regression', classes: number): RowReject[] {
  const c = batch.column(target);
  const out: RowReject[] = [];
  const v = c.validity;
  const n = batch.length;
  const reject = (row: number, value: string, detail: string) => out.push({ row, reason: 'label', field: target, value, detail });
  for (let i = 0; i < n; i++) {
    if (v && ((v[i >> 3]! >> (i & 7)) & 1) === 0) reject(i, '', 'missing label: the row is not learned');
  }
  if (c.type === 'category' || c.type === 'text') {
    for (let i = 0; i < n; i++) if (c.codes[i]! < 0 && !(v && ((v[i >> 3]! >> (i & 7)) & 1) === 0)) reject(i, '', 'missing label: the row is not learned');
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
