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
  // Sketch objects are read through their sorted view (kept between changes: a reference read at
  // every comparison is sorted once); states are loaded first.
  const qa = a instanceof QuantileSketch ? a : QuantileSketch.fromJSON(a),
    qb = b instanceof QuantileSketch ? b : QuantileSketch.fromJSON(b);
  const error = rankError(qa) + rankError(qb);
  const ia = qa.sortedItems(),
    ib = qb.sortedItems();
  // The total weight of the retained items (n, as compaction keeps weight).
  const ta = ia.cum.length > 0 ? ia.cum[ia.cum.length - 1]! : 0,
    tb = ib.cum.length > 0 ? ib.cum[ib.cum.length - 1]! : 0;
  if (ta === 0 || tb === 0) return { statistic: NaN, error };
  let i = 0,
    j = 0,
    d = 0;
  const na = ia.values.length,
    nb = ib.values.length;
  while (i < na || j < nb) {
    // The next step point: every item equal to it, on both sides, is taken before comparing.
    const x = j >= nb || (i < na && ia.values[i]! <= ib.values[j]!) ? ia.values[i]! : ib.values[j]!;
    while (i < na && ia.values[i]! === x) i++;
    while (j < nb && ib.values[j]! === x) j++;
    // Weights are powers of two: cumulative sums are exact, as the running sums were.
    const ca = i === 0 ? 0 : ia.cum[i - 1]!,
      cb = j === 0 ? 0 : ib.cum[j - 1]!;
    const gap = Math.abs(ca / ta - cb / tb);
    if (gap > d) d = gap;
  }
  return { statistic: d, error };
}

function rankError(q: QuantileSketch): number {
  return q.n > 0 && !q.exact ? QuantileSketch.rankErrorBound(q.k) : 0;
}
