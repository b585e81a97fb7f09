import { useInput, useStdin } from 'ink';
import type { DashboardSnapshot, DashboardStore } from './DashboardStore.js';
import { DashboardView } from './DashboardView.js';
import { type DashboardKeys, dashboardKey } from './dashboardKey.js';
import { useSnapshot } from './useSnapshot.js';
import { useTerminalSize } from './useTerminalSize.js';

export interface LiveDashboardProps extends DashboardKeys {
  store: DashboardStore;
  fps?: number;
  /** Size override (tests, benches); default: the terminal's, followed on resize. */
  width?: number;
  height?: number;
  /** When set, drawn instead of the timed snapshot (the final frame). */
  final?: DashboardSnapshot;
}

/**
 * The dashboard bound to a store, the terminal size and the keys, drawn on the store's own
 * thread (`renderIn: 'main'`, and the component tests); the render worker draws RemoteDashboard.
 */
export function LiveDashboard(props: LiveDashboardProps) {
  const { store } = props;
  const timed = useSnapshot(store, props.fps);
  const snap = props.final ?? timed;
  const size = useTerminalSize();
  const { isRawModeSupported } = useStdin();
  const keys = isRawModeSupported === true;
  useInput(
    (input, key) => {
      dashboardKey(store, key.ctrl && input === 'c' ? 'interrupt' : input, props);
    },
    { isActive: keys },
  );
  return <DashboardView snapshot={snap} width={props.width ?? size.columns} height={props.height ?? size.rows} keys={keys} />;
}
