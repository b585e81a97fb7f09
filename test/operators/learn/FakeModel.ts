import { FeatureMatrix } from '../../../src/core/index.js';
import type { Model, ModelState, Task } from '../../../src/learn/index.js';

export interface Call {
  op: 'predict' | 'learn';
  model: string;
  rowIds: number[];
  targets?: number[];
}

/**
 * A Model that records every call (shared log across copies) and predicts P(y=1) = the row's
 * first feature clamped to [0, 1] — so a test controls each prediction through the data.
 * `async` with a timer hop in `learn`, so operators must really wait for it.
 */
export class FakeModel implements Model {
  readonly kind = 'logistic' as const;
  readonly task: Task = 'binary';
  readonly outputs = 1;
  inputs: number | null = null;
  step = 0;
  readonly batchSize: number = 1;
  readonly backendName = 'fake';
  readonly adapter = 'none';
  disposed = false;
  /** Called at every predict (tests advance a fake clock with it). */
  onPredict: (() => void) | null = null;

  constructor(
    readonly name = 'm',
    readonly log: Call[] = [],
  ) {}

  async predict(x: FeatureMatrix): Promise<Float32Array> {
    if (this.disposed) throw new Error('predict after dispose');
    this.log.push({ op: 'predict', model: this.name, rowIds: ids(x) });
    this.onPredict?.();
    const d = x.toDense();
    const out = new Float32Array(x.rows);
    for (let i = 0; i < x.rows; i++) out[i] = Math.min(1, Math.max(0, d.values[i * x.cols]!));
    return out;
  }

  async learn(x: FeatureMatrix): Promise<void> {
    if (this.disposed) throw new Error('learn after dispose');
    this.log.push({ op: 'learn', model: this.name, rowIds: ids(x), targets: Array.from(x.targets ?? []) });
    await new Promise((r) => setTimeout(r, 0));
    this.step++;
  }

  async lastLoss(): Promise<number> {
    return 0.5;
  }
  async state(): Promise<ModelState> {
    return { kind: 'logistic', task: 'binary', inputs: this.inputs ?? 0, outputs: 1, options: {}, params: {}, optimizer: {}, step: this.step };
  }
  load(state: ModelState): void {
    this.step = state.step;
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

function ids(x: FeatureMatrix): number[] {
  return Array.from(x.rowIds ?? []);
}

/** A dense matrix of `rows` rows starting at row id `start`: feature 0 = `score(id)`, feature 1 = id, target = `label(id)`. */
export function matrix(start: number, rows: number, score: (id: number) => number = () => 0.5, label: (id: number) => number = (id) => id % 2): FeatureMatrix {
  const v = new Float32Array(rows * 2),
    t = new Float32Array(rows),
    r = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const id = start + i;
    v[i * 2] = score(id);
    v[i * 2 + 1] = id;
    t[i] = label(id);
    r[i] = id;
  }
  return FeatureMatrix.dense(rows, 2, v, { targets: t, rowIds: r });
}
