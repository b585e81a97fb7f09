import type { ColumnType } from './ColumnType.js';
import { DEFAULT_NULL_VALUES } from './DEFAULT_NULL_VALUES.js';
import { parseDatetime } from './parseDatetime.js';
import { parseNumber } from './parseNumber.js';
import { Schema } from './Schema.js';

export interface InferOptions {
  /** Tokens read as missing. */
  nullValues?: readonly string[];
  /** Types that override inference, by column name. */
  types?: Readonly<Record<string, ColumnType>>;
}

// Inference calls a column boolean only on true/false spellings (a subset of parseBoolean's
// words): a column of 1/0 is an integer, one of yes/no a category, unless declared boolean.
const BOOL = new Set(['true', 'false', 'TRUE', 'FALSE', 'True', 'False']);
const INT = /^[+-]?\d+$/;
const DIGITS = /^\d+$/;
/** Up to 1% of a column's values may be words and the column still be numeric, once it has 100 values. */
const STRAY_SHARE = 0.01;
const STRAY_MIN_VALUES = 100;

/**
 * Infers a schema from the first chunk of raw string rows. Per column, the narrowest type that
 * every present value fits: boolean, integer (int32), number, datetime (ISO 8601, `YYYY/MM/DD`,
 * month names as `Jan 1 2000`), then category or text. Text means long free-form strings: mean
 * length over 24 with spaces in most values, a heuristic that separates sentences from codes and names.
 *
 * Identifiers stay strings: a column whose values are all unsigned digit strings, one of them
 * with a leading zero (`00501`, `007`; `0` alone is not one), is a category. A number never
 * has a redundant leading zero, so one such value means the digits are a code (zip codes, account
 * and product numbers, zero-padded fixed-width ids) whose zeros would be lost as a number.
 *
 * A number column may hold up to 1% words in a window of 100 values or more: those are bad cells.
 *
 * An inferred integer column only saw int32 values in the window; readers widen it to number
 * when a larger or fractional value comes later (see ColumnBuilder and CsvParser).
 */
export function inferSchema(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null>>, options: InferOptions = {}): Schema {
  const nullList = options.nullValues ?? DEFAULT_NULL_VALUES;
  const nulls = new Set(nullList);
  // A value whose first character starts no null token skips the set (a string's first lookup
  // hashes it: with 785 columns × 1000 rows that was a third of the inference).
  const firsts = new Set(nullList.map((t) => t.charCodeAt(0)));
  return Schema.from(
    Object.fromEntries(
      header.map((name, k) => {
        const forced = options.types?.[name];
        if (forced) return [name, forced];
        const values: string[] = [];
        for (const r of rows) {
          const v = r[k];
          if (v === null || v === undefined) continue;
          if ((v === '' || firsts.has(v.charCodeAt(0))) && nulls.has(v)) continue;
          values.push(v);
        }
        return [name, inferType(values)];
      }),
    ),
  );
}

function inferType(values: readonly string[]): ColumnType {
  if (values.length === 0) return 'category';
  const plain = plainNumbers(values);
  if (plain !== null) return plain;
  if (values.every((v) => BOOL.has(v))) return 'boolean';
  if (values.some((v) => v.length > 1 && v.charCodeAt(0) === 48 && DIGITS.test(v)) && values.every((v) => DIGITS.test(v))) return 'category';
  // A few stray words among many numbers are bad cells of a number column (their rows are skipped
  // as `number` with a reason), not a reason to make the whole column a category.
  const numbers = values.filter((v) => parseNumber(v) !== undefined);
  const words = values.length - numbers.length;
  if (words === 0 || (values.length >= STRAY_MIN_VALUES && words <= values.length * STRAY_SHARE)) {
    return numbers.every((v) => INT.test(v) && Math.abs(+v) <= 2147483647) ? 'integer' : 'number';
  }
  if (values.every((v) => parseDatetime(v) !== undefined)) return 'datetime';
  let len = 0,
    spaced = 0;
  for (const v of values) {
    len += v.length;
    if (v.includes(' ')) spaced++;
  }
  return len / values.length > 24 && spaced > values.length / 2 ? 'text' : 'category';
}

/**
 * 'integer' or 'number' when every value is a plain decimal (optional sign, digits, optionally a
 * point and digits: what most numeric columns hold), by one scan of the characters; null
 * otherwise, and inferType's general rules decide. Gives what those rules give for such values:
 * no boolean spelling is plain; a multi-digit value with a leading zero (`007`, `00.5`) is left to
 * them (the identifier rule); integers beyond int32 make a number column.
 */
function plainNumbers(values: readonly string[]): 'integer' | 'number' | null {
  let integer = true;
  for (const v of values) {
    const n = v.length;
    let i = v.charCodeAt(0) === 43 || v.charCodeAt(0) === 45 ? 1 : 0;
    const d0 = i;
    while (i < n && isDigit(v.charCodeAt(i))) i++;
    const digits = i - d0;
    if (digits === 0 || (digits > 1 && v.charCodeAt(d0) === 48)) return null;
    if (i === n) {
      // Ten digits may pass int32; more never fit.
      if (digits > 9 && (digits > 10 || Math.abs(+v) > 2147483647)) integer = false;
      continue;
    }
    if (v.charCodeAt(i) !== 46) return null;
    for (i++; i < n; i++) if (!isDigit(v.charCodeAt(i))) return null;
    integer = false;
  }
  return integer ? 'integer' : 'number';
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
