import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { type FeatureMatrix, SluiceError } from '../core/index.js';
import type { ArfMemberSummary } from './ArfMember.js';
import type { ArfConfig } from './arfConfig.js';
import type { ArfWireBatch, ArfWorkerData, FromArfWorker, ToArfWorker } from './arfWorkerMain.js';

/** The thread entry (see arfWorker.mjs: tsx from the sources, a bundle in the package). */
const ENTRY = new URL('./arfWorker.mjs', import.meta.url);
/** How long a synchronous state snapshot may wait for a worker (one that is still starting takes ~0.5 s here). */
const SNAPSHOT_TIMEOUT_MS = 120_000;

interface Slot {
  worker: Worker;
  sync: MessagePort;
  flag: Int32Array;
  /** Tree slots this worker holds, in order. */
  indices: number[];
  waiting: { resolve: (m: FromArfWorker & { type: 'done' }) => void; reject: (e: Error) => void } | null;
  failure: Error | null;
}

/**
 * The worker threads of an Adaptive Random Forest. Tree slot t lives on worker t mod W. A batch
 * goes to every worker through shared buffers (one copy, read by all); each runs its slots over
 * the whole batch and returns their outputs and vote weights (transferred, not copied), which
 * `run` scatters into the forest's layout. Workers are unref'd except while a batch runs (a
 * forest that is never closed does not keep Node alive), and end on close().
 */
export class ArfWorkerPool {
  /** Workers started and not yet exited, in this process (for tests). */
  static live = 0;
  /** Batches run, wall time of `run` and the workers' own time summed over workers (ms), for measuring what the threads cost. */
  readonly stats = { batches: 0, runMs: 0, workerMs: 0 };
  private readonly slots: Slot[] = [];
  private closed = false;

  constructor(
    readonly config: ArfConfig,
    count: number,
  ) {
    for (let s = 0; s < count; s++) {
      const { port1, port2 } = new MessageChannel();
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const data: ArfWorkerData = { config, sync: port2, flag: flag.buffer as SharedArrayBuffer };
      // Plain JavaScript entry (it registers tsx itself): the parent's flags are not for it.
      const worker = new Worker(ENTRY, { workerData: data, transferList: [port2], execArgv: [], stdin: false });
      ArfWorkerPool.live++;
      const indices: number[] = [];
      for (let t = s; t < config.trees; t += count) indices.push(t);
      const slot: Slot = { worker, sync: port1, flag, indices, waiting: null, failure: null };
      worker.on('message', (m: FromArfWorker) => {
        const w = slot.waiting;
        slot.waiting = null;
        if (!w) return;
        if (m.type === 'done') w.resolve(m);
        else w.reject(new SluiceError('ARF_WORKER', `an ARF worker failed: ${m.type === 'error' ? m.message : m.type}`));
      });
      const fail = (e: Error) => {
        slot.failure ??= e;
        const w = slot.waiting;
        slot.waiting = null;
        w?.reject(e);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        ArfWorkerPool.live--;
        if (!this.closed) fail(new SluiceError('ARF_WORKER', `an ARF worker exited (code ${code})`));
      });
      worker.unref();
      port1.unref();
      this.slots.push(slot);
    }
  }

  /** Hands each worker its slots' states (indexed by slot); messages keep their order, so the next batch sees them. */
  load(states: readonly unknown[]): void {
    this.check();
    for (const s of this.slots) s.worker.postMessage({ type: 'load', indices: s.indices, states: s.indices.map((t) => states[t]) } satisfies ToArfWorker);
  }

  /** Runs every slot over `m`; writes outputs to outs[(i·n + t)·width ..] and weights to weights[i·n + t] (n = trees), as arfRunMembers would. */
  async run(m: FeatureMatrix, outs: Float64Array, weights: Float64Array, width: number): Promise<ArfMemberSummary[]> {
    this.check();
    const t0 = performance.now();
    const batch: ArfWireBatch = {
      kind: m.kind,
      rows: m.rows,
      cols: m.cols,
      values: shared(m.values),
      indptr: m.indptr && shared(m.indptr),
      indices: m.indices && shared(m.indices),
      targets: m.targets && shared(m.targets),
      weights: m.weights && shared(m.weights),
    };
    for (const s of this.slots) s.worker.ref();
    try {
      const replies = await Promise.all(
        this.slots.map(
          (s) =>
            new Promise<FromArfWorker & { type: 'done' }>((resolve, reject) => {
              s.waiting = { resolve, reject };
              s.worker.postMessage({ type: 'batch', batch } satisfies ToArfWorker);
            }),
        ),
      );
      const n = this.config.trees,
        R = m.rows,
        summaries: ArfMemberSummary[] = new Array(n);
      this.slots.forEach((s, k) => {
        const r = replies[k]!,
          L = s.indices.length;
        s.indices.forEach((t, j) => {
          summaries[t] = r.summaries[j]!;
          for (let i = 0; i < R; i++) {
            weights[i * n + t] = r.weights[i * L + j]!;
            const src = (i * L + j) * width,
              dst = (i * n + t) * width;
            for (let c = 0; c < width; c++) outs[dst + c] = r.outs[src + c]!;
          }
        });
      });
      this.stats.batches++;
      this.stats.runMs += performance.now() - t0;
      for (const r of replies) this.stats.workerMs += r.ms;
      return summaries;
    } finally {
      for (const s of this.slots) s.worker.unref();
    }
  }

  /** The slots' states, indexed by slot, taken synchronously (the main thread blocks until every worker has answered). */
  snapshot(): unknown[] {
    this.check();
    const states: unknown[] = new Array(this.config.trees);
    for (const s of this.slots) {
      Atomics.store(s.flag, 0, 0);
      s.worker.postMessage({ type: 'state' } satisfies ToArfWorker);
    }
    for (const s of this.slots) {
      const until = Date.now() + SNAPSHOT_TIMEOUT_MS;
      let got: { message: FromArfWorker } | undefined;
      for (;;) {
        got = receiveMessageOnPort(s.sync) as { message: FromArfWorker } | undefined;
        if (got) break;
        if (Date.now() > until) throw new SluiceError('ARF_WORKER', `an ARF worker did not answer a state request within ${SNAPSHOT_TIMEOUT_MS} ms`);
        Atomics.wait(s.flag, 0, 0, 50);
      }
      const msg = got.message;
      if (msg.type !== 'state') throw new SluiceError('ARF_WORKER', `an ARF worker failed to save its trees: ${msg.type === 'error' ? msg.message : msg.type}`);
      s.indices.forEach((t, j) => {
        states[t] = msg.states[j];
      });
    }
    return states;
  }

  private check(): void {
    if (this.closed) throw new SluiceError('ARF_WORKER', 'the ARF worker pool was closed');
    for (const s of this.slots) if (s.failure) throw s.failure;
  }

  /** Terminates the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.slots.map(async (s) => {
        s.sync.close();
        await s.worker.terminate();
      }),
    );
  }
}

/** A copy of `a` in shared memory (workers read it without another copy each). */
function shared<T extends Float32Array | Int32Array>(a: T): T {
  const C = a.constructor as new (b: SharedArrayBuffer) => T;
  const s = new C(new SharedArrayBuffer(a.byteLength));
  s.set(a as never);
  return s;
}
