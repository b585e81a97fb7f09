import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PrAuc } from '../../src/metrics/index.js';
import { bruteAp, close, randomCuts, randomData } from './helpers.js';

test('hand fixture: sklearn average_precision_score example', () => {
  const a = new PrAuc();
  a.update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  // thresholds 0.8 → P 1, R ½; 0.4 → no recall gain; 0.35 → P 2/3, R 1: ½·1 + ½·2/3
  assert.ok(close(a.value, 0.5 + 1 / 3));
});

test('ties form one threshold; weights scale rows', () => {
  const a = new PrAuc();
  a.update([1, 0, 1], [0.5, 0.5, 0.2]);
  // 0.5: tp 1, fp 1 → P ½, R ½; 0.2: tp 2, fp 1 → P 2/3, R 1
  assert.ok(close(a.value, 0.5 * 0.5 + 0.5 * (2 / 3)));
  const w = new PrAuc();
  w.update([1, 0, 1], [0.9, 0.5, 0.2], [3, 1, 1]);
  // 0.9: tp 3 → P 1, R ¾; 0.2: tp 4, fp 1 → P 4/5, R 1
  assert.ok(close(w.value, 0.75 * 1 + 0.25 * 0.8));
});

test('NaN without a positive; 1 when positives rank first', () => {
  const a = new PrAuc();
  assert.ok(Number.isNaN(a.value));
  a.update([0, 0], [0.3, 0.4]);
  assert.ok(Number.isNaN(a.value));
  a.update([1], [0.9]);
  assert.ok(close(a.value, 1));
});

test('exact mode equals the per-positive definition on random data, in any batching', () => {
  for (const seed of [1, 2]) {
    const d = randomData('scores', 600, seed);
    const a = new PrAuc();
    let at = 0;
    for (const k of randomCuts(600, seed + 10)) {
      a.update(d.yTrue.subarray(at, at + k), d.yPred.subarray(at, at + k), d.weights.subarray(at, at + k));
      at += k;
      if (at % 5 === 0) void a.value;
    }
    assert.ok(close(a.value, bruteAp(d.yTrue, d.yPred, d.weights), 1e-12), `seed ${seed}`);
  }
});

test('streaming mode stays within its error bound of the exact value', () => {
  for (const [seed, bins] of [
    [4, 4096],
    [5, 1000],
    [6, 32],
  ] as const) {
    const d = randomData('scores', 20000, seed);
    const exact = new PrAuc(),
      stream = new PrAuc({ mode: 'streaming', bins });
    exact.update(d.yTrue, d.yPred, d.weights);
    stream.update(d.yTrue, d.yPred, d.weights);
    const err = Math.abs(stream.value - exact.value);
    assert.ok(err <= stream.errorBound + 1e-12, `bins ${bins}: error ${err} > bound ${stream.errorBound}`);
    if (bins >= 1000) assert.ok(stream.errorBound < 0.01, `bins ${bins}: bound ${stream.errorBound}`);
  }
});

test.run();
