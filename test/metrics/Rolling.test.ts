import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SluiceError } from '../../src/core/index.js';
import { Accuracy, LogLoss, Mse, makeMetric, metricFromJSON, R2, RocAuc, Rolling } from '../../src/metrics/index.js';
import { CONFIGS } from './configs.js';
import { close, randomCuts, slice } from './helpers.js';

for (const c of CONFIGS) {
  for (const weighted of [false, true]) {
    test(`${c.label}${weighted ? ', weighted' : ''}: window equals the metric on the last N rows`, () => {
      const N = 37;
      const d = c.data(700, weighted ? 71 : 72);
      const width = d.yPred.length / d.yTrue.length;
      const r = new Rolling(c.make(), N);
      let at = 0;
      // Batches up to 60 rows: some wrap the ring, some exceed the window.
      for (const k of randomCuts(700, 73, 60)) {
        const b = slice(d, at, at + k, width);
        r.update(b.yTrue, b.yPred, weighted ? b.weights : undefined);
        at += k;
        const lo = Math.max(0, at - N);
        const ref = c.make(),
          w = slice(d, lo, at, width);
        ref.update(w.yTrue, w.yPred, weighted ? w.weights : undefined);
        assert.is(r.count, at - lo);
        assert.ok(close(r.value, ref.value, 1e-9), `after ${at} rows: ${r.value} vs ${ref.value}`);
      }
    });
  }
}

test('a window longer than the stream is the full metric', () => {
  const r = new Rolling(new Accuracy(), 100),
    full = new Accuracy();
  r.update([0, 1, 1], [0, 1, 0]);
  full.update([0, 1, 1], [0, 1, 0]);
  assert.is(r.value, full.value);
  assert.is(r.name, 'accuracy');
  assert.is(r.input, 'labels');
});

test('hand fixture: window of 2 slides', () => {
  const r = new Rolling(new Mse(), 2);
  r.update([0, 0], [1, 2]); // errors² 1, 4
  assert.ok(close(r.value, 2.5));
  r.update([0], [3]); // window: 4, 9
  assert.ok(close(r.value, 6.5));
  r.update([0, 0, 0], [0, 0, 1]); // window: 0, 1
  assert.ok(close(r.value, 0.5));
});

test('exact AUC window recomputes on read and keeps memory bounded without reads', () => {
  const r = new Rolling(new RocAuc(), 4);
  r.update([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2]);
  assert.ok(close(r.value, 1));
  r.update([0, 0], [0.95, 0.85]); // window: 0.8(+), 0.2(−), 0.95(−), 0.85(−)
  assert.ok(close(r.value, 1 / 3));
  for (let i = 0; i < 100; i++) r.update([i % 2], [i / 100]);
  assert.ok(r.metric.count <= 4);
});

test('streaming AUC window exposes the bound of its window', () => {
  const r = new Rolling(makeMetric('rocAuc', { mode: 'streaming', bins: 10 }), 2);
  r.update([1, 0, 1, 0], [0.9, 0.1, 0.55, 0.51]);
  assert.ok(close((r.metric as RocAuc).errorBound, 0.5));
  assert.ok(close(r.value, 0.5));
});

test('multi-class log loss window; the prediction width may not change', () => {
  const r = new Rolling(new LogLoss(), 2);
  r.update([0, 1, 2], [0.5, 0.25, 0.25, 0.2, 0.6, 0.2, 0.1, 0.1, 0.8]);
  assert.ok(close(r.value, -(Math.log(0.6) + Math.log(0.8)) / 2));
  assert.throws(
    () => r.update([0], [0.5, 0.5]),
    (e: unknown) => e instanceof SluiceError && /2 values per row, the window holds 3/.test((e as Error).message),
  );
});

test('a bad batch leaves the window unchanged', () => {
  const r = new Rolling(new Accuracy(), 3);
  r.update([0, 1, 1], [0, 1, 1]);
  assert.throws(() => r.update([0, -2], [0, 0]), /yTrue\[1\] = -2/);
  assert.is(r.value, 1);
  assert.is(r.count, 3);
  r.update([1], [0]);
  assert.ok(close(r.value, 2 / 3));
});

test('JSON round trip mid-stream keeps the window; weights switch on later', () => {
  const r = new Rolling(new R2(), 5);
  r.update([1, 2, 3, 4], [1, 2, 2, 5]);
  r.update([5, 6], [5, 7], [2, 3]);
  const back = metricFromJSON(JSON.parse(JSON.stringify(r))) as Rolling;
  assert.instance(back, Rolling);
  assert.ok(close(back.value, r.value, 1e-12));
  for (const m of [r, back]) m.update([2, 9], [3, 9]);
  assert.ok(close(back.value, r.value, 1e-12));
  const ref = new R2();
  ref.update([4, 5, 6, 2, 9], [5, 5, 7, 3, 9], [1, 2, 3, 1, 1]);
  assert.ok(close(r.value, ref.value, 1e-12));
});

test('no drift: huge errors that left the window leave no residue', () => {
  const N = 100;
  for (const make of [() => new Mse(), () => new R2(), () => makeMetric('mape'), () => makeMetric('rmse')]) {
    const r = new Rolling(make(), N);
    const y = new Float64Array(N).map((_, i) => 1 + (i % 7)),
      big = new Float64Array(N).fill(1e9);
    // Outliers arrive at every phase of the rebuild cycle, then only small errors follow.
    for (let i = 0; i < 1003; i++) r.update(y.subarray(i % N, (i % N) + 1), big.subarray(0, 1));
    const small = y.map((v, i) => v + 1e-3 * (i + 1));
    for (let i = 0; i < N; i++) {
      r.update(y.subarray(i, i + 1), small.subarray(i, i + 1));
      void r.value;
    }
    const ref = make();
    ref.update(y, small);
    assert.ok(close(r.value, ref.value, 1e-9), `${r.name}: ${r.value} vs ${ref.value}`);
  }
});

test('window must be a positive integer', () => {
  assert.throws(() => new Rolling(new Accuracy(), 0), /window must be an integer ≥ 1/);
});

test.run();
