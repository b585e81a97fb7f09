import { Box, Text } from 'ink';
import { formatCount } from '../core/index.js';
import { clip } from './clip.js';
import type { RunState } from './DashboardStore.js';
import { formatDuration } from './formatDuration.js';

export interface HeaderProps {
  title: string;
  source: string | null;
  backend: string | null;
  adapter: string | null;
  elapsedMs: number;
  rowsPerSecond: number | null;
  state: RunState;
  width: number;
}

const STATE_COLOR: Record<RunState, string> = {
  starting: 'gray',
  running: 'green',
  paused: 'yellow',
  stopping: 'yellow',
  done: 'cyan',
  error: 'red',
};

/** One line: title, source, backend (adapter), elapsed time, rows/s and the run state, cut to `width`. */
export function Header(props: HeaderProps) {
  const state = props.state.toUpperCase();
  const right = ` ${formatDuration(props.elapsedMs)}  ${formatCount(props.rowsPerSecond)} rows/s  `;
  const backend = props.backend ? `${props.backend}${props.adapter ? ` (${props.adapter})` : ''}` : '';
  // The state and the numbers always show; title, source and backend share what is left.
  const room = Math.max(0, props.width - right.length - state.length - 1);
  const left = clip([props.title, props.source, backend].filter(Boolean).join(' · '), room);
  return (
    <Box width={props.width}>
      <Text bold>{left}</Text>
      <Box flexGrow={1} />
      <Text>{right}</Text>
      <Text bold color={STATE_COLOR[props.state]}>
        {state}
      </Text>
    </Box>
  );
}
