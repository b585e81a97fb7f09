// Entry of the parse thread's bundle (csvWorkerScript builds it); csvWorker.mjs is the tsx route.
import { csvWorkerMain } from './csvWorkerMain.js';

await csvWorkerMain();
