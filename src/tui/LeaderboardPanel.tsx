import { Box, Text } from 'ink';
import { formatCount, type LeaderboardEntry } from '../core/index.js';
import { clip } from './clip.js';
import type { LeaderboardView } from './DashboardStore.js';
import { formatValue } from './formatValue.js';

export interface LeaderboardPanelProps {
  leaderboard: LeaderboardView;
  width: number;
  /** Lines available, the title included; with one line the title names the leader. */
  height: number;
}

interface Column {
  head: string;
  w: number;
  cell: (e: LeaderboardEntry) => string;
  /** Left-aligned after two spaces (words), where figures are right-aligned. */
  left?: boolean;
  /** The higher, the longer the column stays as the width shrinks. */
  keep: number;
  /** A narrower form, tried before the column gives way. */
  short?: Column;
}

/** The label keeps at least this many cells (or its whole length) before columns give way. */
const MIN_LABEL = 12;
/** The column heads take a line only when at least this many candidate lines remain under them. */
const HEAD_MIN_LINES = 2;

/** A candidate scored on no row yet has no figures, not NaN. */
const val = (e: LeaderboardEntry, v: number) => (e.rows > 0 ? formatValue(v) : '-');

/** `2.4×` below 100, then `120×`, `1.2k×`. */
function budget(b: number): string {
  if (!Number.isFinite(b)) return '-';
  return `${b < 100 ? b.toFixed(1) : formatCount(b)}×`;
}

/**
 * A hyperparameter race's standings (src/tune): the title says how many candidates, how many
 * still race, the leader and the budget spent; then a line per candidate, racing ones first in
 * the race's order (best first), then the dropped ones with the row they were dropped at. The
 * leader is starred (green), dropped ones gray. As the width shrinks, columns give way in this
 * order: cost, rows, ± se, loss, `dropped @` (first shortened to `✗ 12.3k`), the metric; the
 * label is clipped to what is left.
 * Candidates that don't fit leave a `+N more` line; the leader always keeps its line.
 */
export function LeaderboardPanel(props: LeaderboardPanelProps) {
  const { leaderboard: lb, width } = props;
  const height = Math.max(1, props.height);
  // Racing first, each group in the race's order (the event lists them so; kept stable here).
  const entries = [...lb.entries.filter((e) => e.dropped === null), ...lb.entries.filter((e) => e.dropped !== null)];
  const leader = entries.find((e) => e.id === lb.leader);
  const title = `Tuning: ${entries.length} candidate${entries.length === 1 ? '' : 's'}, ${lb.alive} racing, leader #${lb.leader}, budget used ${budget(lb.budgetUsed)}`;
  if (height === 1 || entries.length === 0) {
    const tail = leader ? `  ★ ${leader.label} ${leader.metricName} ${val(leader, leader.metric)}` : '';
    return (
      <Box flexDirection="column" width={width}>
        <Text bold>{clip(title + tail, width)}</Text>
        {height > 1 ? <Text color="gray">{clip('no candidates yet', width)}</Text> : null}
      </Box>
    );
  }

  const metricName = entries[0]!.metricName;
  const anyDropped = entries.some((e) => e.dropped !== null);
  const countW = Math.max(0, ...entries.map((e) => (e.dropped === null ? 0 : formatCount(e.dropped).length)));
  const dropped = (form: string): Column => ({
    head: '',
    w: 2 + form.length + countW,
    keep: 4,
    left: true,
    cell: (e) => (e.dropped === null ? '' : form + formatCount(e.dropped)),
  });
  // In the order they are shown.
  const all: Column[] = [
    { head: metricName, w: Math.max(8, metricName.length + 1), keep: 5, cell: (e) => val(e, e.metric) },
    { head: 'loss', w: 8, keep: 3, cell: (e) => val(e, e.loss) },
    { head: '± se', w: 8, keep: 2, cell: (e) => (e.rows > 0 ? `±${formatValue(e.stderr)}` : '') },
    { head: 'rows', w: 7, keep: 1, cell: (e) => formatCount(e.rows) },
    { head: 'cost', w: 7, keep: 0, cell: (e) => formatCount(e.cost) },
    ...(anyDropped ? [{ ...dropped('dropped @ '), short: dropped('✗ ') }] : []),
  ];
  const rankW = String(entries.length).length;
  const idW = 1 + Math.max(...entries.map((e) => String(e.id).length));
  // `★ 12 #34 `: the mark, the rank and the id, each followed by a space.
  const prefixW = 2 + rankW + 1 + idW + 1;
  const longest = Math.max(...entries.map((e) => e.label.length), 'candidate'.length);
  const minLabel = Math.min(longest, MIN_LABEL);
  let cols = all;
  const colsW = () => cols.reduce((a, c) => a + c.w, 0);
  const tooWide = () => prefixW + minLabel + colsW() > width;
  for (let k = 0; k <= 5 && cols.length > 0 && tooWide(); k++) {
    cols = cols.map((c) => (c.keep === k && c.short ? c.short : c));
    if (tooWide()) cols = cols.filter((c) => c.keep > k);
  }
  // The label takes the room left, no more than the longest needs: the figures stay near it.
  const labelW = Math.max(1, Math.min(longest, width - prefixW - colsW()));

  let body = height - 1;
  // Under the heads, candidate lines, less one for `+N more` when they don't all fit.
  const under = body - 1 - (entries.length > body - 1 ? 1 : 0);
  const head = cols.length > 0 && under >= Math.min(HEAD_MIN_LINES, entries.length);
  if (head) body--;
  let shown = entries;
  let more = 0;
  if (entries.length > body) {
    // The last line says how many are left out.
    shown = entries.slice(0, Math.max(1, body - 1));
    more = entries.length - shown.length;
    if (more > 0 && body === 1) {
      // One line for a candidate and none for `+N more`: the leader takes it.
      shown = leader ? [leader] : shown;
    } else if (leader && !shown.includes(leader)) shown = [...shown.slice(0, -1), leader];
  }
  const rank = new Map(entries.map((e, i) => [e, i + 1]));
  const line = (e: LeaderboardEntry) => {
    const mark = e.id === lb.leader ? '★' : ' ';
    let s = `${mark} ${String(rank.get(e)).padStart(rankW)} ${`#${e.id}`.padEnd(idW)} ${clip(e.label, labelW).padEnd(labelW)}`;
    for (const c of cols) s += c.left ? `  ${c.cell(e).padEnd(c.w - 2)}` : c.cell(e).padStart(c.w);
    return clip(s.trimEnd(), width);
  };
  const headLine = clip(
    (
      ' '.repeat(2) +
      '#'.padStart(rankW) +
      ' ' +
      'id'.padEnd(idW) +
      ' ' +
      'candidate'.slice(0, labelW).padEnd(labelW) +
      cols.map((c) => (c.left ? ' '.repeat(c.w) : c.head.padStart(c.w))).join('')
    ).trimEnd(),
    width,
  );
  const racingLeft = more > 0 ? entries.filter((e) => e.dropped === null && !shown.includes(e)).length : 0;
  const moreText = `+${more} more${racingLeft > 0 ? ` (${racingLeft} racing)` : ''}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{clip(more > 0 && body === 1 ? `${title} · ${moreText}` : title, width)}</Text>
      {head ? <Text color="gray">{headLine}</Text> : null}
      {shown.map((e) => (
        <Text key={e.id} color={e.id === lb.leader ? 'green' : e.dropped !== null ? 'gray' : undefined}>
          {line(e)}
        </Text>
      ))}
      {more > 0 && body > 1 ? <Text color="gray">{clip(moreText, width)}</Text> : null}
    </Box>
  );
}
