import { type Schema, SchemaError } from '../../core/index.js';

/**
 * Throws a SchemaError naming the first difference between a later batch's columns and the
 * first batch's: a CSV header and an Arrow stream schema are written once, so every batch must
 * fit them. `types`: whether column types must match too (Arrow; CSV text has no types).
 */
export function checkSameColumns(first: Schema, next: Schema, format: string, types: boolean): void {
  if (first === next) return;
  const a = first.fields,
    b = next.fields;
  const had = () => `the first batch's columns (${first.names.join(', ')})`;
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const f = a[k],
      g = b[k];
    if (f !== undefined && g !== undefined && f.name === g.name) {
      if (types && f.type !== g.type)
        throw new SchemaError(`is ${g.type} in this batch but was ${f.type} in the first; ${format} output has one type per column`, g.name);
      continue;
    }
    if (g !== undefined && !first.has(g.name)) throw new SchemaError(`is not among ${had()}; ${format} output keeps the first batch's columns`, g.name);
    if (f !== undefined && !next.has(f.name)) throw new SchemaError(`is missing from this batch; ${format} output keeps ${had()}`, f.name);
    throw new SchemaError(
      `is column ${k + 1} of this batch but column ${first.indexOf(g!.name) + 1} of the first; ${format} output keeps the first batch's order`,
      g!.name,
    );
  }
}
