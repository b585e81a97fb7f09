import { type FeatureMatrix, SchemaError, SpecError } from '../core/index.js';
import type { Model } from '../learn/index.js';
import { MetricSet, type MetricSpec } from '../metrics/index.js';
import { labeledRows } from './labeledRows.js';
import { predictionsOf } from './predictionsOf.js';
import { TestThenTrain } from './TestThenTrain.js';
import { takeRows } from './takeRows.js';

export interface HoldoutOptions {
  metrics: readonly MetricSpec[];
  /** Evaluate on the held-out rows after every `every` training rows learned. */
  every: number;
  /** Held-out rows kept per split: the most recent ones (default 10000). */
  holdoutSize?: number;
  threshold?: number;
}

/** Metrics of one held-out split, over the rows held when the evaluation ran. */
export interface HoldoutScores {
  rows: number;
  metrics: Record<string, number>;
}

export interface HoldoutReport {
  /** Rows seen (train and held out). */
  rows: number;
  /** Training rows given to the model (learned in whole mini-batches; the last partial one before the final report). */
  trainRows: number;
  /** Held-out rows seen so far (validation + test). */
  heldOutRows: number;
  validation?: HoldoutScores;
  test?: HoldoutScores;
  step: number;
  backend: string;
  adapter: string;
  elapsedSeconds: number;
  rowsPerSecond: number;
  final: boolean;
}

const PREDICT_CHUNK = 8192;

/**
 * Periodic holdout evaluation on a split stream: rows with split 0 (train), or every row when there
 * is no split column, are learned; validation (1) and test (2) rows are never learned, only kept —
 * the most recent `holdoutSize` of each — and every `every` training rows the current model is
 * scored on the kept rows with fresh metrics (predict only). Keeping the most recent rows, not the
 * first, makes the holdout follow a drifting stream; it also bounds memory. Training rows are learned
 * through the test-then-train engine (learning only): mini-batches of the model's batch size over
 * the whole stream, whatever the source's batch size; the last partial one before the final report.
 */
export class HoldoutEvaluator {
  private readonly held: [FeatureMatrix[], FeatureMatrix[]] = [[], []];
  private readonly heldCount = [0, 0];
  private readonly holdoutSize: number;
  private rowsSeen = 0;
  private trainRows = 0;
  private heldOut = 0;
  private nextReport: number;
  private started = -1;
  private readonly trainer: TestThenTrain;

  constructor(
    readonly model: Model,
    readonly options: HoldoutOptions,
    path = 'holdout',
  ) {
    HoldoutEvaluator.check(options, path);
    this.trainer = new TestThenTrain(model, { learnOnly: true });
    this.holdoutSize = options.holdoutSize ?? 10_000;
    this.nextReport = options.every;
  }

  static check(options: HoldoutOptions, path = 'holdout'): void {
    if (options === null || typeof options !== 'object') throw new SpecError(path, 'expected options with metrics and every');
    new MetricSet(options.metrics, { path: `${path}.metrics`, ...(options.threshold !== undefined ? { threshold: options.threshold } : {}) });
    if (!Number.isInteger(options.every) || options.every < 1)
      throw new SpecError(`${path}.every`, `expected an integer ≥ 1 (training rows), got ${JSON.stringify(options.every)}`);
    const h = options.holdoutSize;
    if (h !== undefined && (!Number.isInteger(h) || h < 1)) throw new SpecError(`${path}.holdoutSize`, `expected an integer ≥ 1, got ${JSON.stringify(h)}`);
  }

  /** Learns the batch's training rows and keeps its held-out rows. Returns true when an evaluation is due. */
  async process(m: FeatureMatrix, split: Int32Array | null): Promise<boolean> {
    if (this.started < 0) this.started = performance.now();
    if (split && split.length !== m.rows) throw new SchemaError(`${split.length} split values for ${m.rows} rows`, '__split');
    this.rowsSeen += m.rows;
    const parts: [number[], number[], number[]] = [[], [], []];
    if (split)
      for (let i = 0; i < m.rows; i++) {
        const s = split[i]!;
        if (s !== 0 && s !== 1 && s !== 2) throw new SchemaError(`split value ${s} at row ${i}: expected 0 (train), 1 (validation) or 2 (test)`, '__split');
        parts[s]!.push(i);
      }
    const train = split ? (parts[0].length ? takeRows(m, parts[0]) : null) : m;
    for (const s of [1, 2] as const) {
      if (!parts[s].length) continue;
      const rows = labeledRows(takeRows(m, parts[s]));
      this.heldOut += parts[s].length;
      if (rows) this.keep(s - 1, rows);
    }
    const labeled = train ? labeledRows(train) : null;
    if (labeled) {
      await this.trainer.process(labeled);
      this.trainRows += labeled.rows;
    }
    if (this.trainRows >= this.nextReport) {
      this.nextReport = (Math.floor(this.trainRows / this.options.every) + 1) * this.options.every;
      return true;
    }
    return false;
  }

  /** Scores the current model on the kept validation and test rows. */
  async evaluate(final = false): Promise<HoldoutReport> {
    if (final) await this.trainer.finish();
    const elapsed = this.started < 0 ? 0 : (performance.now() - this.started) / 1000;
    const report: HoldoutReport = {
      rows: this.rowsSeen,
      trainRows: this.trainRows,
      heldOutRows: this.heldOut,
      step: this.model.step,
      backend: this.model.backendName,
      adapter: this.model.adapter,
      elapsedSeconds: elapsed,
      rowsPerSecond: elapsed > 0 ? this.rowsSeen / elapsed : 0,
      final,
    };
    const names = ['validation', 'test'] as const;
    for (const s of [0, 1]) {
      if (this.heldCount[s] === 0) continue;
      const set = new MetricSet(this.options.metrics, { ...(this.options.threshold !== undefined ? { threshold: this.options.threshold } : {}) });
      for (const part of this.held[s]!) {
        for (let r = 0; r < part.rows; r += PREDICT_CHUNK) {
          const x = r === 0 && part.rows <= PREDICT_CHUNK ? part : part.sliceRows(r, r + PREDICT_CHUNK);
          const p = await this.model.predict(x);
          set.update(x.targets!, predictionsOf(this.model.task, p), x.weights ?? undefined);
        }
      }
      report[names[s]!] = { rows: this.heldCount[s]!, metrics: set.values() };
    }
    return report;
  }

  private keep(s: number, rows: FeatureMatrix): void {
    const list = this.held[s]!;
    list.push(rows);
    this.heldCount[s]! += rows.rows;
    while (this.heldCount[s]! > this.holdoutSize) {
      const over = this.heldCount[s]! - this.holdoutSize,
        first = list[0]!;
      if (first.rows <= over) {
        list.shift();
        this.heldCount[s]! -= first.rows;
      } else {
        list[0] = first.sliceRows(over, first.rows);
        this.heldCount[s]! -= over;
      }
    }
  }
}
