import { Box, Text } from 'ink';
import { formatCount } from '../core/index.js';
import { clip } from './clip.js';
import { formatDuration } from './formatDuration.js';

export interface ProgressBarProps {
  label: string;
  rows: number;
  totalRows: number | null;
  rowsPerSecond: number | null;
  done: boolean;
  width: number;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * `label [█████▍    ] 54.3% 16.3M/30.0M ETA 0:42` when the total is known; rows and rate
 * alone when it is not. The bar takes whatever width the text leaves (eighth-block precision).
 */
export function ProgressBar(props: ProgressBarProps) {
  const { rows, totalRows, rowsPerSecond } = props;
  if (totalRows === null || totalRows <= 0) {
    return <Text>{clip(`${props.label} ${formatCount(rows)} rows${props.done ? ' done' : ''}`, props.width)}</Text>;
  }
  const frac = Math.min(1, Math.max(0, rows / totalRows));
  const eta = props.done ? 'done' : rowsPerSecond && rowsPerSecond > 0 ? `ETA ${formatDuration((1000 * (totalRows - rows)) / rowsPerSecond)}` : 'ETA -';
  const tail = ` ${(100 * frac).toFixed(1).padStart(5)}% ${formatCount(rows)}/${formatCount(totalRows)} ${eta}`;
  const label = clip(props.label, Math.max(0, Math.floor(props.width / 4)));
  const barWidth = Math.max(4, props.width - label.length - tail.length - 3);
  const cells = frac * barWidth,
    full = Math.floor(cells),
    part = EIGHTHS[Math.floor((cells - full) * 8)]!;
  const bar = '█'.repeat(full) + part;
  return (
    <Box width={props.width}>
      <Text>{label} </Text>
      <Text color="cyan">{`[${bar}${' '.repeat(Math.max(0, barWidth - bar.length))}]`}</Text>
      <Text>{tail}</Text>
    </Box>
  );
}
