import type { ColumnType } from '../core/index.js';
import { type ColumnSketches, type ColumnStatsState, QuantileSketch, SpaceSaving } from '../features/index.js';
import { DATA_DRIFT_THRESHOLDS } from './DATA_DRIFT_THRESHOLDS.js';
import { homogeneityTest } from './homogeneityTest.js';
import { jensenShannonDivergence } from './jensenShannonDivergence.js';
import { ksCriticalValue } from './ksCriticalValue.js';
import { ksStatistic } from './ksStatistic.js';
import { populationStabilityIndex } from './populationStabilityIndex.js';

/** How far a column moved: `none`, `moderate` or `major` (DATA_DRIFT_THRESHOLDS). */
export type DriftVerdict = 'none' | 'moderate' | 'major';

/** One measure of one column's shift. */
export interface DriftMeasure {
  /** `missing`: PSI of the (present, missing) split, the share of missing cells moving. */
  measure: 'psi' | 'ks' | 'js' | 'missing';
  value: number;
  verdict: DriftVerdict;
  /**
   * Whether the samples differ at α = 0.05: for KS, value − error > critical; for PSI and JS,
   * Pearson's chi-square test on the same bins. Without it the verdict is `none`.
   */
  significant: boolean;
  /** KS: the two-sample critical value D_0.05; PSI/JS: the chi-square statistic's critical value. */
  critical: number;
  /** KS: the sketches' bound on |value − the samples' exact KS| (0 when both are exact). */
  error?: number;
}

/** The shift of one column between a reference and a live sample. */
export interface ColumnDrift {
  type: ColumnType;
  /** Values (not missing, finite) on each side. */
  referenceRows: number;
  liveRows: number;
  /** Numbers: psi and ks; categories and booleans: js. Empty when a side has no values. */
  measures: DriftMeasure[];
  /** The worst of the measures' verdicts. */
  verdict: DriftVerdict;
  /** Shares of missing cells on each side (absent when no cell was seen). */
  referenceMissing?: number;
  liveMissing?: number;
  note?: string;
}

export interface ColumnDriftOptions {
  /** PSI bins: the reference's quantiles 1/bins … (bins−1)/bins are the edges (default 10, deciles). */
  bins?: number;
  /** Categories compared one by one: the union of each side's top k; the rest form one "other" bucket (default 20). */
  topK?: number;
}

type Entry = ColumnStatsState['entries'][string];

const RANK: Record<DriftVerdict, number> = { none: 0, moderate: 1, major: 2 };

/**
 * A column's shift from its reference statistics to its live ones (ColumnStats entries of one
 * column): for numbers (integer, number, datetime), PSI over the reference's decile bins and the
 * KS statistic, both read from the KLL sketches; for categories and text, Jensen–Shannon over the
 * top-k categories plus "other", from the space-saving counters; for booleans, Jensen–Shannon of
 * the two shares. Missing values are left out of those measures; their share is one of its own
 * (`missing`: PSI of the present/missing split, with PSI's thresholds and the chi-square gate), so
 * a column going dark, or filling in, is a shift even when its values keep their distribution.
 */
export function columnDrift(
  referenceEntry: Entry | Readonly<ColumnSketches>,
  liveEntry: Entry | Readonly<ColumnSketches>,
  options: ColumnDriftOptions = {},
): ColumnDrift {
  const bins = options.bins ?? 10,
    topK = options.topK ?? 20;
  const reference = loaded(referenceEntry),
    live = loaded(liveEntry);
  let out: ColumnDrift;
  if (reference.quantiles && live.quantiles) out = numeric(reference.type, reference.quantiles, live.quantiles, bins);
  else if (reference.top && live.top) out = categorical(reference.type, reference.top, live.top, topK);
  else if (reference.type === 'boolean' && live.type === 'boolean' && reference.moments && live.moments) {
    const r = reference.moments,
      l = live.moments;
    out = shares('boolean', [r.count * (1 - r.mean), r.count * r.mean], [l.count * (1 - l.mean), l.count * l.mean], r.count, l.count);
  } else
    return { type: reference.type, referenceRows: 0, liveRows: 0, measures: [], verdict: 'none', note: `not comparable: ${reference.type} and ${live.type}` };
  if (reference.count > 0 && live.count > 0) {
    out.referenceMissing = reference.missing / reference.count;
    out.liveMissing = live.missing / live.count;
    if (reference.missing > 0 || live.missing > 0) {
      const e = [reference.count - reference.missing, reference.missing],
        a = [live.count - live.missing, live.missing];
      out.measures.push(chiGated('missing', populationStabilityIndex(e, a), homogeneityTest(e, a, DATA_DRIFT_THRESHOLDS.alpha), DATA_DRIFT_THRESHOLDS.psi));
      out.verdict = worst(out.measures);
    }
  }
  return out;
}

/** An entry's sketches as objects: a ColumnStats' own (no copy) or loaded from a saved state. */
interface Loaded {
  type: ColumnType;
  count: number;
  missing: number;
  quantiles: QuantileSketch | null;
  top: SpaceSaving | null;
  moments: { count: number; mean: number } | null;
}

function loaded(e: Entry | Readonly<ColumnSketches>): Loaded {
  const q = e.quantiles,
    t = e.top;
  return {
    type: e.type,
    count: e.count,
    missing: e.missing,
    quantiles: q === null ? null : q instanceof QuantileSketch ? q : QuantileSketch.fromJSON(q),
    top: t === null ? null : t instanceof SpaceSaving ? t : SpaceSaving.fromJSON(t),
    moments: e.moments,
  };
}

function numeric(type: ColumnType, r: QuantileSketch, l: QuantileSketch, bins: number): ColumnDrift {
  const out: ColumnDrift = { type, referenceRows: r.n, liveRows: l.n, measures: [], verdict: 'none' };
  if (r.n === 0 || l.n === 0) return { ...out, note: r.n === 0 ? 'no values in the reference' : 'no live values' };
  // Bins (−∞, e1], (e1, e2], …, (e_last, ∞) at the reference's quantiles; tied quantiles (few
  // distinct values) merge, so a column of k values gets at most k bins.
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const e = r.quantile(i / bins);
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  const expected = counts(r, edges),
    actual = counts(l, edges);
  const psi = populationStabilityIndex(expected, actual);
  const chi = homogeneityTest(expected, actual, DATA_DRIFT_THRESHOLDS.alpha);
  const t = DATA_DRIFT_THRESHOLDS.psi;
  out.measures.push(chiGated('psi', psi, chi, t));
  const ks = ksStatistic(r, l);
  const crit = ksCriticalValue(r.n, l.n, DATA_DRIFT_THRESHOLDS.alpha);
  const significant = ks.statistic - ks.error > crit;
  out.measures.push({
    measure: 'ks',
    value: ks.statistic,
    verdict: !significant ? 'none' : ks.statistic >= DATA_DRIFT_THRESHOLDS.ks.major ? 'major' : 'moderate',
    significant,
    critical: crit,
    error: ks.error,
  });
  out.verdict = worst(out.measures);
  return out;
}

/** Counts per bin (−∞, e0], (e0, e1], …, (e_last, ∞) from the sketch's CDF. */
function counts(q: QuantileSketch, edges: readonly number[]): number[] {
  const out: number[] = [];
  let below = 0;
  for (const e of edges) {
    const f = q.rank(e);
    out.push(Math.max(0, f - below) * q.n);
    below = Math.max(below, f);
  }
  out.push(Math.max(0, 1 - below) * q.n);
  return out;
}

function categorical(type: ColumnType, r: SpaceSaving, l: SpaceSaving, topK: number): ColumnDrift {
  const keys = new Set([...r.top(topK), ...l.top(topK)].map((t) => t.value));
  // Counts of a sketch that dropped values overestimate by at most their error; used as they are.
  const rc = new Map(r.top().map((t) => [t.value, t.count] as const)),
    lc = new Map(l.top().map((t) => [t.value, t.count] as const));
  const p: number[] = [],
    q: number[] = [];
  for (const k of keys) {
    p.push(rc.get(k) ?? 0);
    q.push(lc.get(k) ?? 0);
  }
  // "other": every value outside the compared categories.
  p.push(Math.max(0, r.n - p.reduce((a, b) => a + b, 0)));
  q.push(Math.max(0, l.n - q.reduce((a, b) => a + b, 0)));
  return shares(type, p, q, r.n, l.n);
}

function shares(type: ColumnType, p: number[], q: number[], n: number, m: number): ColumnDrift {
  const out: ColumnDrift = { type, referenceRows: n, liveRows: m, measures: [], verdict: 'none' };
  if (n === 0 || m === 0) return { ...out, note: n === 0 ? 'no values in the reference' : 'no live values' };
  const js = jensenShannonDivergence(p, q);
  const chi = homogeneityTest(p, q, DATA_DRIFT_THRESHOLDS.alpha);
  const t = DATA_DRIFT_THRESHOLDS.js;
  out.measures.push(chiGated('js', js, chi, t));
  out.verdict = worst(out.measures);
  return out;
}

function worst(measures: readonly DriftMeasure[]): DriftVerdict {
  let v: DriftVerdict = 'none';
  for (const m of measures) if (RANK[m.verdict] > RANK[v]) v = m.verdict;
  return v;
}

/** A count-based measure (PSI, JS): its verdict needs the chi-square test to be significant first. */
function chiGated(
  measure: 'psi' | 'js' | 'missing',
  value: number,
  chi: { significant: boolean; critical: number },
  t: { moderate: number; major: number },
): DriftMeasure {
  return {
    measure,
    value,
    verdict: !chi.significant || value < t.moderate ? 'none' : value < t.major ? 'moderate' : 'major',
    significant: chi.significant,
    critical: chi.critical,
  };
}
