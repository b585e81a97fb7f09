import type { ColumnSummary } from '../features/index.js';

/** Widths of name, type, count, missing, mean, std, min, p50, p99, max: 80 columns with the separators. */
const W = [10, 8, 6, 5, 7, 7, 7, 7, 7, 7];

/**
 * Column statistics as a table that fits 80 columns: numeric columns show mean, std, min, p50,
 * p99 and max; category and text columns their top values on the line below.
 */
export function formatStatsTable(stats: Readonly<Record<string, ColumnSummary>>): string {
  const head = ['column', 'type', 'count', 'miss', 'mean', 'std', 'min', 'p50', 'p99', 'max'];
  const lines = [row(head), row(W.map((w) => '-'.repeat(w)))];
  for (const [name, s] of Object.entries(stats)) {
    lines.push(row([name, s.type, count(s.count), count(s.missing), num(s.mean), num(s.std), num(s.min), num(s.p50), num(s.p99), num(s.max)]));
    if (s.top && s.top.length > 0) {
      const items = s.top.slice(0, 5).map((t) => `${t.value.length > 16 ? t.value.slice(0, 15) + '…' : t.value} (${count(t.count)})`);
      lines.push(`  top: ${items.join(', ')}`.slice(0, 78));
    }
  }
  return lines.join('\n');
}

function row(cells: readonly string[]): string {
  return cells.map((c, i) => {
    const w = W[i]!;
    const s = c.length > w ? c.slice(0, w - 1) + '…' : c;
    return i < 2 ? s.padEnd(w) : s.padStart(w);
  }).join(' ').trimEnd();
}

function count(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(0)}k` : String(n);
}

/** A number in at most 7 characters: fixed when it fits, else exponent form. */
function num(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '-';
  if (v === 0) return '0';
  const a = Math.abs(v);
  for (const d of [3, 2, 1, 0]) {
    const s = v.toFixed(d);
    if (s.length <= 7 && (a >= 0.01 || d === 3)) return s;
  }
  return v.toExponential(1);
}
