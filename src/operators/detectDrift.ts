import type { OperatorFunction } from 'rxjs';
import { asyncStage, type FeatureMatrix, SpecError, Telemetry } from '../core/index.js';
import { DriftAdapter, type DriftReport, type DriftSpec, readDriftSpec } from '../drift/index.js';
import { checkModelSource, type ModelSource, ProgressiveEvaluator, type ProgressiveReport, resolveModel } from '../evaluate/index.js';
import { type Model, modelFromState } from '../learn/index.js';
import type { ProgressiveOperatorOptions } from './learn/index.js';

export interface DetectDriftOptions extends ProgressiveOperatorOptions, DriftSpec {}

/** A progressive report with the drift monitor's alarms and what the policy did. */
export interface DriftProgressiveReport extends ProgressiveReport {
  drift: DriftReport;
}

/**
 * Progressive evaluation (as `progressive`, on the one test-then-train engine) with error drift
 * detection and adaptation. Each labeled row's outcome (0/1 error; absolute error for regression)
 * feeds the detector (`detector`, default ADWIN); a warning or a drift goes out as `warning` /
 * `drift` telemetry with the row's stream position (0-based), and the policy (`onDrift`: alert,
 * reset or swap, see AdaptiveModel) acts from the next run of rows on (at most 256 rows later).
 * Emits the running ProgressiveReport with a `drift` part (alarms, resets, swaps) per batch, and a
 * final one. `reset` and `swap` restart from the model as it was at subscription (untrained when
 * built from options or a factory); `swap` builds its second model the same way (from an
 * instance's state), so a caller's instance may end up as the spare: the model that predicts is
 * the report's, not necessarily the instance.
 */
export function detectDrift(model: ModelSource, options: DetectDriftOptions): OperatorFunction<FeatureMatrix, DriftProgressiveReport> {
  checkModelSource(model, 'detectDrift.model');
  if (options === null || typeof options !== 'object') throw new SpecError('detectDrift', 'expected options with a metrics list');
  const { detector, onDrift, telemetry: tel, every: ev, ...progressive } = options;
  ProgressiveEvaluator.check(progressive, 'detectDrift');
  const spec = readDriftSpec({ ...(detector !== undefined ? { detector } : {}), ...(onDrift !== undefined ? { onDrift } : {}) }, 'detectDrift');
  const every = ev ?? 500;
  if (typeof every !== 'number' || !(every >= 0)) throw new SpecError('detectDrift.every', `expected ms ≥ 0, got ${JSON.stringify(every)}`);
  const telemetry = tel ?? Telemetry.global;
  return (source) =>
    asyncStage<FeatureMatrix, DriftProgressiveReport>(source, async () => {
      const { model: live, owned } = await resolveModel(model, 'detectDrift.model');
      const adapter = new DriftAdapter(live, spec.make(), spec.onDrift, {
        ...(progressive.threshold !== undefined ? { threshold: progressive.threshold } : {}),
        onAlarm: (signal, row, message) => telemetry.emit({ type: signal, detector: spec.kind, row, message }),
      });
      const adaptive = adapter.model;
      const ev = new ProgressiveEvaluator(adaptive, { ...progressive, onScored: adapter.observe }, 'detectDrift');
      let lastSent = -Infinity;
      const report = (final: boolean): DriftProgressiveReport => ({ ...ev.report(final), drift: adapter.report() });
      const send = (r: DriftProgressiveReport) => {
        lastSent = performance.now();
        telemetry.emit({
          type: 'metrics',
          rows: r.rows,
          values: r.metrics,
          ...(r.rolling ? { rolling: r.rolling } : {}),
          model: `${adaptive.kind}@${adaptive.backendName}`,
        });
      };
      return {
        async step(x, emit) {
          if (!adaptive.primed && x.rows > 0) {
            let spare: Model | null = null;
            if (spec.onDrift === 'swap') {
              if (owned) spare = (await resolveModel(model, 'detectDrift.model')).model;
              else {
                // A shared instance: the spare is rebuilt from its state (one prediction fixes its input width first).
                await live.predict(x.sliceRows(0, 1));
                spare = await modelFromState(await live.state());
              }
            }
            await adaptive.prime(x, spare);
          }
          const done = await ev.process(x);
          const r = report(false);
          if (performance.now() - lastSent >= every) send(r);
          emit(r);
          return done;
        },
        async flush(emit) {
          await ev.finish();
          const r = report(true);
          send(r);
          emit(r);
        },
        async teardown() {
          // Every model the operator built; a caller's instance stays the caller's to dispose.
          for (const m of adaptive.models) if (owned || m !== live) await m.dispose();
        },
      };
    });
}
