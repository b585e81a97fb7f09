import type { OperatorFunction } from 'rxjs';
import { asyncStage, type FeatureMatrix, SpecError, Telemetry } from '../../core/index.js';
import {
  checkModelSource,
  type ModelSource,
  ProgressiveEvaluator,
  type ProgressiveOptions,
  type ProgressiveReport,
  resolveModel,
} from '../../evaluate/index.js';

export interface ProgressiveOperatorOptions extends ProgressiveOptions {
  telemetry?: Telemetry;
  /** Minimum ms between `metrics` telemetry events (default 500; the final one is always sent). */
  every?: number;
}

/**
 * Test-then-train over a FeatureMatrix stream (from `vectorize`), on the one engine (TestThenTrain,
 * through ProgressiveEvaluator): each mini-batch of the model's batch size is predicted by the model
 * as it was before it, scored, then learned, with mini-batches counted over the whole stream, so
 * the metrics do not depend on the source's batch size (see ProgressiveEvaluator for label delays
 * and missing labels). Emits a running ProgressiveReport per batch and a final one (`final: true`) at the end of
 * the stream or at `maxRows` (which also unsubscribes from the source); sends `metrics` telemetry at
 * most every `every` ms. A model factory gets a fresh model per subscription, disposed at teardown.
 */
export function progressive(model: ModelSource, options: ProgressiveOperatorOptions): OperatorFunction<FeatureMatrix, ProgressiveReport> {
  checkModelSource(model, 'progressive.model');
  ProgressiveEvaluator.check(options);
  const every = options.every ?? 500;
  if (typeof every !== 'number' || !(every >= 0)) throw new SpecError('progressive.every', `expected ms ≥ 0, got ${JSON.stringify(every)}`);
  const telemetry = options.telemetry ?? Telemetry.global;
  return (source) =>
    asyncStage<FeatureMatrix, ProgressiveReport>(source, async () => {
      const { model: m, owned } = await resolveModel(model, 'progressive.model');
      const ev = new ProgressiveEvaluator(m, options);
      let lastSent = -Infinity;
      const send = (r: ProgressiveReport) => {
        lastSent = performance.now();
        telemetry.emit({ type: 'metrics', rows: r.rows, values: r.metrics, ...(r.rolling ? { rolling: r.rolling } : {}), model: `${m.kind}@${m.backendName}` });
      };
      return {
        async step(x, emit) {
          const done = await ev.process(x);
          const r = ev.report(false);
          if (performance.now() - lastSent >= every) send(r);
          emit(r);
          return done;
        },
        async flush(emit) {
          await ev.finish();
          const r = ev.report(true);
          send(r);
          emit(r);
        },
        async teardown() {
          if (owned) await m.dispose();
        },
      };
    });
}
