// Entry of the dashboard's render worker (started by dashboard()).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';

// Drawing is the least urgent work of the process: on a busy machine the pipeline's thread goes
// first. On Linux a thread has its own nice value (threads it starts inherit it); elsewhere the
// worker keeps the process's priority.
if (workerData.nice > 0) {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), workerData.nice);
  } catch { /* not Linux */ }
}

// React picks its build when first loaded: the production one draws several times faster.
process.env.NODE_ENV ??= 'production';
// ink, React and their dependencies load first, without tsx's hooks in the way: through them
// start-up costs about 1.6 times the CPU.
await Promise.all([import('ink'), import('react'), import('react/jsx-runtime')]);
// A worker cannot load TypeScript by itself: tsx, with the project's tsconfig named explicitly
// (JSX settings) so it works whatever the current directory.
const { register } = await import('tsx/esm/api');
register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { workerMain } = await import('./workerMain.tsx');
await workerMain();
