import { from, lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type FeatureMatrix, SpecError, Telemetry, type TelemetryEvent } from '../../src/core/index.js';
import { createModel } from '../../src/learn/index.js';
import { type DetectDriftOptions, detectDrift } from '../../src/operators/index.js';
import { hashedStream, SgdModel } from '../evaluate/SgdModel.js';

const CHANGE = 6000;
/** 12,000 rows whose labels flip at row 6000, in source batches of 1000. */
function flipped(): FeatureMatrix[] {
  const m = hashedStream(12_000, 60, 5);
  const t = m.targets!;
  for (let i = CHANGE; i < t.length; i++) t[i] = 1 - t[i]!;
  return Array.from({ length: 12 }, (_, k) => m.sliceRows(k * 1000, (k + 1) * 1000));
}

async function run(options: Omit<DetectDriftOptions, 'metrics'>, model: Parameters<typeof detectDrift>[0] = () => new SgdModel(1, 60, true)) {
  const telemetry = new Telemetry();
  const events: TelemetryEvent[] = [];
  const sub = telemetry.events$.subscribe((e) => events.push(e));
  const reports = await lastValueFrom(from(flipped()).pipe(detectDrift(model, { metrics: ['accuracy'], rolling: 1000, telemetry, ...options }), toArray()));
  sub.unsubscribe();
  const alarms = events.filter((e): e is Extract<TelemetryEvent, { type: 'drift' | 'warning' }> => e.type === 'drift' || e.type === 'warning');
  return { reports, alarms, last: reports[reports.length - 1]! };
}

test('drift telemetry at the row of the change (the stream position), warnings before it; the report counts them', async () => {
  const { reports, alarms, last } = await run({ detector: 'ddm', onDrift: 'alert' });
  const drift = alarms.find((e) => e.type === 'drift' && e.row >= CHANGE);
  assert.ok(drift && drift.row < CHANGE + 400, JSON.stringify(alarms.map((e) => [e.type, e.row])));
  assert.is(drift.detector, 'ddm');
  assert.match(drift.message, /^error rate 0\.\d+; alert only$/);
  assert.ok(alarms.some((e) => e.type === 'warning' && e.row >= CHANGE && e.row <= drift.row));
  assert.is(reports.length, 13);
  assert.ok(last.final);
  assert.is(last.drift.drifts, alarms.filter((e) => e.type === 'drift').length);
  assert.is(last.drift.warnings, alarms.filter((e) => e.type === 'warning').length);
  assert.equal(
    last.drift.driftRows,
    alarms.filter((e) => e.type === 'drift').map((e) => e.row),
  );
  assert.equal([last.drift.resets, last.drift.swaps], [0, 0]);
});

test('reset and swap recover from the flip; alert does not; swap replaces the model at the drift', async () => {
  // The per-row logistic (normalized adaptive rates) unlearns a concept slowly: a restart pays.
  const logistic = { kind: 'logistic', task: 'binary' } as const;
  const alert = await run({ detector: 'ddm', onDrift: 'alert' }, logistic);
  const reset = await run({ detector: 'ddm', onDrift: 'reset' }, logistic);
  const swap = await run({ detector: 'ddm', onDrift: 'swap' }, logistic);
  assert.ok(reset.last.drift.resets >= 1 && reset.last.drift.resets === reset.last.drift.drifts);
  assert.ok(swap.last.drift.swaps >= 1 && swap.last.drift.swaps === swap.last.drift.drifts, JSON.stringify(swap.last.drift));
  assert.ok(swap.last.drift.backgroundStarts >= 1);
  // Over rows 6000..8000 (the two 1000-row windows after the flip), a restarted model beats one unlearning the old concept.
  const after = (r: typeof alert) => r.reports.filter((x) => x.rows === 7000 || x.rows === 8000).map((x) => x.rolling!.accuracy!);
  for (const r of [reset, swap]) {
    assert.ok(r.last.metrics.accuracy! > alert.last.metrics.accuracy! + 0.05, `${r.last.metrics.accuracy} vs alert ${alert.last.metrics.accuracy}`);
    assert.ok(after(r)[1]! > 0.7 && after(alert)[1]! < 0.5, `${after(r)} vs alert ${after(alert)}`);
  }
  const d = swap.alarms.find((e) => e.type === 'drift')!;
  assert.match(d.message, /background model swapped in/);
});

test('model options, a factory or an instance; the instance stays the caller’s to dispose', async () => {
  const byOptions = await run({ detector: 'hddmA', onDrift: 'swap' }, { kind: 'logistic', task: 'binary' });
  assert.ok(byOptions.last.drift.drifts >= 1);
  const live = await createModel({ kind: 'logistic', task: 'binary' });
  const shared = await run({ detector: { adwin: { delta: 0.01 } }, onDrift: 'swap' }, live);
  assert.ok(shared.last.drift.drifts >= 1, JSON.stringify(shared.last.drift));
  await live.predict(flipped()[0]!); // not disposed by the operator
  await live.dispose();
});

test('options are checked when the operator is made, naming the key', () => {
  const make = (o: object) => () => detectDrift(() => new SgdModel(1, 60, true), { metrics: ['accuracy'], ...o } as never);
  assert.throws(
    make({ detector: 'cusum' }),
    (e: unknown) => e instanceof SpecError && /detectDrift\.detector: unknown detector "cusum"; expected one of adwin\|page-hinkley/.test(e.message),
  );
  assert.throws(make({ onDrift: 'rollback' }), /detectDrift\.onDrift: expected one of alert\|reset\|swap, got "rollback"/);
  assert.throws(make({ detector: { ddm: { driftThreshold: -1 } } }), /detectDrift\.detector\.ddm\.driftThreshold: /);
  assert.throws(make({ metrics: ['acuracy'] }), /detectDrift\.metrics/);
  assert.throws(() => detectDrift(42 as never, { metrics: ['accuracy'] }), /detectDrift\.model/);
});

test.run();
