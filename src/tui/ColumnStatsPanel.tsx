import { Box, Text } from 'ink';
import { formatCount } from '../core/index.js';
import { clip } from './clip.js';
import { histogramColumns } from './histogramColumns.js';

export interface ColumnStatsPanelProps {
  /** Source of the statistics, for the title. */
  source: string | null;
  /** A `stats` event's columns: ColumnSummary objects by column name. */
  columns: Record<string, unknown> | null;
  width: number;
  /** Lines available, the title included. */
  height: number;
  /** Columns whose data drifted (the dashboard's dataDrift events): their names are marked and colored. */
  drifted?: Readonly<Record<string, 'moderate' | 'major'>>;
}

interface Summary {
  /** Rows seen, missing ones included (ColumnSummary). */
  type?: string;
  count?: number;
  missing?: number;
  mean?: number | null;
  std?: number | null;
  min?: number | null;
  max?: number | null;
  top?: Array<{ value: string; count: number }> | null;
  histogram?: { lo?: number; width?: number; counts: number[] } | null;
}

const SPARK = '▁▂▃▄▅▆▇█';

// Fields in the order they are dropped from the right as the panel narrows.
const FIELDS: Array<{ name: string; w: number; get: (s: Summary) => string }> = [
  { name: 'miss%', w: 7, get: (s) => (s.count ? `${((100 * (s.missing ?? 0)) / s.count).toFixed(1)}` : '-') },
  { name: 'mean', w: 9, get: (s) => num(s.mean) },
  { name: 'std', w: 9, get: (s) => num(s.std) },
  { name: 'min', w: 9, get: (s) => num(s.min) },
  { name: 'max', w: 9, get: (s) => num(s.max) },
];

/**
 * Exploration: one line per column with its missing share, mean, std, min and max, then a
 * histogram sparkline (numbers, dates) or its most frequent value (categories, text) in the
 * room left. Fields drop from the right as the width shrinks.
 */
export function ColumnStatsPanel(props: ColumnStatsPanelProps) {
  const { width } = props;
  const title = `Columns${props.source ? ` (${props.source})` : ''}`;
  const entries = props.columns ? (Object.entries(props.columns).filter(([, v]) => v !== null && typeof v === 'object') as Array<[string, Summary]>) : [];
  if (entries.length === 0) {
    return (
      <Box flexDirection="column" width={width}>
        <Text bold>{clip(title, width)}</Text>
        <Text color="gray">{clip('no column statistics', width)}</Text>
      </Box>
    );
  }
  const drift = props.drifted ?? {};
  // A drifted column's name ends with "!" (and its color): one more character.
  const nameW = Math.min(14, Math.max(6, ...entries.map(([k]) => k.length + (drift[k] ? 2 : 1))));
  let used = nameW;
  const fields = FIELDS.filter((f) => {
    if (used + f.w > width) return false;
    used += f.w;
    return true;
  });
  const extraW = width - used - 1;
  const room = Math.max(1, props.height - 2);
  const shown = entries.length > room ? entries.slice(0, room - 1) : entries;
  const header = 'column'.padEnd(nameW) + fields.map((f) => f.name.padStart(f.w)).join('') + (extraW >= 6 ? ` ${'dist'.padEnd(extraW)}` : '');
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{clip(`${title} ${entries.length}`, width)}</Text>
      <Text color="gray">{clip(header, width)}</Text>
      {shown.map(([k, s]) => (
        <Text key={k}>
          <Text color={drift[k] === 'major' ? 'red' : drift[k] ? 'yellow' : undefined}>
            {(drift[k] ? `${clip(k, nameW - 2)}!` : clip(k, nameW - 1)).padEnd(nameW)}
          </Text>
          {fields.map((f) => clip(f.get(s), f.w - 1).padStart(f.w)).join('')}
          <Text color="cyan">{extraW >= 6 ? ` ${dist(s, extraW)}` : ''}</Text>
        </Text>
      ))}
      {entries.length > shown.length ? <Text color="gray">{clip(`+${entries.length - shown.length} more`, width)}</Text> : null}
    </Box>
  );
}

function num(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(1) : a >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

function dist(s: Summary, w: number): string {
  const h = s.histogram?.counts;
  if (h && h.length > 0) {
    const bins = histogramColumns(s, Math.min(w, h.length));
    const max = Math.max(...bins);
    return bins.map((c) => (max > 0 ? SPARK[Math.min(7, Math.floor((8 * c) / max))]! : ' ')).join('');
  }
  const top = s.top?.[0];
  if (top) return clip(`${top.value} ×${formatCount(top.count)}`, w);
  return '';
}
