// Entry of the parse thread in the package: scripts/build.ts bundles this file, with its
// dependencies, as dist/csvWorker.mjs. From the sources, csvWorker.mjs runs the same through tsx.
import { csvWorkerMain } from './csvWorkerMain.js';

await csvWorkerMain();
