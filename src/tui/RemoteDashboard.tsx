import { useStderr, useStdout } from 'ink';
import { useEffect } from 'react';
import type { DashboardSnapshot } from './DashboardStore.js';
import { DashboardView } from './DashboardView.js';
import type { SnapshotMailbox } from './SnapshotMailbox.js';
import { useSnapshot } from './useSnapshot.js';
import { useTerminalSize } from './useTerminalSize.js';

export interface RemoteDashboardProps {
  mailbox: SnapshotMailbox;
  fps?: number;
  /** Whether the keys work (the pipeline's thread reads a terminal in raw mode): the footer lists them. */
  keys: boolean;
  /** Size override (benches, tests); default: the terminal's, followed on resize. */
  width?: number;
  height?: number;
  /** When set, drawn instead of the timed snapshot (the final frame). */
  final?: DashboardSnapshot;
}

/**
 * Share of the render worker's thread that frames may take. The worker does not run on the
 * pipeline's thread, but it shares the machine's cores with it: a 120×40 frame costs 30-60 ms
 * of CPU on a loaded 2-core machine, which at 10 fps would be half a core. Frames are spaced so
 * drawing takes a tenth of the worker's thread (bench/tui: ~4 fps there, whole-process CPU +24%
 * against +32-48% at a quarter), at most 10 fps when frames are cheap, at least one a second.
 */
export const WORKER_FRAME_BUDGET = 0.1;

/** The dashboard in the render worker: snapshots come from the pipeline's thread, keys stay there. */
export function RemoteDashboard(props: RemoteDashboardProps) {
  const timed = useSnapshot(props.mailbox, props.fps, WORKER_FRAME_BUDGET);
  const snap = props.final ?? timed;
  const size = useTerminalSize();
  const { write: writeOut } = useStdout();
  const { write: writeErr } = useStderr();
  useEffect(() => {
    props.mailbox.setWriter((stream, text) => (stream === 'stdout' ? writeOut : writeErr)(text));
    return () => props.mailbox.setWriter(null);
  }, [props.mailbox, writeOut, writeErr]);
  return <DashboardView snapshot={snap} width={props.width ?? size.columns} height={props.height ?? size.rows} keys={props.keys} />;
}
