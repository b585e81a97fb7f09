// GEMM worker thread (plain JavaScript: workers start without the tsx loader). It instantiates
// the wasm GEMM module over the shared memory it was given, then sleeps on the control block's
// generation word; each time the main thread opens a job it enters (IDLE → BUSY), claims tiles
// until none is left, and goes back to IDLE. See GemmWorkerPool.ts for the protocol.
import { workerData } from 'node:worker_threads';
import { gemmTasks as T } from './gemmTasks.mjs';

const { module, mem, ctl: ctlBuffer, slot } = workerData;
const { kernel } = new WebAssembly.Instance(module, { env: { mem } }).exports;
const ctl = new Int32Array(ctlBuffer);
const S = T.STATE + 16 * slot;

for (;;) {
  const gen = Atomics.load(ctl, T.GEN);
  if (Atomics.load(ctl, T.STOP)) break;
  if (Atomics.compareExchange(ctl, S, T.IDLE, T.BUSY) === T.IDLE) {
    try {
      T.run(ctl, kernel);
    } catch (err) {
      Atomics.store(ctl, T.FAILED, 1);
      throw err;
    } finally {
      Atomics.store(ctl, S, T.IDLE);
      Atomics.notify(ctl, S);
    }
  }
  Atomics.wait(ctl, T.GEN, gen);
}
