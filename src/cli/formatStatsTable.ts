import { formatCount } from '../core/index.js';
import type { ColumnSummary } from '../features/index.js';

/** Widths of name, type, count, missing, mean, std, min, p50, p99, max: 80 columns with the separators. */
const W = [10, 8, 6, 5, 7, 7, 7, 7, 7, 7];

/**
 * Column statistics as a table that fits 80 columns: numeric columns show mean, std, min, p50,
 * p99 and max; category and text columns their top values on the line below, `value (n)` when
 * the count is exact and `value lo–hi` (the true count's range) when the column had more distinct
 * values than the sketch keeps; a note below the table says so and gives each such column's floor.
 */
export function formatStatsTable(stats: Readonly<Record<string, ColumnSummary>>): string {
  const head = ['column', 'type', 'count', 'miss', 'mean', 'std', 'min', 'p50', 'p99', 'max'];
  const lines = [row(head), row(W.map((w) => '-'.repeat(w)))];
  const floors: string[] = [];
  for (const [name, s] of Object.entries(stats)) {
    lines.push(row([name, s.type, formatCount(s.count), formatCount(s.missing), num(s.mean), num(s.std), num(s.min), num(s.p50), num(s.p99), num(s.max)]));
    if (s.top && s.top.length > 0) {
      const approx = s.topExact === false;
      if (approx) floors.push(`${name} ${formatCount(s.topFloor ?? 0)}`);
      // Approximate: only values sure to occur more often than any value the sketch dropped.
      const sure = approx ? s.top.filter((t) => t.count - t.error > (s.topFloor ?? 0)) : s.top;
      const items = sure.slice(0, 5).map((t) => {
        const v = t.value === '' ? '""' : t.value.length > 16 ? `${t.value.slice(0, 15)}…` : t.value;
        return t.error === 0 ? `${v} (${formatCount(t.count)})` : `${v} ${formatCount(t.count - t.error)}–${formatCount(t.count)}`;
      });
      lines.push(items.length === 0 ? '  top (approx.): none stands out' : fit(approx ? '  top (approx.): ' : '  top: ', items, 78));
    }
  }
  if (floors.length > 0) {
    lines.push('', 'approx.: too many distinct values to count exactly; lo–hi holds the true count.');
    lines.push(...wrap('A value not listed occurred at most: ', floors, 80));
  }
  return lines.join('\n');
}

/** The prefix and as many whole items as fit in `width` (at least one, cut if it alone is too long). */
function fit(prefix: string, items: readonly string[], width: number): string {
  let line = prefix + items[0]!;
  for (const item of items.slice(1)) {
    if (line.length + 2 + item.length > width) break;
    line += `, ${item}`;
  }
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** Items after a lead-in, comma-separated, wrapped at `width`. */
function wrap(lead: string, items: readonly string[], width: number): string[] {
  const out: string[] = [];
  let line = lead;
  items.forEach((item, i) => {
    const text = item + (i < items.length - 1 ? ',' : '');
    if (line.length > 0 && line !== lead && line.length + 1 + text.length > width) {
      out.push(line);
      line = `  ${text}`;
    } else line += (line === lead ? '' : ' ') + text;
  });
  out.push(line);
  return out;
}

function row(cells: readonly string[]): string {
  return cells
    .map((c, i) => {
      const w = W[i]!;
      const s = c.length > w ? `${c.slice(0, w - 1)}…` : c;
      return i < 2 ? s.padEnd(w) : s.padStart(w);
    })
    .join(' ')
    .trimEnd();
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
