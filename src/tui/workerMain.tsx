import { PassThrough } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { render } from 'ink';
import type { DashboardSnapshot } from './DashboardStore.js';
import { FdTerminal } from './FdTerminal.js';
import { RemoteDashboard } from './RemoteDashboard.js';
import { SnapshotMailbox } from './SnapshotMailbox.js';

/** What dashboard() hands the render worker when it starts it. */
export interface WorkerSetup {
  /** Where frames go (the process's stdout) and where console errors go. */
  fd: number;
  errFd: number;
  columns: number;
  rows: number;
  isTTY: boolean;
  fps: number;
  keys: boolean;
  /** Nice value of the worker's thread (Linux), applied by the entry before anything loads. */
  nice: number;
  first: DashboardSnapshot;
}

/** Messages from the pipeline's thread. */
export type ToWorker =
  | { type: 'snapshot'; snapshot: DashboardSnapshot }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'write'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'stop'; snapshot: DashboardSnapshot };

/** Messages to the pipeline's thread. */
export type FromWorker = { type: 'ready' } | { type: 'stopped'; bytes: number; writes: number };

/**
 * The render worker: ink and React draw RemoteDashboard from the snapshots the pipeline's
 * thread posts, straight to the terminal's file descriptor. On 'stop' it draws the final frame,
 * leaves it on the terminal, reports and closes its port so the worker ends.
 */
export async function workerMain(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('workerMain runs in the dashboard render worker');
  const setup = workerData as WorkerSetup;
  const stdout = new FdTerminal(setup.fd, { columns: setup.columns, rows: setup.rows, isTTY: setup.isTTY });
  const stderr = new FdTerminal(setup.errFd, { columns: setup.columns, rows: setup.rows, isTTY: setup.isTTY });
  const mailbox = new SnapshotMailbox(setup.first);
  const props = { mailbox, fps: setup.fps, keys: setup.keys };
  const instance = render(<RemoteDashboard {...props} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    // Keys are read by the pipeline's thread; ink gets a stream that never speaks.
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    // The pipeline's thread forwards its console output as 'write' messages.
    patchConsole: false,
    maxFps: setup.fps,
    // Ink's incremental mode loses a line when the first frame scrolls the terminal; the
    // whole-frame rewrite is wrapped in synchronized-output markers, so it does not flicker.
    incrementalRendering: false,
  });
  // The first frame is on the terminal (ink draws it as render() returns).
  port.postMessage({ type: 'ready' } satisfies FromWorker);
  port.on('message', (m: ToWorker) => {
    switch (m.type) {
      case 'snapshot':
        mailbox.put(m.snapshot);
        break;
      case 'resize':
        stdout.resize(m.columns, m.rows);
        stderr.resize(m.columns, m.rows);
        break;
      case 'write':
        mailbox.write(m.stream, m.text);
        break;
      case 'stop': {
        mailbox.put(m.snapshot);
        instance.rerender(<RemoteDashboard {...props} final={mailbox.snapshot()} />);
        instance.unmount();
        void instance.waitUntilExit().finally(() => {
          port.postMessage({ type: 'stopped', bytes: stdout.bytes, writes: stdout.writes } satisfies FromWorker);
          port.close();
        });
        break;
      }
      default:
        break;
    }
  });
}
