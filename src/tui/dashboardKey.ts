import type { DashboardStore } from './DashboardStore.js';

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

/**
 * What a key does on the dashboard: `p`, `s`, `q` and Ctrl-C (`'interrupt'`) call the owner's
 * callbacks and note it in the store (state, event log); other keys do nothing. Runs on the
 * pipeline's thread whichever thread draws: the callbacks and the store live there.
 */
export function dashboardKey(store: DashboardStore, key: string, keys: DashboardKeys): void {
  switch (key) {
    case 'interrupt':
      keys.onInterrupt?.();
      break;
    case 'p': {
      if (store.runState === 'paused') {
        store.setState('running');
        store.note('info', 'resumed');
        keys.onResume?.();
      } else if (keys.onPause) {
        store.setState('paused');
        store.note('info', 'paused (p resumes)');
        keys.onPause();
      }
      break;
    }
    case 's': {
      if (!keys.onSnapshot) {
        store.note('warn', 'this pipeline cannot save snapshots');
        break;
      }
      const save = keys.onSnapshot;
      Promise.resolve()
        .then(() => save())
        .then((r) => store.note('checkpoint', typeof r === 'string' ? `snapshot saved: ${r}` : 'snapshot saved'))
        .catch((e: unknown) => store.note('error', `snapshot failed: ${e instanceof Error ? e.message : String(e)}`));
      break;
    }
    case 'q':
      store.setState('stopping');
      store.note('info', 'quitting after the current batch');
      keys.onQuit?.();
      break;
    default:
      break;
  }
}
