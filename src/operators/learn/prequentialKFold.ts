import type { OperatorFunction } from 'rxjs';
import { asyncStage, type Batch, SchemaError, SpecError, Telemetry } from '../../core/index.js';
import { isModel, KFoldEvaluator, type KFoldReport, type PrequentialKFoldOptions } from '../../evaluate/index.js';
import type { Model } from '../../learn/index.js';
import type { VectorizeOperatorOptions } from '../transforms/index.js';
import { type TaggedMatrix, taggedMatrices } from './taggedMatrices.js';

export interface PrequentialKFoldOperatorOptions extends PrequentialKFoldOptions {
  /** How to vectorize the batches; the fold comes from the `__fold` column added by `kfold(k)` upstream. */
  vectorize: VectorizeOperatorOptions;
  telemetry?: Telemetry;
  /** Minimum ms between `metrics` telemetry events (mean metrics; default 500). */
  every?: number;
}

/**
 * Prequential k-fold cross-validation over a Batch stream carrying `__fold` (see KFoldEvaluator):
 * `factory(f)` makes copy f, k copies per subscription, all disposed at teardown. Emits a
 * KFoldReport (mean and per-fold metrics) per batch and a final one.
 */
export function prequentialKFold(
  factory: (fold: number) => Model | Promise<Model>,
  options: PrequentialKFoldOperatorOptions,
): OperatorFunction<Batch, KFoldReport> {
  if (typeof factory !== 'function') throw new SpecError('prequentialKFold.factory', 'expected a function (fold) => Model: each fold needs its own copy');
  KFoldEvaluator.check(options);
  if (!options.vectorize || typeof options.vectorize !== 'object')
    throw new SpecError('prequentialKFold.vectorize', 'expected vectorize options (at least the target)');
  const every = options.every ?? 500;
  if (typeof every !== 'number' || !(every >= 0)) throw new SpecError('prequentialKFold.every', `expected ms ≥ 0, got ${JSON.stringify(every)}`);
  const telemetry = options.telemetry ?? Telemetry.global;
  return (source) =>
    asyncStage<TaggedMatrix, KFoldReport>(
      taggedMatrices(source, options.vectorize),
      async () => {
        const models: Model[] = [];
        try {
          for (let f = 0; f < options.k; f++) {
            const m = await factory(f);
            if (!isModel(m)) throw new SpecError('prequentialKFold.factory', `the factory did not return a Model for fold ${f}`);
            if (models.includes(m))
              throw new SpecError(
                'prequentialKFold.factory',
                `the factory returned the same model for two folds (${models.indexOf(m)} and ${f}): each fold needs its own copy`,
              );
            models.push(m);
          }
        } catch (err) {
          await Promise.all(models.map((m) => m.dispose()));
          throw err;
        }
        const cv = new KFoldEvaluator(models, options);
        let lastSent = -Infinity;
        const send = (r: KFoldReport) => {
          lastSent = performance.now();
          telemetry.emit({ type: 'metrics', rows: r.rows, values: r.mean, model: `kfold${options.k}:${models[0]!.kind}@${models[0]!.backendName}` });
        };
        return {
          async step(t, emit) {
            if (!t.fold) throw new SchemaError(`prequentialKFold needs the fold column: add kfold(${options.k}) before the transforms`, '__fold');
            await cv.process(t.matrix, t.fold);
            const r = cv.report(false);
            if (performance.now() - lastSent >= every) send(r);
            emit(r);
          },
          async flush(emit) {
            const r = cv.report(true);
            send(r);
            emit(r);
          },
          async teardown() {
            await Promise.all(models.map((m) => m.dispose()));
          },
        };
      },
      (t) => t.ticket,
    );
}
