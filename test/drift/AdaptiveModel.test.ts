import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type FeatureMatrix, SpecError } from '../../src/core/index.js';
import { AdaptiveModel, DDM, DriftAdapter } from '../../src/drift/index.js';
import { ProgressiveEvaluator } from '../../src/evaluate/index.js';
import { hashedStream, SgdModel } from '../evaluate/SgdModel.js';

const data = hashedStream(3000, 60, 3);
const first = data.sliceRows(0, 1000);
const probe = data.sliceRows(2000, 2100);
const fresh = () => new SgdModel(1, 60, true);
const same = async (a: { predict(x: FeatureMatrix): Promise<Float32Array> }, b: { predict(x: FeatureMatrix): Promise<Float32Array> }) =>
  assert.equal(Array.from(await a.predict(probe)), Array.from(await b.predict(probe)));

test('alert: an alarm changes nothing', async () => {
  const live = fresh();
  const m = new AdaptiveModel(live, 'alert');
  m.testThenTrain!(first, new Float32Array(first.rows));
  assert.is(m.alarm('drift'), false);
  assert.is(m.current, live);
  assert.equal(m.report(), { policy: 'alert', resets: 0, swaps: 0, backgroundStarts: 0, backgroundRestarts: 0, backgroundRows: 0 });
});

test('reset: at a drift the live model goes back to its initial state (a warning does nothing)', async () => {
  const m = new AdaptiveModel(fresh(), 'reset');
  await m.prime(first);
  await m.learn(first);
  assert.ok(m.step > 0);
  assert.is(m.alarm('warning'), false);
  assert.is(m.alarm('drift'), true);
  assert.is(m.step, 0);
  await same(m, fresh());
  assert.is(m.report().resets, 1);
});

test('swap: the background model starts at the warning, learns the rows after it, and replaces the live model at the drift', async () => {
  const live = fresh(),
    spare = fresh();
  const m = new AdaptiveModel(live, 'swap');
  await m.prime(first, spare);
  m.testThenTrain!(first, new Float32Array(first.rows));
  assert.is(m.alarm('warning'), false);
  assert.ok(m.learningInBackground);
  const after = data.sliceRows(1000, 1500);
  m.testThenTrain!(after, new Float32Array(after.rows));
  // The background learned only the rows after the warning: it predicts as a fresh model taught them.
  const twin = fresh();
  twin.testThenTrain!(after, new Float32Array(after.rows));
  assert.is(m.alarm('drift'), true);
  assert.is(m.current, spare, 'the background model is live now');
  await same(m, twin);
  assert.equal(m.report(), { policy: 'swap', resets: 0, swaps: 1, backgroundStarts: 1, backgroundRestarts: 0, backgroundRows: 500 });
  // The old live model, reset, is the next spare: a drift without warning swaps it in fresh.
  m.alarm('drift');
  assert.is(m.current, live);
  assert.is(live.step, 0);
  assert.is(m.report().swaps, 2);
  assert.is(m.models.length, 2);
});

test('swap: a second warning before the drift restarts the background model', async () => {
  const m = new AdaptiveModel(fresh(), 'swap');
  await m.prime(first, fresh());
  m.alarm('warning');
  await m.learn(first);
  m.alarm('warning');
  m.alarm('drift');
  assert.is(m.step, 0, 'restarted at the second warning');
  assert.equal(m.report(), { policy: 'swap', resets: 0, swaps: 1, backgroundStarts: 1, backgroundRestarts: 1, backgroundRows: 0 });
});

test('swap needs a spare like the live model; reset and swap need priming; policies are checked', async () => {
  const error = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => e,
    );
  const none = await error(new AdaptiveModel(fresh(), 'swap').prime(first));
  assert.ok(none instanceof SpecError && /onDrift: swap needs a spare model/.test(none.message));
  const unlike = await error(new AdaptiveModel(fresh(), 'swap').prime(first, new SgdModel(4, 60, true)));
  assert.ok(unlike instanceof SpecError && /differs from the live one/.test(unlike.message));
  assert.throws(() => new AdaptiveModel(fresh(), 'reset').alarm('drift'), /prime\(\)/);
  assert.throws(() => new AdaptiveModel(fresh(), 'rollback' as never), /onDrift: expected one of alert\|reset\|swap/);
});

test('DriftAdapter on the engine: a concept flip is detected at its row, the model is reset and learns the new concept', async () => {
  // The labels flip at row 6000 of 12000.
  const stream = hashedStream(12_000, 60, 5);
  const t = stream.targets!;
  for (let i = 6000; i < t.length; i++) t[i] = 1 - t[i]!;
  const alarms: Array<[string, number, string]> = [];
  for (const policy of ['alert', 'reset'] as const) {
    alarms.length = 0;
    const a = new DriftAdapter(fresh(), new DDM(), policy, { onAlarm: (s, row, msg) => alarms.push([s, row, msg]) });
    const ev = new ProgressiveEvaluator(a.model, { metrics: ['accuracy'], rolling: 1000, onScored: a.observe });
    for (let r = 0; r < stream.rows; r += 1000) {
      const x = stream.sliceRows(r, r + 1000);
      await a.model.prime(x);
      await ev.process(x);
    }
    await ev.finish();
    const drift = alarms.find(([s]) => s === 'drift');
    assert.ok(drift && drift[1] >= 6000 && drift[1] < 6400, `${policy}: ${JSON.stringify(alarms)}`);
    assert.match(drift[2], policy === 'reset' ? /error rate 0\.\d+; model reset/ : /alert only/);
    const r = a.report();
    assert.is(r.detector, 'ddm');
    assert.is(r.drifts, alarms.filter(([s]) => s === 'drift').length);
    if (policy === 'reset') {
      assert.ok(r.resets >= 1);
      assert.ok(ev.report().rolling!.accuracy! > 0.7, `recovered: ${ev.report().rolling!.accuracy}`);
    } else assert.is(r.resets, 0);
  }
});

test.run();
