import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SluiceError } from '../../src/core/index.js';
import { RocAuc, ScoreHistogram } from '../../src/metrics/index.js';
import { bruteAuc, close, randomCuts, randomData } from './helpers.js';

test('hand fixtures: ranking and ties', () => {
  const a = new RocAuc();
  a.update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  assert.ok(close(a.value, 0.75)); // 3 of 4 pairs ordered
  const t = new RocAuc();
  t.update([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]);
  assert.ok(close(t.value, 3.5 / 4)); // the tied pair counts ½
  const all = new RocAuc();
  all.update([0, 1, 1, 0], [0.3, 0.3, 0.3, 0.3]);
  assert.ok(close(all.value, 0.5));
});

test('weighted pairs: weight of a pair is the product of row weights', () => {
  const a = new RocAuc();
  a.update([1, 0, 0], [0.6, 0.4, 0.8], [2, 1, 3]);
  // pairs (pos 0.6, w2) vs (0.4, w1) ordered: 2; vs (0.8, w3) misordered: 0 → 2 / (2·4)
  assert.ok(close(a.value, 2 / 8));
});

test('NaN until both classes are seen; positive option picks the class', () => {
  const a = new RocAuc();
  assert.ok(Number.isNaN(a.value));
  a.update([1, 1], [0.2, 0.9]);
  assert.ok(Number.isNaN(a.value));
  a.update([0], [0.5]);
  assert.ok(close(a.value, 0.5));
  const p = new RocAuc({ positive: 2 });
  p.update([2, 0, 1, 2], [0.9, 0.1, 0.95, 0.3]);
  // positives 0.9, 0.3 against negatives 0.1, 0.95 → 2 of 4
  assert.ok(close(p.value, 0.5));
});

test('exact mode equals brute-force pair counting on random data, in any batching', () => {
  for (const seed of [1, 2, 3]) {
    const d = randomData('scores', 700, seed);
    const a = new RocAuc();
    let at = 0;
    for (const k of randomCuts(700, seed)) {
      a.update(d.yTrue.subarray(at, at + k), d.yPred.subarray(at, at + k), d.weights.subarray(at, at + k));
      at += k;
      if (seed === 1 && at % 7 === 0) void a.value; // reads between batches merge sorted runs
    }
    assert.ok(close(a.value, bruteAuc(d.yTrue, d.yPred, d.weights), 1e-12), `seed ${seed}`);
    assert.is(a.errorBound, 0);
  }
});

test('exact mode mixes weighted and unweighted batches', () => {
  const d = randomData('scores', 500, 12);
  const a = new RocAuc();
  const w = new Float64Array(500).fill(1);
  for (let at = 0, b = 0; at < 500; at += 37, b++) {
    const e = Math.min(500, at + 37);
    if (b % 2 === 0) a.update(d.yTrue.subarray(at, e), d.yPred.subarray(at, e));
    else {
      a.update(d.yTrue.subarray(at, e), d.yPred.subarray(at, e), d.weights.subarray(at, e));
      w.set(d.weights.subarray(at, e), at);
    }
  }
  assert.ok(close(a.value, bruteAuc(d.yTrue, d.yPred, w), 1e-12));
});

test('streaming mode stays within its error bound of the exact value, and the bound is small', () => {
  for (const [seed, bins] of [
    [4, 4096],
    [5, 1000],
    [6, 64],
  ] as const) {
    const d = randomData('scores', 20000, seed);
    const exact = new RocAuc(),
      stream = new RocAuc({ mode: 'streaming', bins });
    exact.update(d.yTrue, d.yPred, d.weights);
    stream.update(d.yTrue, d.yPred, d.weights);
    const err = Math.abs(stream.value - exact.value);
    assert.ok(err <= stream.errorBound + 1e-12, `bins ${bins}: error ${err} > bound ${stream.errorBound}`);
    // Scores have density ≤ ~2 except the 30 % rounded to 2 decimals, which share bins with
    // their neighbours: the bound stays well under 1/bins·(a few), and under 1 % at 64 bins.
    assert.ok(stream.errorBound < 0.02 + 8 / bins, `bins ${bins}: bound ${stream.errorBound}`);
  }
});

test('streaming bound is attained in the worst case: all pairs in one bin', () => {
  const s = new RocAuc({ mode: 'streaming', bins: 10 });
  s.update([1, 0], [0.51, 0.5]);
  // Exact 1, binned ½, bound ½.
  assert.ok(close(s.value, 0.5));
  assert.ok(close(s.errorBound, 0.5));
});

test('streaming clamps scores outside [0, 1] into the end bins', () => {
  const s = new RocAuc({ mode: 'streaming', bins: 4 });
  s.update([1, 0, 1, 0], [7, -3, 0.6, 0.3]);
  assert.ok(close(s.value, 1));
  const h = new ScoreHistogram(4);
  h.add(1, true, 1, 1);
  assert.equal(h.toJSON().pos, [[3, 1]]);
});

test('streaming revert removes rows exactly', () => {
  const d = randomData('scores', 300, 9);
  const s = new RocAuc({ mode: 'streaming', bins: 256 }),
    fresh = new RocAuc({ mode: 'streaming', bins: 256 });
  s.update(d.yTrue, d.yPred, d.weights);
  s.revert!(d.yTrue.subarray(0, 100), d.yPred.subarray(0, 100), d.weights.subarray(0, 100));
  fresh.update(d.yTrue.subarray(100), d.yPred.subarray(100), d.weights.subarray(100));
  assert.ok(close(s.value, fresh.value, 1e-12));
  assert.is(s.count, 200);
  assert.is(new RocAuc().revert, undefined, 'exact mode cannot forget a row cheaply');
});

test('NaN score is an error naming the row', () => {
  const a = new RocAuc();
  assert.throws(
    () => a.update([0, 1], [0.2, NaN]),
    (e: unknown) => e instanceof SluiceError && /rocAuc.*yPred\[1\] is NaN/.test((e as Error).message),
  );
  assert.is(a.count, 0);
});

test.run();
