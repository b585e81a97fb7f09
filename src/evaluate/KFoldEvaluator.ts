import { type FeatureMatrix, SchemaError, SpecError } from '../core/index.js';
import type { Model } from '../learn/index.js';
import { MetricSet, type MetricSpec } from '../metrics/index.js';
import { labeledRows } from './labeledRows.js';
import { predictionsOf } from './predictionsOf.js';
import { takeRows } from './takeRows.js';

export interface PrequentialKFoldOptions {
  k: number;
  metrics: readonly MetricSpec[];
  threshold?: number;
}

export interface KFoldReport {
  /** Labeled rows seen. */
  rows: number;
  k: number;
  /** Mean over the folds that have a value (NaN folds, e.g. no rows yet, are left out). */
  mean: Record<string, number>;
  /** Per fold: rows tested by that fold's copy, and its metrics. */
  folds: { rows: number; metrics: Record<string, number> }[];
  elapsedSeconds: number;
  rowsPerSecond: number;
  final: boolean;
}

/**
 * Prequential k-fold cross-validation (Bifet, de Francisci Morales, Read, Holmes, Pfahringer 2015,
 * "Efficient online evaluation of big data stream classifiers"): k copies of a model see the same
 * stream; a row of fold f is first predicted by copy f, which never trains on fold f, and then
 * learned by every other copy. All tests of a batch run before any learning. Rows without a label
 * are skipped.
 */
export class KFoldEvaluator {
  private readonly sets: MetricSet[];
  private readonly tested: number[];
  private rowsSeen = 0;
  private started = -1;

  constructor(
    readonly models: readonly Model[],
    readonly options: PrequentialKFoldOptions,
    path = 'prequentialKFold',
  ) {
    KFoldEvaluator.check(options, path);
    if (models.length !== options.k) throw new SpecError(`${path}.k`, `k is ${options.k} but ${models.length} model copies were given`);
    this.sets = models.map(
      () => new MetricSet(options.metrics, { path: `${path}.metrics`, ...(options.threshold !== undefined ? { threshold: options.threshold } : {}) }),
    );
    this.tested = models.map(() => 0);
  }

  static check(options: PrequentialKFoldOptions, path = 'prequentialKFold'): void {
    if (options === null || typeof options !== 'object') throw new SpecError(path, 'expected options with k and metrics');
    if (!Number.isInteger(options.k) || options.k < 2) throw new SpecError(`${path}.k`, `expected an integer ≥ 2, got ${JSON.stringify(options.k)}`);
    new MetricSet(options.metrics, { path: `${path}.metrics`, ...(options.threshold !== undefined ? { threshold: options.threshold } : {}) });
  }

  async process(m: FeatureMatrix, fold: Int32Array): Promise<void> {
    if (this.started < 0) this.started = performance.now();
    if (fold.length !== m.rows) throw new SchemaError(`${fold.length} fold values for ${m.rows} rows`, '__fold');
    const k = this.options.k;
    // Keep labeled rows with their folds.
    const t = m.targets;
    const rowsOf: number[][] = Array.from({ length: k }, () => []);
    for (let i = 0; i < m.rows; i++) {
      if (!t || !(t[i]! - t[i]! === 0)) continue;
      const f = fold[i]!;
      if (!(f >= 0 && f < k)) throw new SchemaError(`fold ${f} at row ${i}: expected 0..${k - 1} (kfold(${k}) upstream)`, '__fold');
      rowsOf[f]!.push(i);
    }
    const all = labeledRows(m);
    if (!all) return;
    this.rowsSeen += all.rows;
    for (let f = 0; f < k; f++) {
      if (!rowsOf[f]!.length) continue;
      const x = takeRows(m, rowsOf[f]!);
      const p = await this.models[f]!.predict(x);
      this.sets[f]!.update(x.targets!, predictionsOf(this.models[f]!.task, p), x.weights ?? undefined);
      this.tested[f]! += x.rows;
    }
    for (let g = 0; g < k; g++) {
      const rows: number[] = [];
      for (let f = 0; f < k; f++) if (f !== g) rows.push(...rowsOf[f]!);
      if (!rows.length) continue;
      rows.sort((a, b) => a - b);
      await this.models[g]!.learn(takeRows(m, rows));
    }
  }

  report(final = false): KFoldReport {
    const elapsed = this.started < 0 ? 0 : (performance.now() - this.started) / 1000;
    const folds = this.sets.map((s, f) => ({ rows: this.tested[f]!, metrics: s.values() }));
    const mean: Record<string, number> = {};
    for (const key of this.sets[0]!.keys) {
      const vals = folds.map((f) => f.metrics[key]!).filter((v) => !Number.isNaN(v));
      mean[key] = vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : NaN;
    }
    return { rows: this.rowsSeen, k: this.options.k, mean, folds, elapsedSeconds: elapsed, rowsPerSecond: elapsed > 0 ? this.rowsSeen / elapsed : 0, final };
  }
}
