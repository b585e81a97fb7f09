import { Worker } from 'node:worker_threads';
import { KernelError } from '../../core/index.js';
import { gemmTasks as T } from './gemmTasks.mjs';
import type { WasmGemm } from './loadWasmGemm.js';

/**
 * Worker threads that run GEMM tiles of the wasm SIMD kernel on the same shared memory as the
 * calling thread, which works too: `run` is synchronous. Tiles are claimed one at a time from a
 * shared counter, so a worker the OS has descheduled (a loaded machine) costs at most the tile
 * it holds; a worker that has not even woken up is locked out at the end of the job and the
 * caller does its share. Workers are unref'd (they never keep Node alive) and end on dispose().
 *
 * Protocol (control block, gemmTasks.mjs): the caller writes the parameters and resets NEXT,
 * sets every worker's state LOCKED → IDLE, bumps GEN and notifies. A worker enters with
 * IDLE → BUSY, runs tiles, and goes back to IDLE. After its own tiles the caller moves each
 * worker IDLE → LOCKED, waiting (Atomics.wait, allowed on Node's main thread) while one is BUSY.
 */
export class GemmWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly ctl: Int32Array;
  private disposed = false;
  /** Jobs run, their tasks, and how many of those the calling thread ran itself (the rest ran on workers). */
  readonly stats = { jobs: 0, tasks: 0, callerTasks: 0 };

  constructor(private readonly w: WasmGemm, readonly helpers: number) {
    if (!w.shared) throw new KernelError('gemm', {}, 'a GEMM worker pool needs shared wasm memory');
    this.ctl = new Int32Array(new SharedArrayBuffer(T.words(helpers) * 4));
    for (let s = 0; s < helpers; s++) {
      Atomics.store(this.ctl, T.STATE + 16 * s, T.LOCKED);
      const worker = new Worker(new URL('./gemmWorker.mjs', import.meta.url), {
        workerData: { module: w.module, mem: w.mem, ctl: this.ctl.buffer, slot: s },
        // A worker needs little heap: its data lives in the shared wasm memory.
        resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
      });
      worker.unref();
      // A worker that fails to start never enters a job (the caller does its tiles); keep the error from crashing the process.
      worker.on('error', () => undefined);
      this.workers.push(worker);
    }
  }

  /** Runs all tiles described by `params` (gemmTasks.run's layout) on this thread and the workers; returns when every tile is done. */
  run(params: readonly number[]): void {
    if (this.disposed) throw new KernelError('gemm', {}, 'the GEMM worker pool was disposed');
    const ctl = this.ctl;
    for (let i = 0; i < params.length; i++) ctl[T.PARAMS + i] = params[i]!;
    Atomics.store(ctl, T.FAILED, 0);
    Atomics.store(ctl, T.NEXT, 0);
    for (let s = 0; s < this.helpers; s++) Atomics.store(ctl, T.STATE + 16 * s, T.IDLE);
    Atomics.add(ctl, T.GEN, 1);
    Atomics.notify(ctl, T.GEN);
    const mine = T.run(ctl, this.w.kernel);
    for (let s = 0; s < this.helpers; s++) {
      const i = T.STATE + 16 * s;
      while (Atomics.compareExchange(ctl, i, T.IDLE, T.LOCKED) === T.BUSY) Atomics.wait(ctl, i, T.BUSY);
    }
    if (Atomics.load(ctl, T.FAILED)) throw new KernelError('gemm', {}, 'a GEMM worker thread failed while running tiles');
    this.stats.jobs++;
    this.stats.tasks += params[12]!;
    this.stats.callerTasks += mine;
  }

  /** Stops and terminates the workers. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ctl, T.STOP, 1);
    Atomics.add(this.ctl, T.GEN, 1);
    Atomics.notify(this.ctl, T.GEN);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
