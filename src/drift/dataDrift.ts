import { type ColumnSketches, ColumnStats, type ColumnStatsState } from '../features/index.js';
import { type ColumnDrift, type ColumnDriftOptions, columnDrift } from './columnDrift.js';

/** Per-column shift between two samples' statistics. */
export interface DataDriftReport {
  /** Every column both sides have and can compare, in the reference's order. */
  columns: Record<string, ColumnDrift>;
  /** Columns with a moderate or major verdict. */
  drifted: string[];
  /** Columns only the reference has, and only the live sample has. */
  onlyReference: string[];
  onlyLive: string[];
  /** Columns on both sides whose types cannot be compared (a number and a category), with both types. */
  notCompared: Record<string, string>;
}

const NUMERIC = new Set(['number', 'integer', 'datetime']);
const STRINGS = new Set(['category', 'text']);

/**
 * The data drift of every column from a reference sample to a live one, both summarized by
 * ColumnStats (or their saved states): PSI and KS for numbers, Jensen–Shannon for categories
 * and booleans (columnDrift), with a verdict per column. Integer and number columns compare
 * with each other; a number and a category do not (`notCompared`).
 */
export function dataDrift(reference: ColumnStats | ColumnStatsState, live: ColumnStats | ColumnStatsState, options: ColumnDriftOptions = {}): DataDriftReport {
  // ColumnStats are read in place (no copy of their sketches); saved states as they are.
  const r = entriesOf(reference),
    l = entriesOf(live);
  const out: DataDriftReport = { columns: {}, drifted: [], onlyReference: [], onlyLive: [], notCompared: {} };
  for (const [name, re] of r) {
    const le = l.get(name);
    if (!le) {
      out.onlyReference.push(name);
      continue;
    }
    const same = re.type === le.type || (NUMERIC.has(re.type) && NUMERIC.has(le.type)) || (STRINGS.has(re.type) && STRINGS.has(le.type));
    if (!same || re.type === 'vector') {
      out.notCompared[name] = `${re.type} in the reference, ${le.type} live`;
      continue;
    }
    const c = columnDrift(re, le, options);
    out.columns[name] = c;
    if (c.verdict !== 'none') out.drifted.push(name);
  }
  for (const name of l.keys()) if (!r.has(name)) out.onlyLive.push(name);
  return out;
}

type Entry = ColumnStatsState['entries'][string] | Readonly<ColumnSketches>;

/** Each column's entry by name, in the order the statistics first saw them. */
function entriesOf(s: ColumnStats | ColumnStatsState): Map<string, Entry> {
  if (!(s instanceof ColumnStats)) return new Map(Object.entries(s.entries));
  return new Map(s.names.map((n) => [n, s.sketches(n)!]));
}
