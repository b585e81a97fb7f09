import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { FeatureMatrix } from '../core/index.js';
import { ArfClassifierMember, type ArfClassifierMemberState } from './ArfClassifierMember.js';
import type { ArfMember, ArfMemberSummary } from './ArfMember.js';
import { ArfRandom } from './ArfRandom.js';
import { ArfRegressorMember, type ArfRegressorMemberState } from './ArfRegressorMember.js';
import type { ArfConfig } from './arfConfig.js';
import { arfRunMembers } from './arfRunMembers.js';
import { TreeRows } from './TreeRows.js';

/** What a worker starts with: the forest's options, and the port and flag of synchronous replies (state snapshots). */
export interface ArfWorkerData {
  config: ArfConfig;
  sync: MessagePort;
  /** Int32Array over a SharedArrayBuffer: [0] is set to 1 once a reply is on `sync`. */
  flag: SharedArrayBuffer;
}

/** A batch as it crosses threads: the FeatureMatrix's arrays (shared, read-only). */
export interface ArfWireBatch {
  kind: 'dense' | 'csr';
  rows: number;
  cols: number;
  values: Float32Array;
  indptr: Int32Array | null;
  indices: Int32Array | null;
  targets: Float32Array | null;
  weights: Float32Array | null;
}

export type ToArfWorker = { type: 'load'; indices: number[]; states: unknown[] } | { type: 'batch'; batch: ArfWireBatch } | { type: 'state' };

export type FromArfWorker =
  | { type: 'done'; outs: Float64Array; weights: Float64Array; summaries: ArfMemberSummary[]; ms: number }
  | { type: 'state'; states: unknown[] }
  | { type: 'error'; message: string };

/** Builds a tree slot of either kind from its state. */
function arfMemberFromState(config: ArfConfig, random: ArfRandom, index: number, state?: unknown): ArfMember {
  return config.kind === 'classifier'
    ? new ArfClassifierMember(config, random, index, state as ArfClassifierMemberState | undefined)
    : new ArfRegressorMember(config, random, index, state as ArfRegressorMemberState | undefined);
}

/**
 * An ARF worker thread: holds some of the forest's tree slots (`load`), runs them test-then-train
 * over each batch (`batch` → `done`, outputs and vote weights of its slots, slot-major per row as
 * arfRunMembers writes them) and answers `state` on the synchronous port, so the main thread can
 * take a snapshot without an await (toJSON stays synchronous).
 */
export function arfWorkerMain(): void {
  const { config, sync, flag } = workerData as ArfWorkerData;
  const port = parentPort!;
  const ready = new Int32Array(flag);
  const random = new ArfRandom(config.lambda);
  const rows = new TreeRows(config.inputs);
  let members: ArfMember[] = [];
  const reply = (m: FromArfWorker) => {
    sync.postMessage(m);
    Atomics.store(ready, 0, 1);
    Atomics.notify(ready, 0);
  };
  port.on('message', (msg: ToArfWorker) => {
    if (msg.type === 'state') {
      try {
        reply({ type: 'state', states: members.map((m) => m.toJSON()) });
      } catch (e) {
        reply({ type: 'error', message: (e as Error).message });
      }
      return;
    }
    try {
      if (msg.type === 'load') {
        members = msg.states.map((s, k) => arfMemberFromState(config, random, msg.indices[k]!, s));
        return;
      }
      const t0 = performance.now();
      const b = msg.batch;
      const extras = { targets: b.targets, weights: b.weights };
      const m =
        b.kind === 'dense' ? FeatureMatrix.dense(b.rows, b.cols, b.values, extras) : FeatureMatrix.csr(b.rows, b.cols, b.indptr!, b.indices!, b.values, extras);
      const n = members.length;
      const outs = new Float64Array(b.rows * n * (config.kind === 'classifier' ? config.classes : 1));
      const weights = new Float64Array(b.rows * n);
      arfRunMembers(members, rows, m, outs, weights);
      const done: FromArfWorker = { type: 'done', outs, weights, summaries: members.map((s) => s.summary()), ms: performance.now() - t0 };
      port.postMessage(done, [outs.buffer, weights.buffer]);
    } catch (e) {
      port.postMessage({ type: 'error', message: (e as Error).stack ?? String(e) } satisfies FromArfWorker);
    }
  });
}
