import { QuantileSketch, type QuantileSketchState } from '../features/index.js';

/** A two-sample KS statistic read from sketches, with its approximation bound. */
export interface KSEstimate {
  /** sup_x |F_a(x) − F_b(x)| of the sketches' empirical CDFs, in [0, 1]; NaN if either is empty. */
  statistic: number;
  /**
   * The most `statistic` can differ from the KS statistic of the full samples: the sum of each
   * sketch's normalized rank error (QuantileSketch.rankErrorBound(k), 99% confidence per rank),
   * 0 for a sketch that never compacted (it holds every value: exact).
   */
  error: number;
}

/**
 * The two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) − F_b(x)| (Kolmogorov 1933,
 * Smirnov 1948), from two KLL quantile sketches. A sketch's retained items, each weighing 2^level,
 * define a step CDF; D of two step CDFs is reached at one of their steps, so walking both item
 * lists in order gives the sup exactly for the sketches. Each sketch's CDF is within ε = its rank
 * error of its sample's, so |D̂ − D| ≤ ε_a + ε_b (`error`).
 */
export function ksStatistic(a: QuantileSketch | QuantileSketchState, b: QuantileSketch | QuantileSketchState): KSEstimate {
  const sa = a instanceof QuantileSketch ? a.toJSON() : a,
    sb = b instanceof QuantileSketch ? b.toJSON() : b;
  const error = rankError(sa) + rankError(sb);
  const ia = sorted(sa),
    ib = sorted(sb);
  if (ia.total === 0 || ib.total === 0) return { statistic: NaN, error };
  let i = 0,
    j = 0,
    ca = 0,
    cb = 0,
    d = 0;
  const na = ia.values.length,
    nb = ib.values.length;
  while (i < na || j < nb) {
    // The next step point: every item equal to it, on both sides, is taken before comparing.
    const x = j >= nb || (i < na && ia.values[i]! <= ib.values[j]!) ? ia.values[i]! : ib.values[j]!;
    while (i < na && ia.values[i]! === x) ca += ia.weights[i++]!;
    while (j < nb && ib.values[j]! === x) cb += ib.weights[j++]!;
    const gap = Math.abs(ca / ia.total - cb / ib.total);
    if (gap > d) d = gap;
  }
  return { statistic: d, error };
}

function rankError(s: QuantileSketchState): number {
  return s.n > 0 && s.levels.slice(1).some((l) => l.length > 0) ? QuantileSketch.rankErrorBound(s.k) : 0;
}

/** The retained items in ascending order with their weights, and the total weight (= n). */
function sorted(s: QuantileSketchState): { values: Float64Array; weights: Float64Array; total: number } {
  const pairs: Array<[number, number]> = [];
  s.levels.forEach((lvl, h) => {
    for (const v of lvl) pairs.push([v, 2 ** h]);
  });
  pairs.sort((x, y) => x[0] - y[0]);
  let total = 0;
  for (const p of pairs) total += p[1];
  return { values: Float64Array.from(pairs, (p) => p[0]), weights: Float64Array.from(pairs, (p) => p[1]), total };
}
