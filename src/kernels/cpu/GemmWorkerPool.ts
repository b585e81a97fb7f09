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
  private readonly classes = new Map<number, { sharedNs: number; localNs: number; backoff: number; skip: number }>();

  constructor(
    private readonly w: WasmGemm,
    readonly helpers: number,
  ) {
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
   * Whether a GEMM of `madds` multiply-adds should be shared. On a machine whose other cores are
   * busy (this 2-core one shared by several people: load 7–13) a woken worker often preempts the
   * caller on the same core or is descheduled holding a tile: a shared 256³ product took a median
   * 2.8 ms against 1.4 ms alone. For products this short the pool keeps, per size class (power
   * of two of madds), a moving average of ns per multiply-add shared and alone (`record`); while
   * sharing is not 10 % faster it declines the next 2, 4, … 64 products of that class, then tries
   * again. From 2^29 madds (≈ 810³, ≥ 50 ms) a wake-up and the last tile are a small part of the
   * product and a second thread also gets the machine's scheduler to give this process a second
   * share of CPU, so those are always shared.
   */
  shouldShare(madds: number): boolean {
    if (madds >= 2 ** 29) return true;
    const c = this.sizeClass(madds);
    if (c.skip > 0) {
      c.skip--;
      this.stats.declined++;
      return false;
    }
    return true;
  }

  /** Records a product's tile-phase time per multiply-add, shared or run by the caller alone. */
  record(madds: number, shared: boolean, nsPerMadd: number): void {
    if (madds >= 2 ** 29 || !(nsPerMadd > 0) || !Number.isFinite(nsPerMadd)) return;
    const c = this.sizeClass(madds);
    const ema = (old: number) => (old === 0 ? nsPerMadd : 0.7 * old + 0.3 * nsPerMadd);
    if (!shared) {
      c.localNs = ema(c.localNs);
      return;
    }
    c.sharedNs = ema(c.sharedNs);
    if (c.localNs === 0) c.skip = 1;
    else if (c.sharedNs * 1.1 > c.localNs) c.skip = c.backoff = Math.min(64, Math.max(2, c.backoff * 2));
    else c.backoff = 0;
  }

  private sizeClass(madds: number): { sharedNs: number; localNs: number; backoff: number; skip: number } {
    const key = Math.floor(Math.log2(Math.max(madds, 1)));
    let c = this.classes.get(key);
    if (!c) this.classes.set(key, (c = { sharedNs: 0, localNs: 0, backoff: 0, skip: 0 }));
    return c;
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
