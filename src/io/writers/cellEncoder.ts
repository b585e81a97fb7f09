import { type Column, validity } from '../../core/index.js';
import { isoDatetime } from './isoDatetime.js';

/** How a text format spells the cells whose rendering differs: CSV and NDJSON. */
export interface CellSpelling {
  /** A missing cell (and a non-finite number). */
  missing: string;
  /** A string cell (category, text, datetime's ISO form), encoded once per dictionary code. */
  string: (s: string) => string;
  /** A vector cell's text; absent: the format cannot hold one (the caller is told by `null`). */
  vector?: (slots: Record<number, number>) => string;
}

/**
 * The text of row i of a column, in a text format's spelling; null for a vector column the
 * format cannot hold. Numbers use JS's shortest round-trip form; dictionary strings are encoded
 * once per code, not per row.
 */
export function cellEncoder(c: Column, spell: CellSpelling): ((i: number) => string) | null {
  const v = c.validity;
  const ok = (i: number) => v === null || validity.get(v, i);
  const none = spell.missing;
  switch (c.type) {
    case 'number': {
      const x = c.values;
      return (i) => (ok(i) && Number.isFinite(x[i]!) ? String(x[i]!) : none);
    }
    case 'integer': {
      const x = c.values;
      return (i) => (ok(i) ? String(x[i]!) : none);
    }
    case 'boolean': {
      const x = c.values;
      return (i) => (ok(i) ? (x[i] ? 'true' : 'false') : none);
    }
    case 'datetime': {
      const x = c.values;
      return (i) => {
        const s = ok(i) ? isoDatetime(x[i]!) : null;
        return s === null ? none : spell.string(s);
      };
    }
    case 'category':
    case 'text': {
      const { codes, dictionary } = c;
      const encoded: Array<string | undefined> = [];
      return (i) => {
        const code = codes[i]!;
        return ok(i) && code >= 0 ? (encoded[code] ??= spell.string(dictionary.get(code))) : none;
      };
    }
    case 'vector': {
      const write = spell.vector;
      if (!write) return null;
      const { indptr, indices, values } = c;
      return (i) => {
        if (!ok(i)) return none;
        // Summed per slot like Batch.value (a CSR row may repeat an index).
        const slots: Record<number, number> = {};
        for (let p = indptr[i]!; p < indptr[i + 1]!; p++) slots[indices[p]!] = (slots[indices[p]!] ?? 0) + values[p]!;
        return write(slots);
      };
    }
  }
}
