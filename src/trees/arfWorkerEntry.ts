// Entry of an ARF worker thread in the package: scripts/build.ts is to bundle this file, with its
// dependencies, as dist/arfWorker.mjs. From the sources, arfWorker.mjs runs the same through tsx.
import { arfWorkerMain } from './arfWorkerMain.js';

arfWorkerMain();
