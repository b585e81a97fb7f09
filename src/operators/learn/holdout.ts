import type { OperatorFunction } from 'rxjs';
import { asyncStage, type Batch, SpecError, Telemetry } from '../../core/index.js';
import { checkModelSource, HoldoutEvaluator, type HoldoutOptions, type HoldoutReport, type ModelSource, resolveModel } from '../../evaluate/index.js';
import type { VectorizeOperatorOptions } from '../transforms/index.js';
import { type TaggedMatrix, taggedMatrices } from './taggedMatrices.js';

export interface HoldoutOperatorOptions extends HoldoutOptions {
  /** How to vectorize the batches (target, drop, ...). Holdout reads `__split` from the batch, which a FeatureMatrix does not carry. */
  vectorize: VectorizeOperatorOptions;
  telemetry?: Telemetry;
}

/**
 * Holdout evaluation over a split stream of Batches (after `split(...)` and the transforms):
 * vectorizes each batch, learns the training rows, keeps the validation/test rows unlearned, and
 * every `every` training rows emits a HoldoutReport of the current model on them (and one final
 * report at the end). Validation metrics also go out as `metrics` telemetry (model `holdout:…`).
 */
export function holdout(model: ModelSource, options: HoldoutOperatorOptions): OperatorFunction<Batch, HoldoutReport> {
  checkModelSource(model, 'holdout.model');
  HoldoutEvaluator.check(options);
  if (!options.vectorize || typeof options.vectorize !== 'object') throw new SpecError('holdout.vectorize', 'expected vectorize options (at least the target)');
  const telemetry = options.telemetry ?? Telemetry.global;
  return (source) =>
    asyncStage<TaggedMatrix, HoldoutReport>(
      taggedMatrices(source, options.vectorize),
      async () => {
        const { model: m, owned } = await resolveModel(model, 'holdout.model');
        const ev = new HoldoutEvaluator(m, options);
        const send = (r: HoldoutReport) => {
          const scores = r.validation ?? r.test;
          if (scores)
            telemetry.emit({
              type: 'metrics',
              rows: r.rows,
              values: scores.metrics,
              model: `holdout:${r.validation ? 'validation' : 'test'}:${m.kind}@${m.backendName}`,
            });
        };
        return {
          async step(t, emit) {
            if (await ev.process(t.matrix, t.split)) {
              const r = await ev.evaluate(false);
              send(r);
              emit(r);
            }
          },
          async flush(emit) {
            const r = await ev.evaluate(true);
            send(r);
            emit(r);
          },
          async teardown() {
            if (owned) await m.dispose();
          },
        };
      },
      (t) => t.ticket,
    );
}
