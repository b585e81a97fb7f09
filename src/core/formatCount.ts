/**
 * A count or rate in at most 6 characters: 950, 12.3k, 4.56M, 7.89G; `-` for none. The one
 * formatter of counts: the dashboard, `sluice inspect`'s table and the demo's lines use it.
 */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(a >= 1e11 ? 0 : 2)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(a >= 1e8 ? 0 : a >= 1e7 ? 1 : 2)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(a >= 1e5 ? 0 : 1)}k`;
  return String(Math.round(n));
}
