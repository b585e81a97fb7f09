import { useInput, useStdin, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import { DashboardView } from './DashboardView.js';
import type { DashboardSnapshot, DashboardStore } from './DashboardStore.js';
import { useSnapshot } from './useSnapshot.js';

export interface DashboardKeys {
  /** `p`: pause or resume the pipeline (the owner holds its source while paused). */
  onPause?: () => void;
  onResume?: () => void;
  /** `s`: save a snapshot of the pipeline; a returned string (the path) goes to the event log. */
  onSnapshot?: () => unknown;
  /** `q`: stop after the current batch, write the report, exit 0. */
  onQuit?: () => void;
  /** Ctrl-C: in raw mode the terminal sends no SIGINT, so the dashboard forwards it here. */
  onInterrupt?: () => void;
}

export interface LiveDashboardProps extends DashboardKeys {
  store: DashboardStore;
  fps?: number;
  /** Size override (tests, benches); default: the terminal's, followed on resize. */
  width?: number;
  height?: number;
  /** When set, drawn instead of the timed snapshot (the final frame). */
  final?: DashboardSnapshot;
}

/** The dashboard bound to a store, the terminal size and the keys. */
export function LiveDashboard(props: LiveDashboardProps) {
  const { store } = props;
  const timed = useSnapshot(store, props.fps);
  const snap = props.final ?? timed;
  const { stdout } = useStdout();
  const { isRawModeSupported } = useStdin();
  const [size, setSize] = useState(() => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 }));
  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => { stdout.off('resize', onResize); };
  }, [stdout]);
  const keys = isRawModeSupported === true;
  useInput((input, key) => {
    if (key.ctrl && input === 'c') { props.onInterrupt?.(); return; }
    switch (input) {
      case 'p': {
        const paused = store.runState === 'paused';
        if (paused) { store.setState('running'); store.note('info', 'resumed'); props.onResume?.(); }
        else if (props.onPause) { store.setState('paused'); store.note('info', 'paused (p resumes)'); props.onPause(); }
        break;
      }
      case 's': {
        if (!props.onSnapshot) { store.note('warn', 'this pipeline cannot save snapshots'); break; }
        Promise.resolve()
          .then(() => props.onSnapshot!())
          .then((r) => store.note('checkpoint', typeof r === 'string' ? `snapshot saved: ${r}` : 'snapshot saved'))
          .catch((e: unknown) => store.note('error', `snapshot failed: ${e instanceof Error ? e.message : String(e)}`));
        break;
      }
      case 'q':
        store.setState('stopping');
        store.note('info', 'quitting after the current batch');
        props.onQuit?.();
        break;
      default: break;
    }
  }, { isActive: keys });
  return <DashboardView snapshot={snap} width={props.width ?? size.columns} height={props.height ?? size.rows} keys={keys} />;
}
