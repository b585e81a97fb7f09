// Accuracy, balanced accuracy and kappa: all read off the confusion matrix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Accuracy, BalancedAccuracy, Kappa } from '../../src/metrics/index.js';
import { close, randomData } from './helpers.js';

const T = [0, 0, 1, 1, 2, 2, 2];
const P = [0, 1, 1, 1, 2, 0, 2];
// Matrix [[1,1,0],[0,2,0],[1,0,2]]: supports 2,2,3; predicted 2,3,2; 5 of 7 correct.

test('accuracy: hand fixture, weights, NaN before any row', () => {
  const a = new Accuracy();
  assert.ok(Number.isNaN(a.value));
  a.update(T, P);
  assert.ok(close(a.value, 5 / 7));
  const w = new Accuracy();
  w.update([1, 1, 0, 0], [1, 0, 1, 0], [2, 1, 1, 3]);
  assert.ok(close(w.value, 5 / 7)); // correct weight 2 + 3 of 7
});

test('balanced accuracy: mean recall over true classes (1/2, 2/2, 2/3)', () => {
  const b = new BalancedAccuracy();
  assert.ok(Number.isNaN(b.value));
  b.update(T, P);
  assert.ok(close(b.value, (1 / 2 + 1 + 2 / 3) / 3));
  // A class that is only predicted has no recall and does not count.
  const c = new BalancedAccuracy();
  c.update([0, 0, 1], [0, 2, 1]);
  assert.ok(close(c.value, (1 / 2 + 1) / 2));
});

test('kappa: (po − pe)/(1 − pe) by hand', () => {
  const k = new Kappa();
  assert.ok(Number.isNaN(k.value));
  k.update(T, P);
  // po = 35/49, pe = (2·2 + 2·3 + 3·2)/49 = 16/49 → 19/33
  assert.ok(close(k.value, 19 / 33));
  const w = new Kappa();
  w.update([1, 1, 0, 0], [1, 0, 1, 0], [2, 1, 1, 3]);
  // actual [4, 3], predicted [4, 3]: pe = 25/49, po = 35/49 → 10/24
  assert.ok(close(w.value, 5 / 12));
  const perfect = new Kappa();
  perfect.update([0, 1, 1], [0, 1, 1]);
  assert.ok(close(perfect.value, 1));
  const single = new Kappa();
  single.update([1, 1], [1, 1]);
  assert.ok(Number.isNaN(single.value), 'pe = 1: undefined');
});

test('kappa and accuracy against direct formulas on random multi-class data', () => {
  const d = randomData('labels', 500, 11, 4);
  const k = new Kappa(),
    a = new Accuracy();
  k.update(d.yTrue, d.yPred, d.weights);
  a.update(d.yTrue, d.yPred, d.weights);
  let n = 0,
    agree = 0;
  const rowW = [0, 0, 0, 0],
    colW = [0, 0, 0, 0];
  for (let i = 0; i < 500; i++) {
    const w = d.weights[i]!;
    n += w;
    if (d.yTrue[i] === d.yPred[i]) agree += w;
    rowW[d.yTrue[i]!]! += w;
    colW[d.yPred[i]!]! += w;
  }
  const po = agree / n;
  const pe = rowW.reduce((s, r, c) => s + (r / n) * (colW[c]! / n), 0);
  assert.ok(close(a.value, po));
  assert.ok(close(k.value, (po - pe) / (1 - pe)));
});

test.run();
