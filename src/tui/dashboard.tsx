import { writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { format } from 'node:util';
import { Worker } from 'node:worker_threads';
import { type Instance, render } from 'ink';
import { SpecError, Telemetry } from '../core/index.js';
import { type DashboardSnapshot, DashboardStore } from './DashboardStore.js';
import { type DashboardKeys, dashboardKey } from './dashboardKey.js';
import { LiveDashboard } from './LiveDashboard.js';
import { MAX_FPS } from './useSnapshot.js';
import type { FromWorker, ToWorker, WorkerSetup } from './workerMain.js';

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
  /**
   * Where ink and React run. 'worker' (default): a worker thread draws and writes the frames, so
   * their cost never lands on the pipeline's thread, which only folds events and posts a small
   * snapshot at most `fps` times a second. 'main': on this thread (component tests).
   */
  renderIn?: 'worker' | 'main';
  /** The terminal: its size and 'resize' events; on the main thread, also where frames go. Default process.stdout. */
  stdout?: NodeJS.WriteStream;
  /** Worker rendering: the file descriptor frames go to (default: `stdout.fd`, 1). */
  fd?: number;
  /** Where keys come from, read in raw mode on this thread (default process.stdin). */
  stdin?: NodeJS.ReadStream;
  /** Size override (benches with a fake terminal); default: the terminal's, followed on resize. */
  width?: number;
  height?: number;
  /**
   * Worker rendering: nice value of the render thread on Linux (default 10, 0 to keep the
   * process's), so that on a busy machine the pipeline's thread gets the cores first.
   */
  nice?: number;
  /**
   * Console output of this thread printed above the live frame instead of through it (default
   * true, as ink does on the thread it draws from).
   */
  patchConsole?: boolean;
}

export interface DashboardHandle {
  readonly store: DashboardStore;
  /**
   * Resolves once the first frame is on the terminal. The render worker takes a second or two
   * of CPU to start (ink, React, tsx); a pipeline started after this does not share the cores
   * with that start. Never rejects: if the worker fails or is slow, it resolves anyway.
   */
  readonly ready: Promise<void>;
  /** Draws the final frame, leaves it on the terminal and releases stdin, the bus and the render worker. */
  stop(): Promise<void>;
  /** What the render worker wrote to the terminal, once stopped (null on the main thread or before). */
  readonly output: { bytes: number; writes: number } | null;
}

/**
 * The render thread's default nice value: weight 110 against the pipeline thread's 1024 when
 * they compete for a core, enough for a frame or so a second on a saturated machine.
 */
const DEFAULT_NICE = 10;

/** The longest `ready` waits for the first frame (a saturated machine, a stuck worker). */
const READY_WAIT_MS = 10_000;

/** How long stop() waits for the worker's final frame (it may still be starting on a busy machine). */
const STOP_WAIT_MS = 15_000;

/**
 * The live dashboard on the terminal: folds `telemetry` into a store and draws it with ink at
 * most `fps` times a second, by default in a worker thread. `p`, `s` and `q` call the pause,
 * snapshot and quit callbacks; Ctrl-C calls `onInterrupt` (default: raise SIGINT, as the
 * terminal would without raw mode).
 */
export function dashboard(options: DashboardOptions = {}): DashboardHandle {
  const fps = options.fps ?? MAX_FPS;
  if (typeof fps !== 'number' || !(fps > 0 && fps <= MAX_FPS)) throw new SpecError('dashboard.fps', `expected a number in (0, ${MAX_FPS}], got ${String(fps)}`);
  for (const k of ['width', 'height'] as const) {
    const v = options[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 8)) throw new SpecError(`dashboard.${k}`, `expected an integer ≥ 8, got ${String(v)}`);
  }
  if (options.nice !== undefined && !(Number.isInteger(options.nice) && options.nice >= 0 && options.nice <= 19))
    throw new SpecError('dashboard.nice', `expected an integer in [0, 19], got ${String(options.nice)}`);
  const renderIn = options.renderIn ?? 'worker';
  if (renderIn !== 'worker' && renderIn !== 'main') throw new SpecError('dashboard.renderIn', `expected 'worker' or 'main', got ${String(renderIn)}`);
  let fd = 1;
  if (renderIn === 'worker') {
    const streamFd = (options.stdout as { fd?: unknown } | undefined)?.fd;
    if (options.fd !== undefined) fd = options.fd;
    else if (typeof streamFd === 'number') fd = streamFd;
    else if (options.stdout)
      throw new SpecError('dashboard.stdout', "the render worker writes to a file descriptor: this stream has none (pass fd, or renderIn: 'main')");
    if (!(Number.isInteger(fd) && fd >= 0)) throw new SpecError('dashboard.fd', `expected a file descriptor, got ${String(fd)}`);
  }
  const store =
    options.store ??
    new DashboardStore({
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...(options.backend !== undefined ? { backend: options.backend } : {}),
      ...(options.adapter !== undefined ? { adapter: options.adapter } : {}),
    });
  store.attach(options.telemetry ?? Telemetry.global);
  const keys: DashboardKeys = {
    onInterrupt:
      options.onInterrupt ??
      (() => {
        process.kill(process.pid, 'SIGINT');
      }),
    ...(options.onPause ? { onPause: options.onPause } : {}),
    ...(options.onResume ? { onResume: options.onResume } : {}),
    ...(options.onSnapshot ? { onSnapshot: options.onSnapshot } : {}),
    ...(options.onQuit ? { onQuit: options.onQuit } : {}),
  };
  return renderIn === 'main' ? onMainThread(store, keys, fps, options) : inWorker(store, keys, fps, fd, options);
}

function onMainThread(store: DashboardStore, keys: DashboardKeys, fps: number, options: DashboardOptions): DashboardHandle {
  const props = {
    store,
    fps,
    ...keys,
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(options.height !== undefined ? { height: options.height } : {}),
  };
  const instance: Instance = render(<LiveDashboard {...props} />, {
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
    // Ctrl-C goes to onInterrupt, so the pipeline owner ends the run and prints its summary.
    exitOnCtrlC: false,
    patchConsole: options.patchConsole ?? true,
    maxFps: fps,
    // Ink's incremental mode loses a line when the first frame scrolls the terminal; the
    // whole-frame rewrite is wrapped in synchronized-output markers, so it does not flicker.
    incrementalRendering: false,
  });
  let stopped: Promise<void> | null = null;
  return {
    store,
    ready: Promise.resolve(),
    output: null,
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

function inWorker(store: DashboardStore, keys: DashboardKeys, fps: number, fd: number, options: DashboardOptions): DashboardHandle {
  const term = options.stdout ?? process.stdout;
  const size = () => ({ columns: options.width ?? (term.columns || 80), rows: options.height ?? (term.rows || 24) });
  const stdin = options.stdin ?? process.stdin;
  const hasKeys = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  const tty = isatty(fd);

  // Event-log entries travel once: each snapshot carries those newer than the last one posted.
  let sentSeq = 0;
  const fresh = (): DashboardSnapshot => {
    const s = store.snapshot();
    const events = s.events.filter((e) => e.seq > sentSeq);
    if (events.length) sentSeq = events[events.length - 1]!.seq;
    return { ...s, events };
  };
  const setup: WorkerSetup = { fd, errFd: 2, ...size(), isTTY: tty, fps, keys: hasKeys, nice: options.nice ?? DEFAULT_NICE, first: fresh() };
  const worker = new Worker(new URL('./dashboardWorker.mjs', import.meta.url), {
    workerData: setup,
    // Plain JavaScript (prebuilt in the package; from the sources it registers tsx itself): the
    // parent's flags (--import tsx, --expose-gc) are not for it.
    execArgv: [],
    // ink draws only a final frame when it sees CI or CONTINUOUS_INTEGRATION set (is-in-ci);
    // whoever asked for a dashboard wants frames (the CLI already falls back to plain lines under CI).
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION')),
  });
  // A run that ends without stop() must still be able to exit.
  worker.unref();
  let alive = true;
  let output: { bytes: number; writes: number } | null = null;
  const post = (m: ToWorker) => {
    if (alive) worker.postMessage(m);
  };
  worker.on('error', (e) => {
    if (!alive) return;
    alive = false;
    // The pipeline goes on without its frames (principle 7: telemetry subscribers never stop it);
    // the keys keep working, so q still ends the run cleanly.
    clearInterval(timer);
    restoreConsole();
    process.stderr.write(`\nsluice: the dashboard stopped drawing: ${e instanceof Error ? e.message : String(e)}\n`);
  });
  worker.on('exit', () => {
    alive = false;
  });
  let readyWait: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(readyWait);
      resolve();
    };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') done();
    });
    worker.once('error', done);
    worker.once('exit', done);
    readyWait = setTimeout(done, READY_WAIT_MS);
    readyWait.unref();
  });

  // The cheap part, on this thread: a snapshot when something changed, and once a second so the
  // elapsed time moves; at most `fps` a second, whatever the event rate.
  let seen = store.version,
    lastSecond = Math.floor(Date.now() / 1000);
  const timer = setInterval(() => {
    const second = Math.floor(Date.now() / 1000);
    if (store.version === seen && second === lastSecond) return;
    seen = store.version;
    lastSecond = second;
    post({ type: 'snapshot', snapshot: fresh() });
  }, 1000 / fps);
  timer.unref();

  const followSize = options.width === undefined || options.height === undefined;
  const onResize = () => post({ type: 'resize', ...size() });
  if (followSize) term.on('resize', onResize);

  // Keys: raw mode here, so p/s/q reach the callbacks on the thread that owns them.
  const wasRaw = hasKeys && stdin.isRaw === true;
  const onData = (data: Buffer | string) => {
    const text = typeof data === 'string' ? data : data.toString('utf8');
    // Escape sequences (arrows, function keys) are not dashboard keys.
    if (text.startsWith('\u001b')) return;
    for (const ch of text) dashboardKey(store, ch === '\u0003' ? 'interrupt' : ch, keys);
  };
  if (hasKeys) {
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  }

  // Console output of this thread would tear the frame: it goes to the worker, which prints it above.
  const methods = ['log', 'info', 'debug', 'warn', 'error'] as const;
  const saved = methods.map((m) => console[m]);
  const restoreConsole = () =>
    methods.forEach((m, i) => {
      console[m] = saved[i]!;
    });
  if (options.patchConsole ?? true) {
    for (const m of methods) {
      const stream = m === 'warn' || m === 'error' ? 'stderr' : 'stdout';
      console[m] = (...args: unknown[]) => post({ type: 'write', stream, text: `${format(...args)}\n` });
    }
  }

  // If the process ends without stop(), the killed worker cannot show the cursor again.
  const showCursor = () => {
    if (tty)
      try {
        writeSync(fd, '\u001b[?25h');
      } catch {
        /* terminal gone */
      }
  };
  process.on('exit', showCursor);

  let tornDown = false;
  function teardown(): void {
    if (tornDown) return;
    tornDown = true;
    store.detach();
    clearInterval(timer);
    if (followSize) term.off('resize', onResize);
    restoreConsole();
    if (hasKeys) {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
    }
  }

  let stopped: Promise<void> | null = null;
  return {
    store,
    ready,
    get output() {
      return output;
    },
    stop() {
      stopped ??= (async () => {
        teardown();
        if (alive) {
          // Hold the process open until the final frame is on the terminal.
          worker.ref();
          let wait: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            worker.on('message', (m: FromWorker) => {
              if (m.type === 'stopped') {
                output = { bytes: m.bytes, writes: m.writes };
                resolve();
              }
            });
            worker.once('exit', () => resolve());
            wait = setTimeout(resolve, STOP_WAIT_MS);
            worker.postMessage({ type: 'stop', snapshot: fresh() } satisfies ToWorker);
          });
          clearTimeout(wait);
          alive = false;
        }
        await worker.terminate();
        process.off('exit', showCursor);
      })();
      return stopped;
    },
  };
}
