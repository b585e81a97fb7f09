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
  /** Jobs run, their tasks, how many of those the calling thread ran itself (the rest ran on workers), and jobs declined while backing off. */
  readonly stats = { jobs: 0, tasks: 0, callerTasks: 0, declined: 0 };
  private backoff = 0;
  private skip = 0;
  private sharedNs = 0;
  private localNs = 0;

  constructor(private readonly w: WasmGemm, readonly helpers: number) {
    if (!w.shared) throw new KernelError('gemm', {}, 'a GEMM worker pool needs shared wasm memory');
    this.ctl = new Int32Array(new SharedArrayBuffer(T.words(helpers) * 4));
    for (let s = 0; s < helpers; s++) {
      Atomics.store(this.ctl, T.STATE + 16 * s, T.LOCKED);
      const worker = new Worker(new URL('./gemmWorker.mjs', import.meta.url), {
        workerData: { module: w.module, mem: w.mem, ctl: this.ctl.buffer, slot: s },
        // Plain JavaScript: not inheriting `--import tsx` halves the start-up (≈ 250 vs 500 ms here).
        execArgv: [],
        // A worker needs little heap: its data lives in the shared wasm memory.
        resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
      });
      worker.unref();
      // A worker that fails to start never enters a job (the caller does its tiles); keep the error from crashing the process.
      worker.on('error', () => undefined);
      this.workers.push(worker);
    }
  }

  /**
   * Whether the next large GEMM should be shared. On a machine whose other cores are busy (this
   * 2-core one shared by several people: load 7–13) a woken worker often just preempts the
   * caller on the same core or is descheduled holding a tile: a shared 256³ product took a
   * median 2.8 ms against 1.4 ms alone. So the pool keeps a moving average of the time per
   * multiply-add of shared and of single-threaded products (`record`); while sharing is not
   * 10 % faster it declines the next 2, 4, … 64 products (the caller runs them alone), then tries again.
   */
  shouldShare(): boolean {
    if (this.skip > 0) {
      this.skip--;
      this.stats.declined++;
      return false;
    }
    return true;
  }

  /** Records a product's tile-phase time per multiply-add, shared or run by the caller alone. */
  record(shared: boolean, nsPerMadd: number): void {
    if (!(nsPerMadd > 0) || !Number.isFinite(nsPerMadd)) return;
    const ema = (old: number) => (old === 0 ? nsPerMadd : 0.7 * old + 0.3 * nsPerMadd);
    if (!shared) { this.localNs = ema(this.localNs); return; }
    this.sharedNs = ema(this.sharedNs);
    if (this.localNs === 0) this.skip = 1;
    else if (this.sharedNs * 1.1 > this.localNs) this.skip = this.backoff = Math.min(64, Math.max(2, this.backoff * 2));
    else this.backoff = 0;
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
    const tasks = params[12]!;
    this.stats.jobs++;
    this.stats.tasks += tasks;
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
