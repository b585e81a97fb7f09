import { BadInputError, type Batch, SchemaError, validity } from '../../core/index.js';
import type { NonFinitePolicy } from './NonFinitePolicy.js';

/**
 * Column `name` as a Float64Array with NaN for every missing value (number, integer, boolean and
 * datetime columns). Present NaN/±Infinity become NaN under 'missing' or raise a BadInputError
 * under 'error'. Returns the column's own array when it is already clean (read it, never write).
 */
export function numericColumn(batch: Batch, name: string, nonFinite: NonFinitePolicy, source: string): Float64Array {
  const c = batch.column(name);
  const n = batch.length;
  if (c.type === 'number' || c.type === 'datetime') {
    let clean = c.validity === null;
    if (clean)
      for (let i = 0; i < n; i++)
        if (!Number.isFinite(c.values[i]!)) {
          clean = false;
          break;
        }
    if (clean) return c.values;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = c.values[i]!;
      if (!validity.get(c.validity, i)) {
        out[i] = NaN;
        continue;
      }
      if (!Number.isFinite(v)) {
        if (nonFinite === 'error') {
          throw new BadInputError(
            'non-finite',
            { source, line: batch.lines?.[i] ?? batch.rowIds[i]! + 1, field: name, value: String(v) },
            `${v} in numeric column (nonFinite: 'error')`,
          );
        }
        out[i] = NaN;
      } else out[i] = v;
    }
    return out;
  }
  if (c.type === 'integer' || c.type === 'boolean') {
    const out = new Float64Array(n),
      v = c.values;
    if (c.validity === null) for (let i = 0; i < n; i++) out[i] = v[i]!;
    else for (let i = 0; i < n; i++) out[i] = validity.get(c.validity, i) ? v[i]! : NaN;
    return out;
  }
  throw new SchemaError(`${source} needs a numeric column, got ${c.type}`, name);
}
