import { render, type Instance } from 'ink';
import { SpecError, Telemetry } from '../core/index.js';
import { DashboardStore } from './DashboardStore.js';
import { LiveDashboard, type DashboardKeys } from './LiveDashboard.js';
import { MAX_FPS } from './useSnapshot.js';

export interface DashboardOptions extends DashboardKeys {
  /** The bus to show (default Telemetry.global). */
  telemetry?: Telemetry;
  /** A store to draw from instead of a new one (it is attached to `telemetry`). */
  store?: DashboardStore;
  title?: string;
  backend?: string;
  adapter?: string;
  /** Frames a second, at most 10 (default 10). */
  fps?: number;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Size override (benches with a fake terminal); default: the terminal's, followed on resize. */
  width?: number;
  height?: number;
}

export interface DashboardHandle {
  readonly store: DashboardStore;
  /** Draws the final frame, leaves it on the terminal and releases stdin and the bus. */
  stop(): Promise<void>;
}

/**
 * The live dashboard on the terminal: folds `telemetry` into a store and draws it with ink at
 * most `fps` times a second. `p`, `s` and `q` call the pause, snapshot and quit callbacks;
 * Ctrl-C calls `onInterrupt` (default: raise SIGINT, as the terminal would without raw mode).
 */
export function dashboard(options: DashboardOptions = {}): DashboardHandle {
  const fps = options.fps ?? MAX_FPS;
  if (typeof fps !== 'number' || !(fps > 0 && fps <= MAX_FPS)) throw new SpecError('dashboard.fps', `expected a number in (0, ${MAX_FPS}], got ${String(fps)}`);
  for (const k of ['width', 'height'] as const) {
    const v = options[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 8)) throw new SpecError(`dashboard.${k}`, `expected an integer ≥ 8, got ${String(v)}`);
  }
  const store = options.store ?? new DashboardStore({
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
    ...(options.adapter !== undefined ? { adapter: options.adapter } : {}),
  });
  store.attach(options.telemetry ?? Telemetry.global);
  const props = {
    store, fps,
    onInterrupt: options.onInterrupt ?? (() => { process.kill(process.pid, 'SIGINT'); }),
    ...(options.onPause ? { onPause: options.onPause } : {}),
    ...(options.onResume ? { onResume: options.onResume } : {}),
    ...(options.onSnapshot ? { onSnapshot: options.onSnapshot } : {}),
    ...(options.onQuit ? { onQuit: options.onQuit } : {}),
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(options.height !== undefined ? { height: options.height } : {}),
  };
  const instance: Instance = render(<LiveDashboard {...props} />, {
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
    // Ctrl-C goes to onInterrupt, so the pipeline owner ends the run and prints its summary.
    exitOnCtrlC: false,
    maxFps: fps,
    // Ink's incremental mode loses a line when the first frame scrolls the terminal; the
    // whole-frame rewrite is wrapped in synchronized-output markers, so it does not flicker.
    incrementalRendering: false,
  });
  let stopped: Promise<void> | null = null;
  return {
    store,
    stop() {
      stopped ??= (async () => {
        store.detach();
        instance.rerender(<LiveDashboard {...props} final={store.snapshot()} />);
        instance.unmount();
        await instance.waitUntilExit();
      })();
      return stopped;
    },
  };
}
