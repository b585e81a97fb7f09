import { type BadRows, type Batch, type Column, parseDatetime, SchemaError, SpecError, validity } from '../core/index.js';
import { DATETIME_PARTS, type DatetimePart } from './DATETIME_PARTS.js';
import { type RowReject, rejectRows } from './rejectRows.js';
import type { Transform, TransformState } from './Transform.js';

/** Periods of the cyclic encodings (a part p becomes sin/cos of 2π·(p - first)/period). */
const PERIOD: Record<DatetimePart, number> = { year: 0, month: 12, dayOfMonth: 31, dayOfWeek: 7, dayOfYear: 366, hour: 24, minute: 60 };
const FIRST: Record<DatetimePart, number> = { year: 0, month: 1, dayOfMonth: 1, dayOfWeek: 0, dayOfYear: 1, hour: 0, minute: 0 };

export type DatetimeEncoding = 'raw' | 'cyclic' | 'both';

export interface DatetimePartsOptions {
  column: string;
  parts: readonly DatetimePart[];
  /** raw: integer parts; cyclic: `_sin`/`_cos` number columns (not for `year`); both. Default raw. */
  encoding?: DatetimeEncoding;
  /** IANA zone the parts are read in (default 'UTC'). Input instants are absolute (epoch ms UTC). */
  timeZone?: string;
  /** Unit of numeric epoch input (default ms). */
  unit?: 'ms' | 's';
  /** Keep the source column (default false: replaced by its parts, as vectorize cannot take raw datetimes). */
  keep?: boolean;
  /** Strings that are not dates: missing parts, or bad rows with reason `date` (default). */
  invalid?: 'missing' | 'error';
  /** Bad-row policy for invalid dates; without it the first bad row throws. Not serialized. */
  badRows?: BadRows | null;
}

export type DatetimePartsState = Omit<Required<DatetimePartsOptions>, 'badRows'> & { parts: DatetimePart[] };

const DAY = 86_400_000;
/** Zone offsets are looked up once per 15-minute UTC bucket: modern transitions fall on quarter hours. */
const BUCKET = 900_000;
const MAX_CACHE = 100_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

/**
 * Calendar and clock parts of a datetime column (datetime values, ISO strings in category/text
 * columns, or epoch numbers) in an explicit time zone: year, month (1-12), dayOfMonth (1-31),
 * dayOfWeek (0 = Sunday … 6 = Saturday), dayOfYear (1-366), hour (0-23), minute (0-59), as
 * integer columns `<column>_<part>` and/or cyclic `<column>_<part>_sin|_cos`. UTC is plain
 * arithmetic; other zones resolve their UTC offset through Intl.DateTimeFormat, cached per
 * 15-minute bucket. Missing input gives missing parts. Stateless.
 */
export class DatetimeParts implements Transform<DatetimePartsState> {
  readonly kind = 'datetimeParts';
  readonly options: DatetimePartsState;
  badRows: BadRows | null;

  constructor(options: DatetimePartsOptions) {
    if (typeof options.column !== 'string' || !options.column)
      throw new SpecError('datetimeParts.column', `expected a column name, got ${JSON.stringify(options.column)}`);
    if (!Array.isArray(options.parts) || options.parts.length === 0)
      throw new SpecError('datetimeParts.parts', `expected a non-empty list of ${DATETIME_PARTS.join('|')}`);
    options.parts.forEach((p, i) => {
      if (!DATETIME_PARTS.includes(p))
        throw new SpecError(`datetimeParts.parts[${i}]`, `expected one of ${DATETIME_PARTS.join('|')}, got ${JSON.stringify(p)}`);
    });
    const encoding = options.encoding ?? 'raw';
    if (!['raw', 'cyclic', 'both'].includes(encoding))
      throw new SpecError('datetimeParts.encoding', `expected one of raw|cyclic|both, got ${JSON.stringify(encoding)}`);
    if (encoding !== 'raw' && options.parts.includes('year'))
      throw new SpecError('datetimeParts.parts', 'year has no cycle: use encoding raw for it, or a separate step');
    const timeZone = options.timeZone ?? 'UTC';
    try {
      // UTC is plain arithmetic: no formatter (the first one loads the zone data, ~10-30 ms).
      if (timeZone !== 'UTC') formatter(timeZone);
    } catch {
      throw new SpecError('datetimeParts.timeZone', `unknown time zone ${JSON.stringify(timeZone)}`);
    }
    const unit = options.unit ?? 'ms';
    if (unit !== 'ms' && unit !== 's') throw new SpecError('datetimeParts.unit', `expected one of ms|s, got ${JSON.stringify(unit)}`);
    const invalid = options.invalid ?? 'error';
    if (invalid !== 'missing' && invalid !== 'error')
      throw new SpecError('datetimeParts.invalid', `expected one of missing|error, got ${JSON.stringify(invalid)}`);
    this.options = { column: options.column, parts: options.parts.slice(), encoding, timeZone, unit, keep: options.keep ?? false, invalid };
    this.badRows = options.badRows ?? null;
  }

  learn(_batch: Batch): void {}

  /** Names of the columns this step adds, in order. */
  outputNames(): string[] {
    const { column, parts, encoding } = this.options;
    return parts.flatMap((p) => [
      ...(encoding !== 'cyclic' ? [`${column}_${p}`] : []),
      ...(encoding !== 'raw' ? [`${column}_${p}_sin`, `${column}_${p}_cos`] : []),
    ]);
  }

  apply(batch: Batch): Batch {
    const { column, parts, encoding, keep, timeZone } = this.options;
    const n = batch.length;
    const rejects: RowReject[] = [];
    // NaN where missing or invalid; a row has parts exactly where its instant is finite.
    const source = batch.column(column);
    const t = this.instants(source, column, rejects);
    // instants() hands back the column's own array only when every value is a valid instant.
    const allFinite = 'values' in source && t === source.values;
    let local = t;
    if (timeZone !== 'UTC') {
      local = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = t[i]!;
        local[i] = x - x === 0 ? x + offsetMs(timeZone, x) : NaN;
      }
    }
    const bitmap = allFinite ? null : missingBits(local);
    // Clock parts and the weekday share one pass (one day split per row); the others one each.
    const raws = new Map<DatetimePart, Int32Array>(parts.map((p) => [p, new Int32Array(n)]));
    const hour = raws.get('hour') ?? null,
      minute = raws.get('minute') ?? null,
      dow = raws.get('dayOfWeek') ?? null;
    // The clock pass also finds the range of days the calendar parts' table needs.
    const range = hour || minute || dow ? clockParts(local, hour, minute, dow) : null;
    for (const [p, raw] of raws) if (raw !== hour && raw !== minute && raw !== dow) rawParts(local, raw, p, range);
    let out = batch;
    for (const p of parts) {
      const raw = raws.get(p)!;
      if (encoding !== 'cyclic') out = out.withColumn(`${column}_${p}`, { type: 'integer', values: raw, validity: bitmap });
      if (encoding !== 'raw') {
        const s = new Float64Array(n),
          c = new Float64Array(n);
        const w = (2 * Math.PI) / PERIOD[p],
          first = FIRST[p];
        for (let i = 0; i < n; i++) {
          const x = local[i]!;
          if (x - x === 0) {
            const a = w * (raw[i]! - first);
            s[i] = Math.sin(a);
            c[i] = Math.cos(a);
          } else {
            s[i] = NaN;
            c[i] = NaN;
          }
        }
        out = out.withColumn(`${column}_${p}_sin`, { type: 'number', values: s, validity: bitmap });
        out = out.withColumn(`${column}_${p}_cos`, { type: 'number', values: c, validity: bitmap });
      }
    }
    // Reject before dropping the source column, so errors can name its position.
    out = rejectRows(out, rejects, this.badRows, 'datetimeParts');
    return keep ? out : out.drop([column]);
  }

  /**
   * Epoch ms per row; NaN where missing or invalid (invalid rows are rejected under `invalid:
   * 'error'`). Read-only: a datetime or ms number column whose every value is a valid instant is
   * returned as is, not copied.
   */
  private instants(c: Column, name: string, rejects: RowReject[]): Float64Array {
    const n = 'codes' in c ? c.codes.length : c.type === 'vector' ? 0 : c.values.length;
    const bad = (i: number, value: string, detail: string) => {
      if (this.options.invalid === 'error') rejects.push({ row: i, reason: 'date', field: name, value, detail });
    };
    switch (c.type) {
      case 'datetime':
      case 'number': {
        const v = c.values;
        const scale = c.type !== 'datetime' && this.options.unit === 's' ? 1000 : 1;
        if (scale === 1 && c.validity === null && allInstants(v)) return v;
        const t = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          t[i] = NaN;
          if (c.validity && ((c.validity[i >> 3]! >> (i & 7)) & 1) === 0) continue;
          const x = v[i]! * scale;
          if (x - x === 0 && Math.abs(x) <= 8.64e15) t[i] = x;
          else bad(i, String(v[i]), 'not a finite instant');
        }
        return t;
      }
      case 'integer': {
        const v = c.values;
        const scale = this.options.unit === 's' ? 1000 : 1;
        const t = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          t[i] = NaN;
          if (c.validity && ((c.validity[i >> 3]! >> (i & 7)) & 1) === 0) continue;
          const x = v[i]! * scale;
          if (x - x === 0 && Math.abs(x) <= 8.64e15) t[i] = x;
          else bad(i, String(v[i]), 'not a finite instant');
        }
        return t;
      }
      case 'category':
      case 'text': {
        const t = new Float64Array(n).fill(NaN);
        const parsed = c.dictionary.values.map((s) => (s.trim() === '' ? NaN : (parseDatetime(s.trim()) ?? Infinity)));
        for (let i = 0; i < n; i++) {
          if (!validity.isValid(c, i) || c.codes[i]! < 0) continue;
          const x = parsed[c.codes[i]!]!;
          if (x === Infinity) bad(i, c.dictionary.get(c.codes[i]!), 'not an ISO date');
          else t[i] = x; // empty strings stay NaN: missing
        }
        return t;
      }
      default:
        throw new SchemaError(`datetimeParts needs a datetime, ISO string or epoch number column, got ${c.type}`, name);
    }
  }

  toJSON(): TransformState<DatetimePartsState> {
    return { kind: this.kind, state: { ...this.options, parts: this.options.parts.slice() } };
  }

  static fromJSON(json: TransformState<DatetimePartsState>): DatetimeParts {
    return new DatetimeParts(json.state);
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at instant `t`, in ms (local = t + offset). */
function offsetMs(timeZone: string, t: number): number {
  let cache = offsets.get(timeZone);
  if (!cache) offsets.set(timeZone, (cache = new Map()));
  const key = Math.floor(t / BUCKET);
  let off = cache.get(key);
  if (off === undefined) {
    const at = key * BUCKET;
    const p: Record<string, number> = {};
    for (const { type, value } of formatter(timeZone).formatToParts(at)) if (type !== 'literal') p[type] = Number(value);
    const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    off = wall - (at - (((at % 1000) + 1000) % 1000));
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(key, off);
  }
  return off;
}

/** Validity bitmap of the finite values of `local`, or null when every one is. */
function missingBits(local: Float64Array): Uint8Array | null {
  const n = local.length;
  let bitmap: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const x = local[i]!;
    if (x - x === 0) continue;
    bitmap ??= validity.allocate(n, 1);
    bitmap[i >> 3]! &= ~(1 << (i & 7));
  }
  return bitmap;
}

/** Whether every value is a finite instant within the Date range (±8.64e15 ms). */
function allInstants(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!(x - x === 0 && Math.abs(x) <= 8.64e15)) return false;
  }
  return true;
}

/**
 * hour, minute and dayOfWeek (each null when not asked for) of `local[i]` where it is finite
 * (other rows keep 0), in one pass: the day split is computed once per row. Same arithmetic as
 * `part`, inlined.
 */
function clockParts(local: Float64Array, hour: Int32Array | null, minute: Int32Array | null, dow: Int32Array | null): Float64Array {
  const n = local.length;
  // A literal, not the module's DAY: a bundle makes that a mutable variable, read and checked at every use.
  const day = 86_400_000;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = local[i]!;
    if (x - x !== 0) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
    const days = Math.floor(x / day);
    if (hour !== null) hour[i] = Math.floor((x - days * day) / 3_600_000);
    if (minute !== null) minute[i] = Math.floor((x - days * day) / 60_000) % 60;
    if (dow !== null) dow[i] = (((days + 4) % 7) + 7) % 7;
  }
  RANGE[0] = lo;
  RANGE[1] = hi;
  return RANGE;
}

/** clockParts' [lo, hi] of the finite values (scratch, read at once). */
const RANGE = new Float64Array(2);

/**
 * Days a batch may span for its calendar parts to be read from a table built per batch (one
 * civil-date conversion per day instead of per row: a file of a year's flights spans 366 days).
 */
const DAY_TABLE = 1 << 14;

/**
 * `raw[i]` = calendar part `p` of `local[i]` where it is finite (other rows keep 0). `range`: the
 * finite values' [lo, hi] when a pass already found them (clockParts), else found here.
 */
function rawParts(local: Float64Array, raw: Int32Array, p: DatetimePart, range: Float64Array | null): void {
  const n = local.length;
  const day = 86_400_000; // a literal (see clockParts)
  let lo = Infinity,
    hi = -Infinity;
  if (range) {
    lo = range[0]!;
    hi = range[1]!;
  } else
    for (let i = 0; i < n; i++) {
      const x = local[i]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  const first = Math.floor(lo / day),
    span = Math.floor(hi / day) - first + 1;
  if (span > 0 && span <= DAY_TABLE && span < n) {
    // Date parts depend on the day only.
    const table = new Int32Array(span);
    for (let d = 0; d < span; d++) table[d] = part((first + d) * day, p);
    for (let i = 0; i < n; i++) {
      const x = local[i]!;
      if (x - x === 0) raw[i] = table[Math.floor(x / day) - first]!;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const x = local[i]!;
    if (x - x === 0) raw[i] = part(x, p);
  }
}

/** One calendar part of a local wall-clock time given as ms since 1970-01-01T00:00 local. */
function part(local: number, p: DatetimePart): number {
  const days = Math.floor(local / DAY);
  const ms = local - days * DAY;
  switch (p) {
    case 'hour':
      return Math.floor(ms / 3_600_000);
    case 'minute':
      return Math.floor(ms / 60_000) % 60;
    case 'dayOfWeek':
      return (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  }
  // Civil date from days since the epoch (H. Hinnant's days_from_civil inverse).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  switch (p) {
    case 'year':
      return y;
    case 'month':
      return m;
    case 'dayOfMonth':
      return d;
    default:
      return days - Math.floor(Date.UTC(y, 0, 1) / DAY) + 1;
  }
}
