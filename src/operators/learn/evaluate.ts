import type { OperatorFunction } from 'rxjs';
import { asyncStage, type FeatureMatrix } from '../../core/index.js';
import { checkModelSource, labeledRows, type ModelSource, predictionsOf, resolveModel } from '../../evaluate/index.js';
import { MetricSet, type MetricSpec } from '../../metrics/index.js';

export interface EvaluateOptions {
  metrics: readonly MetricSpec[];
  threshold?: number;
}

/** The final report on a test source. */
export interface EvaluationReport {
  /** Rows predicted, and rows scored (with a label). */
  rows: number;
  labeled: number;
  metrics: Record<string, number>;
  elapsedSeconds: number;
  rowsPerSecond: number;
  backend: string;
  adapter: string;
}

/**
 * Scores a (trained) model on a test FeatureMatrix stream without learning: predict only, one
 * report when the stream completes. The final-report half of holdout evaluation.
 */
export function evaluate(model: ModelSource, options: EvaluateOptions): OperatorFunction<FeatureMatrix, EvaluationReport> {
  checkModelSource(model, 'evaluate.model');
  const metricOptions = { path: 'evaluate.metrics', ...(options?.threshold !== undefined ? { threshold: options.threshold } : {}) };
  new MetricSet(options?.metrics, metricOptions);
  return (source) =>
    asyncStage<FeatureMatrix, EvaluationReport>(source, async () => {
      const { model: m, owned } = await resolveModel(model, 'evaluate.model');
      const set = new MetricSet(options.metrics, metricOptions);
      let rows = 0,
        labeled = 0,
        started = -1;
      return {
        async step(x) {
          if (started < 0) started = performance.now();
          rows += x.rows;
          const y = labeledRows(x);
          if (!y) return;
          set.update(y.targets!, predictionsOf(m.task, await m.predict(y)), y.weights ?? undefined);
          labeled += y.rows;
        },
        async flush(emit) {
          const elapsed = started < 0 ? 0 : (performance.now() - started) / 1000;
          emit({
            rows,
            labeled,
            metrics: set.values(),
            elapsedSeconds: elapsed,
            rowsPerSecond: elapsed > 0 ? rows / elapsed : 0,
            backend: m.backendName,
            adapter: m.adapter,
          });
        },
        async teardown() {
          if (owned) await m.dispose();
        },
      };
    });
}
