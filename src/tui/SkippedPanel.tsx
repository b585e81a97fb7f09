import { Box, Text } from 'ink';
import { formatCount } from '../core/index.js';
import { clip } from './clip.js';
import type { DashboardSnapshot } from './DashboardStore.js';

export interface SkippedPanelProps {
  skipped: DashboardSnapshot['skipped'];
  width: number;
  /** Lines available, the title included. */
  height: number;
}

/** Rows skipped (share of rows read), then one line per reason, most frequent first. */
export function SkippedPanel(props: SkippedPanelProps) {
  const { total, read, byReason } = props.skipped;
  const { width } = props;
  const share = read > 0 ? (100 * total) / read : 0;
  const pct = read > 0 ? ` (${total > 0 && share < 0.1 ? '<0.1' : share.toFixed(1)}%)` : '';
  const reasons = (Object.entries(byReason) as Array<[string, number]>).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  const room = Math.max(0, props.height - 1);
  const shown = reasons.length > room ? reasons.slice(0, Math.max(0, room - 1)) : reasons;
  const rest = reasons.slice(shown.length).reduce((a, [, v]) => a + v, 0);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color={total > 0 ? 'yellow' : undefined}>
        {clip(`Skipped ${formatCount(total)}${pct}`, width)}
      </Text>
      {shown.map(([k, v]) => (
        <Text key={k}>{clip(`${k.padEnd(Math.max(4, width - 8))}${formatCount(v).padStart(7)}`, width)}</Text>
      ))}
      {rest > 0 ? <Text color="gray">{clip(`other ${formatCount(rest)}`, width)}</Text> : null}
    </Box>
  );
}
