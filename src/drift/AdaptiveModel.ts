import { type FeatureMatrix, SpecError } from '../core/index.js';
import type { Model, ModelKind, ModelState, Task } from '../learn/index.js';
import { DRIFT_POLICIES, type DriftPolicy } from './DRIFT_POLICIES.js';

/** What a policy did, for the report. */
export interface AdaptationCounts {
  policy: DriftPolicy;
  /** Times the live model went back to its initial state (`reset`). */
  resets: number;
  /** Times a background model replaced the live one (`swap`). */
  swaps: number;
  /** Background models started (at a warning, or at a drift that came without one). */
  backgroundStarts: number;
  /** Background models restarted by a new warning before any drift. */
  backgroundRestarts: number;
  /** Rows the background models had learned when they were swapped in, summed. */
  backgroundRows: number;
}

/**
 * A model that adapts to drift: the engine trains and scores it like any model, and a drift monitor
 * calls `alarm` at each warning and drift. It delegates to the live model and, under `swap`, also
 * trains a background model:
 * - `alert`: nothing changes.
 * - `reset`: at a drift the live model goes back to its initial state (`prime` keeps it).
 * - `swap`: at a warning a background model (the spare, initial state) starts learning the rows
 *   that follow; at the drift it replaces the live model, which is reset and kept as the next
 *   spare. A new warning before the drift restarts the background model. A drift that comes with no
 *   warning (detectors without a warning level: ADWIN, Page-Hinkley, KSWIN) starts the background
 *   model there and swaps it in at once, as the Adaptive Random Forest (Gomes et al. 2017) resets a
 *   tree whose warning detector is off.
 * Alarms arrive from the engine's `onScored` hook, after the run of rows that raised them was learned
 * (at most its chunkRows, 256 by default): the policy acts from the next row on. The saved state
 * (`state`, `load`) is the live model's.
 */
export class AdaptiveModel implements Model {
  readonly testThenTrain?: (x: FeatureMatrix, out: Float32Array) => void;
  private live: Model;
  private spare: Model | null = null;
  private background: Model | null = null;
  private bgRows = 0;
  private initial: ModelState | null = null;
  private scratch = new Float32Array(0);
  private readonly counts: AdaptationCounts;

  constructor(live: Model, policy: DriftPolicy) {
    if (!DRIFT_POLICIES.includes(policy)) throw new SpecError('onDrift', `expected one of ${DRIFT_POLICIES.join('|')}, got ${JSON.stringify(policy)}`);
    this.live = live;
    this.counts = { policy, resets: 0, swaps: 0, backgroundStarts: 0, backgroundRestarts: 0, backgroundRows: 0 };
    if (live.testThenTrain) {
      this.testThenTrain = (x, out) => {
        this.live.testThenTrain!(x, out);
        const b = this.background;
        if (!b) return;
        if (this.scratch.length < out.length) this.scratch = new Float32Array(out.length);
        b.testThenTrain!(x, this.scratch.subarray(0, out.length));
        this.bgRows += x.rows;
      };
    }
  }

  get policy(): DriftPolicy {
    return this.counts.policy;
  }
  get kind(): ModelKind {
    return this.live.kind;
  }
  get task(): Task {
    return this.live.task;
  }
  get outputs(): number {
    return this.live.outputs;
  }
  get inputs(): number | null {
    return this.live.inputs;
  }
  get step(): number {
    return this.live.step;
  }
  get batchSize(): number {
    return this.live.batchSize;
  }
  get backendName(): string {
    return this.live.backendName;
  }
  get adapter(): string {
    return this.live.adapter;
  }
  /** The model that predicts now. */
  get current(): Model {
    return this.live;
  }
  /** True while a background model learns (swap, between a warning and the drift). */
  get learningInBackground(): boolean {
    return this.background !== null;
  }

  /** Every model it holds (live, spare, background), to dispose. */
  get models(): Model[] {
    return [this.live, this.spare, this.background].filter((m): m is Model => m !== null);
  }

  /** True once primed (or under alert, which needs no priming). */
  get primed(): boolean {
    return this.initial !== null || this.counts.policy === 'alert';
  }

  /** A copy of the counts. */
  report(): AdaptationCounts {
    return { ...this.counts };
  }

  /**
   * Before the first row (reset and swap): fixes the input width of the models with one row of x
   * (a prediction changes no state) and keeps the live model's state as the initial one. `swap`
   * needs `spare`, a second model built like the live one (it is given the same initial state).
   */
  async prime(x: FeatureMatrix, spare: Model | null = null): Promise<void> {
    if (this.primed || x.rows === 0) return;
    const live = this.live;
    if (this.counts.policy === 'swap') {
      if (!spare) throw new SpecError('onDrift', 'swap needs a spare model built like the live one');
      if (spare.kind !== live.kind || spare.outputs !== live.outputs || spare.batchSize !== live.batchSize)
        throw new SpecError(
          'onDrift',
          `the spare model (${spare.kind}, ${spare.outputs} outputs, batch ${spare.batchSize}) differs from the live one (${live.kind}, ${live.outputs} outputs, batch ${live.batchSize})`,
        );
      this.spare = spare;
    }
    const one = x.sliceRows(0, 1);
    await live.predict(one);
    if (this.spare) await this.spare.predict(one);
    this.initial = await live.state();
    this.spare?.load(this.initial);
  }

  /** A monitor's alarm; the action applies to the rows that follow. Returns true when the live model changed (reset or swapped). */
  alarm(signal: 'warning' | 'drift'): boolean {
    const c = this.counts;
    if (c.policy === 'alert') return false;
    const initial = this.initial;
    if (!initial) throw new SpecError('onDrift', `${c.policy}: prime() the adaptive model before the first row`);
    if (c.policy === 'reset') {
      if (signal !== 'drift') return false;
      this.live.load(initial);
      c.resets++;
      return true;
    }
    if (signal === 'warning' || !this.background) {
      if (this.background) {
        this.background.load(initial);
        c.backgroundRestarts++;
      } else {
        this.background = this.spare;
        this.spare = null;
        c.backgroundStarts++;
      }
      this.bgRows = 0;
    }
    if (signal === 'drift') {
      const old = this.live;
      this.live = this.background!;
      this.background = null;
      old.load(initial);
      this.spare = old;
      c.swaps++;
      c.backgroundRows += this.bgRows;
      this.bgRows = 0;
      return true;
    }
    return false;
  }

  predict(x: FeatureMatrix): Promise<Float32Array> {
    return this.live.predict(x);
  }

  async learn(x: FeatureMatrix): Promise<void> {
    await this.live.learn(x);
    if (this.background) {
      await this.background.learn(x);
      this.bgRows += x.rows;
    }
  }

  lastLoss(): Promise<number> {
    return this.live.lastLoss();
  }

  state(): Promise<ModelState> {
    return this.live.state();
  }

  load(state: ModelState): void {
    this.live.load(state);
  }

  async dispose(): Promise<void> {
    for (const m of this.models) await m.dispose();
  }
}
