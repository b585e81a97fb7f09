import { type Batch, type Column, SpecError } from '../core/index.js';
import { SPLIT_COLUMN } from '../features/index.js';

export interface AutoStepsOptions {
  /** Columns never turned into features (the target, what it reads, --drop). */
  exclude: ReadonlySet<string>;
  /** Distinct values up to which a category is one-hot encoded; beyond, hashed. */
  oneHotLimit?: number;
  /**
   * Hashed pairwise crosses of categorical columns: `auto` crosses every pair of the one-hot
   * columns (datetime parts included), `none` (default) none, or the pairs given (`a:b`).
   */
  interactions?: 'auto' | 'none' | ReadonlyArray<readonly [string, string]>;
  /** Key path of `interactions` in errors (default `--interactions`). */
  interactionsPath?: string;
}

/** The steps, and what was decided for each column, in words (the report's `choices.columns`). */
export interface AutoPlan {
  steps: Array<Record<string, unknown>>;
  /** Column → its treatment, e.g. `log1p, impute mean, standardize` or `one-hot (12 values)`. */
  columns: Record<string, string>;
  /** The crossed pairs, as `a:b`. */
  interactions: string[];
}

/** Distinct categories one-hot encoded before switching to hashing (wider one-hot rows cost more than they help). */
const ONE_HOT_LIMIT = 50;
/**
 * Sample skewness above which a non-negative number column gets log1p. 2 is past the usual
 * "highly skewed" mark of 1: only long right tails (counts, amounts, areas), where a few large
 * values would dominate a standardized input, are bent; near-symmetric columns keep their scale.
 */
const SKEW_LOG = 2;
/** Hashed widths: 2^16 slots keep collisions rare for tens of thousands of values or words. */
const HASH_BITS = 16;
const CROSS_BITS = 18;
/** `auto` crosses at most this many columns (pairs grow as n²/2: 10 columns give 45). */
const MAX_CROSS_COLUMNS = 10;
/** Datetime parts as categories: a linear model cannot fit "rush hour" or "weekend" on 0..23 and 0..6. */
const DATETIME_PARTS = ['hour', 'dayOfWeek', 'month'] as const;

/**
 * The train command's default preprocessing for the columns of the first batch, as spec steps,
 * with each choice in words:
 * - numbers: imputed (mean) then standardized; a skewed non-negative column (skewness > 2 in the
 *   first batch, more than two distinct values) gets log1p first;
 * - booleans: imputed (mode);
 * - categories: one-hot up to `oneHotLimit` distinct values in the first batch, hashed beyond;
 * - datetimes: hour, day of week and month, each one-hot (categories, not numbers);
 * - text: hashed TF-IDF, sublinear term frequency (1 + ln tf), rows scaled to unit L2 norm;
 * - `interactions`: hashed crosses of categorical column pairs.
 */
export function autoSteps(batch: Batch, o: AutoStepsOptions): AutoPlan {
  const limit = o.oneHotLimit ?? ONE_HOT_LIMIT;
  const numeric: string[] = [],
    logged: string[] = [],
    booleans: string[] = [],
    oneHot: string[] = [],
    hashed: string[] = [],
    parts: string[] = [];
  const columns: Record<string, string> = {};
  const later: Array<Record<string, unknown>> = [];
  for (const name of batch.names) {
    if (o.exclude.has(name) || name === SPLIT_COLUMN) continue;
    const c = batch.column(name);
    switch (c.type) {
      case 'number':
      case 'integer': {
        numeric.push(name);
        const s = sketch(c, batch.length);
        const log = s.min >= 0 && s.distinct > 2 && s.skew > SKEW_LOG;
        if (log) logged.push(name);
        columns[name] = `${log ? `log1p (skewness ${s.skew.toFixed(1)}), ` : ''}impute mean, standardize`;
        break;
      }
      case 'boolean':
        booleans.push(name);
        columns[name] = 'impute mode, as 0/1';
        break;
      case 'category': {
        const one = c.dictionary.size <= limit;
        (one ? oneHot : hashed).push(name);
        columns[name] = one ? `one-hot (${c.dictionary.size} values in the first batch, up to ${limit})` : `hashed (2^${HASH_BITS} slots, signed)`;
        break;
      }
      case 'datetime':
        later.push({ datetime: { column: name, parts: [...DATETIME_PARTS], invalid: 'missing' } });
        for (const p of DATETIME_PARTS) parts.push(`${name}_${p}`);
        columns[name] = `datetime parts ${DATETIME_PARTS.join(', ')}, each one-hot`;
        break;
      case 'text':
        later.push({ text: { column: name, bits: HASH_BITS, sublinear: true } });
        columns[name] = `text: hashed TF-IDF (2^${HASH_BITS} slots, sublinear tf, L2-normalized rows)`;
        break;
      default:
        columns[name] = `not a feature (${c.type})`;
        break;
    }
  }
  const categorical = [...oneHot, ...parts];
  const pairs = crossPairs(o, categorical, batch);
  const steps: Array<Record<string, unknown>> = [];
  // log1p → impute mean → standardize as one step (one read of each clean column, not five).
  if (numeric.length) steps.push({ imputeStandardize: { columns: numeric, ...(logged.length ? { log1p: logged } : {}) } });
  if (booleans.length) steps.push({ impute: { columns: booleans, strategy: 'mode' } });
  // Datetime parts come before the crosses and one-hot, which read them.
  steps.push(...later.filter((s) => 'datetime' in s));
  if (pairs.length) steps.push({ crosses: { pairs, bits: CROSS_BITS } });
  if (oneHot.length) steps.push({ oneHot: { columns: oneHot, maxCategories: limit } });
  // 24 covers every part (hour 0..23, day 0..6, month 1..12).
  if (parts.length) steps.push({ oneHot: { columns: parts, maxCategories: 24 } });
  if (hashed.length) steps.push({ hash: { columns: hashed, bits: HASH_BITS, output: 'hashed' } });
  steps.push(...later.filter((s) => 'text' in s));
  return { steps, columns, interactions: pairs.map(([a, b]) => `${a}:${b}`) };
}

/** The pairs to cross: every pair of the categorical columns (auto), none, or the given ones, checked. */
function crossPairs(o: AutoStepsOptions, categorical: readonly string[], batch: Batch): Array<[string, string]> {
  const i = o.interactions ?? 'none';
  if (i === 'none') return [];
  if (i === 'auto') {
    const cs = categorical.slice(0, MAX_CROSS_COLUMNS);
    const out: Array<[string, string]> = [];
    for (let a = 0; a < cs.length; a++) for (let b = a + 1; b < cs.length; b++) out.push([cs[a]!, cs[b]!]);
    return out;
  }
  const path = o.interactionsPath ?? '--interactions';
  return i.map(([a, b]) => {
    for (const c of [a, b]) {
      if (categorical.includes(c)) continue;
      const why =
        batch.has(c) && !o.exclude.has(c)
          ? `is a ${batch.column(c).type} column, not a category`
          : o.exclude.has(c)
            ? 'is not a feature'
            : 'is not in the data';
      throw new SpecError(
        path,
        `"${c}" ${why}; crosses take the one-hot columns${categorical.length ? ` (${categorical.join(', ')})` : ', and this data has none'}`,
      );
    }
    return [a, b];
  });
}

/** Min, sample skewness and distinct values (counted up to 3) of a number column's finite values. */
function sketch(c: Extract<Column, { type: 'number' | 'integer' }>, length: number): { min: number; skew: number; distinct: number } {
  let n = 0,
    mean = 0,
    m2 = 0,
    m3 = 0,
    min = Infinity;
  const seen = new Set<number>();
  for (let i = 0; i < length; i++) {
    const x = c.values[i]!;
    if (!Number.isFinite(x) || (c.validity && !((c.validity[i >> 3]! >> (i & 7)) & 1))) continue;
    // Running central moments (Welford / Terriberry), one pass.
    const n1 = n;
    n++;
    const d = x - mean,
      dn = d / n,
      t = d * dn * n1;
    mean += dn;
    m3 += t * dn * (n - 2) - 3 * dn * m2;
    m2 += t;
    if (x < min) min = x;
    if (seen.size < 3) seen.add(x);
  }
  const skew = n > 2 && m2 > 0 ? (Math.sqrt(n) * m3) / m2 ** 1.5 : 0;
  return { min, skew, distinct: seen.size };
}

/** `--interactions auto|none|a:b,c:d` as the autoSteps option. */
export function parseInteractions(raw: string | undefined, path = '--interactions'): AutoStepsOptions['interactions'] {
  if (raw === undefined) return undefined;
  const s = raw.trim();
  if (s === 'auto' || s === 'none') return s;
  const pairs = s
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (pairs.length === 0) throw new SpecError(path, `expected auto, none or pairs a:b,c:d, got "${raw}"`);
  return pairs.map((p) => {
    const ab = p.split(':').map((x) => x.trim());
    if (ab.length !== 2 || !ab[0] || !ab[1] || ab[0] === ab[1]) throw new SpecError(path, `expected a pair of two different columns a:b, got "${p}"`);
    return [ab[0], ab[1]] as const;
  });
}
