/** What histogramColumns reads of a ColumnSummary: the data's range and the sketch's bins. */
export interface HistogramSummary {
  min?: number | null;
  max?: number | null;
  histogram?: { lo?: number; width?: number; counts: number[] } | null;
}

/**
 * The histogram redrawn as `n` equal columns over the data's range [min, max]. The sketch's bins
 * cover more than the data (its range doubles to take a new value, so up to half its bins lie
 * outside [min, max], empty), and `n` rarely divides its bin count: each bin's count is spread
 * evenly over the part of it inside [min, max], and each column takes its share of every bin it
 * overlaps, so uniform data draws level. Without a range (older summaries), the bins as they are.
 */
export function histogramColumns(s: HistogramSummary, n: number): number[] {
  const h = s.histogram!.counts;
  const out = new Array<number>(n).fill(0);
  const lo = s.histogram?.lo,
    bw = s.histogram?.width;
  let min = s.min,
    max = s.max;
  if (lo === undefined || bw === undefined || !(bw > 0) || !Number.isFinite(lo)) {
    min = 0;
    max = h.length;
  } else if (typeof min !== 'number' || typeof max !== 'number' || !Number.isFinite(min) || !Number.isFinite(max) || !(max >= min)) {
    min = lo;
    max = lo + bw * h.length;
  }
  const edge = (i: number) => (lo === undefined || bw === undefined || !(bw > 0) || !Number.isFinite(lo) ? i : lo + i * bw);
  const span = max - min;
  const colW = span / n;
  for (let i = 0; i < h.length; i++) {
    const c = h[i]!;
    if (!(c > 0)) continue;
    const a = Math.max(edge(i), min),
      b = Math.min(edge(i + 1), max);
    if (!(span > 0) || !(b > a)) {
      // A single value, or a bin that meets [min, max] at one point: the column of that point.
      const at = span > 0 ? Math.min(n - 1, Math.max(0, Math.floor((Math.min(Math.max(a, min), max) - min) / colW))) : Math.floor(n / 2);
      out[at]! += c;
      continue;
    }
    const first = Math.max(0, Math.floor((a - min) / colW)),
      last = Math.min(n - 1, Math.floor((b - min) / colW));
    for (let j = first; j <= last; j++) {
      const overlap = Math.min(b, min + (j + 1) * colW) - Math.max(a, min + j * colW);
      if (overlap > 0) out[j]! += (c * overlap) / (b - a);
    }
  }
  return out;
}
