import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SluiceError, SpecError } from '../../src/core/index.js';
import { Accuracy, F1, LogLoss, MetricSet, RocAuc } from '../../src/metrics/index.js';
import { close, randomData } from './helpers.js';

test('updates several metrics from binary scores, deriving labels at the threshold', () => {
  const set = new MetricSet(['accuracy', 'rocAuc', 'logLoss', { name: 'f1', average: 'macro', as: 'f1Macro' }]);
  const t = [1, 0, 1, 0],
    s = [0.9, 0.6, 0.4, 0.1];
  set.update(t, { scores: s });
  const v = set.values();
  assert.equal(Object.keys(v), ['accuracy', 'rocAuc', 'logLoss', 'f1Macro']);
  const acc = new Accuracy(),
    auc = new RocAuc(),
    ll = new LogLoss(),
    f1 = new F1({ average: 'macro' });
  acc.update(t, [1, 1, 0, 0]);
  auc.update(t, s);
  ll.update(t, s);
  f1.update(t, [1, 1, 0, 0]);
  assert.is(v.accuracy, acc.value);
  assert.is(v.rocAuc, auc.value);
  assert.is(v.logLoss, ll.value);
  assert.is(v.f1Macro, f1.value);
  assert.is(set.rollingValues(), undefined);
});

test('multi-class probabilities: argmax labels, matrix log loss, class column for AUC', () => {
  const d = randomData('probabilities', 200, 3, 3);
  const set = new MetricSet(['accuracy', 'logLoss', { name: 'rocAuc', positive: 2 }]);
  set.update(d.yTrue, { probabilities: d.yPred });
  const labels = new Float64Array(200),
    s2 = new Float64Array(200);
  for (let i = 0; i < 200; i++) {
    const row = Array.from(d.yPred.subarray(3 * i, 3 * i + 3));
    labels[i] = row.indexOf(Math.max(...row));
    s2[i] = row[2]!;
  }
  const acc = new Accuracy(),
    ll = new LogLoss(),
    auc = new RocAuc({ positive: 2 });
  acc.update(d.yTrue, labels);
  ll.update(d.yTrue, d.yPred);
  auc.update(d.yTrue, s2);
  assert.ok(close(set.values().accuracy!, acc.value));
  assert.ok(close(set.values().logLoss!, ll.value));
  assert.ok(close(set.values().rocAuc!, auc.value));
});

test('rolling values alongside the full ones', () => {
  const set = new MetricSet(['mae', 'rmse'], { rolling: 2 });
  set.update([1, 2, 3], { values: [1, 3, 5] });
  assert.ok(close(set.values().mae!, 1));
  assert.ok(close(set.rollingValues()!.mae!, 1.5));
  assert.ok(close(set.rollingValues()!.rmse!, Math.sqrt(2.5)));
  assert.is(set.getRolling('mae')!.count, 2);
});

test('a missing prediction form is an error before any metric moves', () => {
  const set = new MetricSet(['accuracy', 'mae']);
  assert.throws(
    () => set.update([1], { labels: [1] }),
    (e: unknown) => e instanceof SluiceError && /mae needs values/.test((e as Error).message),
  );
  assert.is(set.get('accuracy').count, 0);
});

test('spec errors name the entry', () => {
  assert.is(
    ((): string => {
      try {
        new MetricSet(['accuracy', 'rocAuc', 'acc']);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })(),
    'metrics[2]: unknown metric "acc", did you mean "accuracy"?',
  );
  assert.throws(
    () => new MetricSet(['f1', { name: 'f1', average: 'macro' }]),
    (e: unknown) => e instanceof SpecError && e.path === 'metrics[1]' && /duplicate metric "f1"/.test(e.message),
  );
  assert.throws(
    () => new MetricSet(['f1', { name: 'rocAuc', mod: 'streaming' }], { path: 'evaluation.metrics' }),
    (e: unknown) => e instanceof SpecError && e.path === 'evaluation.metrics[1].mod',
  );
  assert.throws(
    () => new MetricSet([]),
    (e: unknown) => e instanceof SpecError && e.path === 'metrics',
  );
  assert.throws(() => new MetricSet(['mae'], { rolling: 0 }), /rolling: expected an integer ≥ 1/);
});

test('JSON round trip keeps full and rolling state', () => {
  const set = new MetricSet(['accuracy', 'rocAuc', 'r2'], { rolling: 3 });
  const d = randomData('scores', 40, 2);
  set.update(d.yTrue, { scores: d.yPred, values: d.yPred });
  const back = MetricSet.fromJSON(JSON.parse(JSON.stringify(set)));
  assert.equal(back.values(), set.values());
  assert.equal(back.rollingValues(), set.rollingValues());
  for (const s of [set, back]) s.update([1, 0], { scores: [0.7, 0.2], values: [0.7, 0.2] });
  assert.equal(back.values(), set.values());
  assert.equal(back.rollingValues(), set.rollingValues());
});

test.run();
