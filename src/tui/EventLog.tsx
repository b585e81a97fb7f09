import { Static, Text } from 'ink';
import { useRef } from 'react';
import { clip } from './clip.js';
import type { EventEntry } from './DashboardStore.js';

export interface EventLogProps {
  events: readonly EventEntry[];
  width: number;
}

const MAX_KEPT = 500;
const COLOR: Record<EventEntry['kind'], string | undefined> = {
  drift: 'magenta',
  dataDrift: 'magenta',
  checkpoint: 'cyan',
  error: 'red',
  warn: 'yellow',
  info: undefined,
};

/**
 * Drift and data-drift alarms, checkpoints, errors and notes, printed once each above the live panels (`<Static>`):
 * they scroll into the terminal's history instead of taking dashboard lines. Only entries newer
 * than the last one printed are handed to Static, so the store may drop old entries freely.
 */
export function EventLog(props: EventLogProps) {
  const printed = useRef<{ items: EventEntry[]; last: number; generation: number }>({ items: [], last: 0, generation: 0 });
  const p = printed.current;
  const fresh = props.events.filter((e) => e.seq > p.last);
  if (fresh.length > 0) {
    // Static slices off what it has printed by index: the array must only grow while mounted.
    // A new Static (new key) starts from index 0 with only the fresh entries: what was printed
    // stays on the terminal, and a long run does not keep every entry in memory.
    if (p.items.length + fresh.length > MAX_KEPT) {
      p.items = fresh;
      p.generation++;
    } else p.items = [...p.items, ...fresh];
    p.last = fresh[fresh.length - 1]!.seq;
  }
  return (
    <Static key={p.generation} items={p.items}>
      {(e) => (
        <Text key={e.seq} color={COLOR[e.kind]}>
          {clip(`${new Date(e.t).toISOString().slice(11, 19)} ${e.kind.padEnd(10)} ${e.message}`, props.width)}
        </Text>
      )}
    </Static>
  );
}
