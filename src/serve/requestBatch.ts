import { Batch, type Column, type ColumnType, parseDatetime, Schema, StringDictionary, validity } from '../core/index.js';
import { RequestError } from './RequestError.js';

type Row = Record<string, unknown>;

/** `row N: ` in an array body, nothing for a single object. */
export function whereRow(i: number, one: boolean): string {
  return one ? '' : `row ${i}: `;
}

/** `{ row: N }` in an array body, nothing for a single object. */
export function atRow(i: number, one: boolean): { row?: number } {
  return one ? {} : { row: i };
}

/** A schema of nullable columns by name and type. */
export function schemaOf(types: Readonly<Record<string, ColumnType>>): Schema {
  return new Schema(Object.entries(types).map(([name, type]) => ({ name, type, nullable: true })));
}

/** Most strings a shared dictionary takes before it is replaced by a fresh one (memory stays bounded). */
const MAX_DICTIONARY = 100_000;
/** Most characters its strings hold (~32 MB as UTF-16): 100k strings of a megabyte each would be 100 GB. */
const MAX_DICTIONARY_CHARS = 16 * 1024 * 1024;

/**
 * One growing dictionary per category column, shared by the requests, as a source shares one
 * across its batches: a step that keys on the dictionary (the hasher's table of each code's slot,
 * an encoder's code map) then works out each string once, not once per request. A dictionary that
 * reaches 100,000 strings or 16M characters is replaced by a fresh one, so clients sending ever new
 * (or huge) strings cannot grow it without bound (batches already built keep theirs).
 */
export class Dictionaries {
  private readonly byColumn = new Map<string, { dict: StringDictionary; counted: number; chars: number }>();

  /** The dictionary of `column`, fresh when the one in use is full (in strings or in characters). */
  get(column: string): StringDictionary {
    let e = this.byColumn.get(column);
    if (e !== undefined) {
      // Characters of the strings added since the last call (amortized: each string counted once).
      const values = e.dict.values;
      for (; e.counted < values.length; e.counted++) e.chars += values[e.counted]!.length;
    }
    if (e === undefined || e.dict.size >= MAX_DICTIONARY || e.chars >= MAX_DICTIONARY_CHARS) {
      e = { dict: new StringDictionary(), counted: 0, chars: 0 };
      this.byColumn.set(column, e);
    }
    return e.dict;
  }

  /** The dictionaries of `columns` by name, for batchFromArrow (which adds a fresh one for any other column). */
  map(columns: readonly string[]): Map<string, StringDictionary> {
    return new Map(columns.map((c) => [c, this.get(c)]));
  }
}

/**
 * JSON rows (checked against the body's schema) → a Batch of the columns of `schema`, typed as the
 * model reads them, with lines 1..n so a step's BadInputError names the row. A value the schema
 * lets through but the model cannot take (1e999, a date that does not parse) is a 400 naming the
 * row and the column. `schema` null (types not recorded): the columns are guessed from the rows.
 */
export function batchFromRows(rows: readonly Row[], schema: Schema | null, one: boolean, dictionaries: Dictionaries | null = null): Batch {
  const n = rows.length;
  if (schema === null) {
    const b = Batch.fromRows(rows);
    return new Batch(b.schema, b.columns, n, b.rowIds, lines(n));
  }
  const fields = schema.fields;
  const columns = new Array<Column>(fields.length);
  for (let k = 0; k < fields.length; k++) {
    const f = fields[k]!;
    columns[k] = columnFromRows(
      rows,
      f.name,
      f.type,
      one,
      f.type === 'category' || f.type === 'text' ? (dictionaries?.get(f.name) ?? new StringDictionary()) : null,
    );
  }
  return new Batch(schema, columns, n, Batch.sequence(0, n), lines(n));
}

function lines(n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i + 1;
  return out;
}

function badCell(i: number, one: boolean, name: string, what: string, v: unknown): RequestError {
  return new RequestError(400, `${whereRow(i, one)}column "${name}": ${what}, got ${JSON.stringify(v)}`, { field: name, ...atRow(i, one) });
}

function unset(bitmap: Uint8Array | null, n: number, i: number): Uint8Array {
  const b = bitmap ?? validity.allocate(n, 1);
  validity.set(b, i, false);
  return b;
}

function columnFromRows(rows: readonly Row[], name: string, type: ColumnType, one: boolean, dictionary: StringDictionary | null): Column {
  const n = rows.length;
  let bitmap: Uint8Array | null = null;
  switch (type) {
    case 'number':
    case 'datetime': {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![name];
        if (v === null || v === undefined) {
          values[i] = Number.NaN;
          bitmap = unset(bitmap, n, i);
        } else if (typeof v === 'number' && Number.isFinite(v)) values[i] = v;
        // 1e999 parses to Infinity: not a number a model can take.
        else if (type === 'number') throw badCell(i, one, name, 'expected a finite number', v);
        else {
          const x = typeof v === 'string' ? parseDatetime(v) : undefined;
          if (x === undefined || !Number.isFinite(x)) throw badCell(i, one, name, 'expected an ISO 8601 date or epoch milliseconds', v);
          values[i] = x;
        }
      }
      return { type, values, validity: bitmap };
    }
    case 'integer': {
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![name];
        if (v === null || v === undefined) bitmap = unset(bitmap, n, i);
        else if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647)
          throw badCell(i, one, name, 'expected a 32-bit integer', v);
        else values[i] = v;
      }
      return { type, values, validity: bitmap };
    }
    case 'boolean': {
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![name];
        if (v === null || v === undefined) bitmap = unset(bitmap, n, i);
        else if (typeof v !== 'boolean') throw badCell(i, one, name, 'expected a boolean', v);
        else values[i] = v ? 1 : 0;
      }
      return { type, values, validity: bitmap };
    }
    case 'category':
    case 'text': {
      const codes = new Int32Array(n);
      const d = dictionary!;
      for (let i = 0; i < n; i++) {
        const v = rows[i]![name];
        if (v === null || v === undefined) {
          codes[i] = -1;
          bitmap = unset(bitmap, n, i);
        } else if (typeof v === 'string') codes[i] = d.code(v);
        else if (typeof v === 'object') throw badCell(i, one, name, 'expected a string', v);
        // As a CSV cell would read: 3 is the category "3".
        else codes[i] = d.code(String(v));
      }
      return { type, codes, dictionary: d, validity: bitmap };
    }
    default:
      throw new RequestError(400, `column "${name}": a ${type} column cannot be sent as JSON`, { field: name });
  }
}

/**
 * A decoded Arrow body → a Batch of exactly the columns of `schema`, each cast to its type where
 * no value changes (an int column where numbers are read, numbers as the text of a category, epoch
 * milliseconds as a datetime), with lines 1..n. A missing column, a type that does not fit, or a
 * non-finite number (NaN is not a value, as in JSON) is a 400 naming the column (and the row).
 */
export function batchFromArrowBody(b: Batch, schema: Schema | null): Batch {
  const n = b.length;
  if (schema === null) return new Batch(b.schema, b.columns, n, b.rowIds, lines(n));
  const columns = schema.fields.map((f) => {
    if (!b.has(f.name))
      throw new RequestError(400, `missing column "${f.name}" (the model reads ${schema.names.join(', ')}; a null is a missing value)`, { field: f.name });
    return castColumn(b.column(f.name), f.name, f.type, n);
  });
  return new Batch(schema, columns, n, Batch.sequence(0, n), lines(n));
}

function castColumn(c: Column, name: string, type: ColumnType, n: number): Column {
  const present = (i: number) => c.validity === null || ((c.validity[i >> 3]! >> (i & 7)) & 1) === 1;
  const refuse = () =>
    new RequestError(400, `column "${name}": expected ${type === 'category' || type === 'text' ? 'strings' : `${type}s`}, got an Arrow ${c.type} column`, {
      field: name,
    });
  const finite = (values: ArrayLike<number>) => {
    for (let i = 0; i < n; i++)
      if (present(i) && !Number.isFinite(values[i]!))
        throw new RequestError(400, `row ${i}: column "${name}": expected a finite number, got ${values[i]} (a null is a missing value)`, {
          field: name,
          row: i,
        });
  };
  switch (type) {
    case 'number':
      if (c.type === 'number') {
        finite(c.values);
        return c;
      }
      if (c.type === 'integer') return { type: 'number', values: Float64Array.from(c.values), validity: c.validity };
      throw refuse();
    case 'integer':
      if (c.type === 'integer') return c;
      if (c.type === 'number') {
        const values = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          if (!present(i)) continue;
          const v = c.values[i]!;
          if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647)
            throw new RequestError(400, `row ${i}: column "${name}": expected a 32-bit integer, got ${v}`, { field: name, row: i });
          values[i] = v;
        }
        return { type: 'integer', values, validity: c.validity };
      }
      throw refuse();
    case 'boolean':
      if (c.type === 'boolean') return c;
      throw refuse();
    case 'datetime':
      if (c.type === 'datetime') return c;
      if (c.type === 'number' || c.type === 'integer') {
        finite(c.values);
        return { type: 'datetime', values: Float64Array.from(c.values), validity: c.validity };
      }
      throw refuse();
    case 'category':
    case 'text':
      if (c.type === 'category' || c.type === 'text') return c.type === type ? c : { type, codes: c.codes, dictionary: c.dictionary, validity: c.validity };
      if (c.type === 'number' || c.type === 'integer' || c.type === 'boolean') {
        // As a CSV cell would read: 3 is the category "3".
        const codes = new Int32Array(n);
        const dictionary = new StringDictionary();
        for (let i = 0; i < n; i++) codes[i] = present(i) ? dictionary.code(c.type === 'boolean' ? String(c.values[i] === 1) : String(c.values[i])) : -1;
        return { type, codes, dictionary, validity: c.validity };
      }
      throw refuse();
    default:
      throw refuse();
  }
}
