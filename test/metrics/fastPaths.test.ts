/**
 * Batch fast paths of the metrics against their row-by-row forms on seeded data: the binary
 * confusion counts from sums (vs the weighted per-row path with unit weights), the streaming
 * histogram's batch add (vs `add` row by row), branch-free labels from binary scores.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { ConfusionMatrix, LogLoss, MetricSet, makeMetric, ScoreHistogram } from '../../src/metrics/index.js';

function binary(seed: number, n: number): { t: Float32Array; p: Int32Array; s: Float32Array } {
  const rng = new Rng(seed);
  const t = Float32Array.from({ length: n }, () => (rng.float() < 0.3 ? 1 : 0));
  const s = Float32Array.from({ length: n }, () => rng.float());
  const p = Int32Array.from(s, (v) => (v >= 0.5 ? 1 : 0));
  return { t, p, s };
}

test('binary confusion counts from sums equal the per-row counts (updates, reverts, growth, all-zero batches)', () => {
  const fast = new ConfusionMatrix(),
    slow = new ConfusionMatrix();
  const ones = (n: number) => new Float32Array(n).fill(1);
  // All zeros first: one class, as with per-row counting.
  const z = new Float32Array(5),
    zp = new Int32Array(5);
  fast.update(z, zp);
  slow.update(z, zp, ones(5));
  assert.is(fast.classes, 1);
  assert.equal(fast.toJSON(), slow.toJSON());
  for (let k = 0; k < 6; k++) {
    const { t, p } = binary(k, 100 + 37 * k);
    fast.update(t, p);
    slow.update(t, p, ones(t.length));
    if (k % 2 === 1) {
      fast.revert(t, p);
      slow.revert(t, p, ones(t.length));
    }
    assert.equal(fast.toJSON(), slow.toJSON(), `after batch ${k}`);
  }
  // A third class falls back to the general path and keeps the earlier counts.
  fast.update([2, 0, 1], [1, 2, 2]);
  slow.update([2, 0, 1], [1, 2, 2], [1, 1, 1]);
  assert.is(fast.classes, 3);
  assert.equal(fast.toJSON(), slow.toJSON());
  // A bad label still throws, naming it, and changes nothing.
  const before = JSON.stringify(fast.toJSON());
  assert.throws(() => fast.update([0, 1, 0.5], [0, 1, 1]), /yTrue\[2\] = 0.5/);
  assert.is(JSON.stringify(fast.toJSON()), before);
});

test('streaming histogram: a batch add equals adding its rows one by one (weights, reverts, out-of-range scores)', () => {
  const rng = new Rng(9);
  const batch = new ScoreHistogram(64),
    rows = new ScoreHistogram(64);
  for (let k = 0; k < 4; k++) {
    const n = 200 + k;
    const s = Float64Array.from({ length: n }, (_, i) => (i % 50 === 0 ? -0.5 : i % 51 === 0 ? 1.5 : i % 52 === 0 ? 1 : rng.float()));
    const y = Float32Array.from({ length: n }, () => (rng.float() < 0.4 ? 2 : 0));
    const w = k % 2 ? Float32Array.from({ length: n }, () => rng.float() * 3) : undefined;
    const sign = k === 3 ? -1 : 1;
    batch.addBatch(s, y, 2, w, sign);
    for (let i = 0; i < n; i++) rows.add(s[i]!, y[i] === 2, w ? w[i]! : 1, sign);
    assert.equal(batch.toJSON(), rows.toJSON(), `after batch ${k}`);
  }
  assert.ok(Object.is(batch.rocAuc(), rows.rocAuc()));
  assert.ok(Object.is(batch.averagePrecision(), rows.averagePrecision()));
});

test('labels from binary scores: threshold inclusive, NaN scores label 0', () => {
  const set = new MetricSet(['accuracy'], { threshold: 0.5 });
  const y = [1, 0, 1, 0, 0];
  set.update(y, { scores: [0.5, 0.49, 0.9, NaN, 0.6] });
  // labels 1, 0, 1, 0, 1: four of five right.
  assert.is(set.values().accuracy, 0.8);
});

test('accuracy over binary probabilities equals the share of rows whose thresholded score matches', () => {
  const { t, s } = binary(4, 5000);
  const set = new MetricSet(['accuracy', 'balancedAccuracy']);
  set.update(t, { probabilities: s });
  let right = 0;
  for (let i = 0; i < t.length; i++) if ((s[i]! >= 0.5 ? 1 : 0) === t[i]) right++;
  assert.is(set.values().accuracy, right / t.length);
});

test('log loss: binary rows without weights (the fast loop) equal the same rows with unit weights, through updates and reverts', () => {
  const fast = new LogLoss(),
    slow = new LogLoss();
  for (let k = 0; k < 6; k++) {
    const { t, s } = binary(20 + k, 300 + 11 * k);
    // Clipped extremes on both sides.
    s[0] = 0;
    s[1] = 1;
    const ones = new Float32Array(t.length).fill(1);
    fast.update(t, s);
    slow.update(t, s, ones);
    if (k % 3 === 2) {
      fast.revert(t, s);
      slow.revert(t, s, ones);
    }
    assert.equal(fast.toJSON(), slow.toJSON(), `after batch ${k}`);
    assert.is(fast.value, slow.value);
  }
  assert.throws(() => fast.update([0, 2], [0.5, 0.5]), /yTrue\[1\] = 2/);
  // After fractional weights the weight sum is not an integer: the unit weights are summed row by row, as put does.
  const a = new LogLoss(),
    b = new LogLoss();
  const { t, s } = binary(30, 50);
  const w = Float32Array.from(t, (_, i) => 0.1 + (i % 3) * 0.35);
  a.update(t, s, w);
  b.update(t, s, w);
  for (let k = 0; k < 3; k++) {
    const r = binary(31 + k, 40 + k);
    a.update(r.t, r.s);
    b.update(r.t, r.s, new Float32Array(r.t.length).fill(1));
    assert.equal(a.toJSON(), b.toJSON(), `weighted first, batch ${k}`);
  }
});

test('the confusion metrics of a metric set share one scan of the labels: same states as each metric updated alone (binary, then other classes)', () => {
  const names = ['accuracy', 'precision', 'recall', 'f1', 'balancedAccuracy', 'logLoss'];
  const set = new MetricSet(names);
  const alone = names.map((n) => makeMetric(n));
  const feed = (t: Float32Array, probs: Float32Array, labels?: Int32Array) => {
    set.update(t, labels ? { labels, probabilities: probs } : { probabilities: probs });
    alone.forEach((m) => {
      m.update(t, m.input === 'labels' ? (labels ?? Int32Array.from(probs, (v) => +(v >= 0.5))) : probs);
    });
    assert.equal(
      set.toJSON().metrics,
      alone.map((m) => m.toJSON()),
    );
  };
  for (let k = 0; k < 4; k++) {
    const { t, s } = binary(40 + k, 200 + k);
    feed(t, s);
  }
  // Given labels beyond 0/1 (a third class): every metric's general path.
  const { t, s } = binary(50, 30);
  const labels = Int32Array.from(s, (v, i) => (i % 7 === 0 ? 2 : +(v >= 0.5)));
  feed(t, s, labels);
});

test.run();
