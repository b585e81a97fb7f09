/** A metric value in at most 7 characters: 4 decimals in [-1, 1], else 4 significant digits. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a <= 1) return v.toFixed(4);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return v.toPrecision(4);
}
