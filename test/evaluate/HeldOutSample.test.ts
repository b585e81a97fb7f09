import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix } from '../../src/core/index.js';
import { HeldOutSample } from '../../src/evaluate/index.js';
import { MetricSet } from '../../src/metrics/index.js';
import { FakeModel, matrix } from '../operators/learn/FakeModel.js';

/** The row ids the sample scores, read back through a model that logs what it predicts. */
async function sampled(s: HeldOutSample): Promise<number[]> {
  const model = new FakeModel();
  const n = await s.score(model, new MetricSet(['accuracy']));
  const ids = model.log.filter((c) => c.op === 'predict').flatMap((c) => c.rowIds);
  assert.is(n, ids.length);
  return ids;
}

test('every held-out row is kept up to the capacity, and scored by the model given at the end', async () => {
  const s = new HeldOutSample(100);
  for (let i = 0; i < 90; i += 30) s.add(matrix(i, 30, (id) => (id % 2 ? 0.9 : 0.1)));
  assert.is(s.seen, 90);
  assert.is(s.size, 90);
  assert.equal(
    await sampled(s),
    Array.from({ length: 90 }, (_, i) => i),
  );
  const metrics = new MetricSet(['accuracy']);
  assert.is(await s.score(new FakeModel(), metrics), 90);
  assert.is(metrics.values().accuracy, 1);
});

test('beyond the capacity: a seeded uniform sample of every row offered, memory bounded', async () => {
  const run = async (seed: number) => {
    const s = new HeldOutSample(1000, seed);
    for (let i = 0; i < 50_000; i += 700) s.add(matrix(i, Math.min(700, 50_000 - i)));
    assert.is(s.seen, 50_000);
    assert.is(s.size, 1000);
    const parts = (s as unknown as { partRows: number }).partRows;
    assert.ok(parts <= 2 * 1000 + 700, `rows held ${parts}`);
    return sampled(s);
  };
  const ids = await run(1);
  assert.is(ids.length, 1000);
  assert.is(new Set(ids).size, 1000, 'no row twice');
  // Uniform over the stream: the mean id is near the middle and every fifth of the stream is present.
  const mean = ids.reduce((a, b) => a + b, 0) / ids.length;
  assert.ok(Math.abs(mean - 25_000) < 1500, `mean id ${mean}`);
  for (let q = 0; q < 5; q++) {
    const inQ = ids.filter((id) => id >= q * 10_000 && id < (q + 1) * 10_000).length;
    assert.ok(inQ > 140 && inQ < 260, `fifth ${q}: ${inQ} rows`);
  }
  assert.equal((await run(1)).sort(), [...ids].sort(), 'the same seed gives the same sample');
  assert.not.equal((await run(2)).sort(), [...ids].sort());
});

test('wide rows lower the capacity (values kept are bounded); rows without a target are not kept', async () => {
  const wide = new HeldOutSample(200_000, 1, 10_000);
  wide.add(FeatureMatrix.dense(10, 784, new Float32Array(7840), { targets: new Float32Array(10) }));
  assert.is(wide.capacity, 12);
  const s = new HeldOutSample(100);
  s.add(
    matrix(
      0,
      10,
      () => 0.5,
      (id) => (id < 4 ? NaN : 1),
    ),
  );
  assert.is(s.seen, 6);
  assert.equal(await sampled(s), [4, 5, 6, 7, 8, 9]);
});

test('toJSON/fromJSON: a restored sample keeps the same rows and goes on sampling as the original would', async () => {
  const rows = (start: number, n: number) =>
    FeatureMatrix.dense(
      n,
      2,
      Float32Array.from({ length: 2 * n }, (_, i) => start + (i >> 1)),
      { targets: Float32Array.from({ length: n }, (_, i) => (start + i) % 2) },
    );
  const a = new HeldOutSample(500, 9);
  for (let s = 0; s < 2000; s += 100) a.add(rows(s, 100));
  const b = HeldOutSample.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  assert.is(b.seen, a.seen);
  for (let s = 2000; s < 5000; s += 100) {
    a.add(rows(s, 100));
    b.add(rows(s, 100));
  }
  const ids = async (h: HeldOutSample) => {
    const got: number[] = [];
    const m = new FakeModel();
    const metrics = new MetricSet(['accuracy']);
    const predict = m.predict.bind(m);
    m.predict = async (x) => {
      for (let r = 0; r < x.rows; r++) got.push(x.get(r, 0));
      return predict(x);
    };
    await h.score(m, metrics);
    return got;
  };
  const [ia, ib] = [await ids(a), await ids(b)];
  assert.is(ia.length, 500);
  assert.equal(ib, ia, 'the same rows in the same order');
});

test.run();
