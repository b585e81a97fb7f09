// Entry of the dashboard's render worker (started by dashboard()). In the package, scripts/build.ts
// bundles this file as dist/dashboardWorker.mjs; from the sources, dashboardWorker.mjs loads it
// through tsx.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import type { WorkerSetup } from './workerMain.js';

// Drawing is the least urgent work of the process: on a busy machine the pipeline's thread goes
// first. On Linux a thread has its own nice value (threads it starts inherit it); elsewhere the
// worker keeps the process's priority.
if ((workerData as WorkerSetup).nice > 0) {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), (workerData as WorkerSetup).nice);
  } catch {
    /* not Linux */
  }
}

// React picks its build when first loaded: the production one draws several times faster. ink
// and React load only now (a dynamic import, kept apart by the build), after the nice value.
process.env.NODE_ENV ??= 'production';
const { workerMain } = await import('./workerMain.js');
await workerMain();
