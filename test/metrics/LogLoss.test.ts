// Log loss and Brier score: the probability metrics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SluiceError } from '../../src/core/index.js';
import { Brier, LogLoss } from '../../src/metrics/index.js';
import { close, randomData } from './helpers.js';

test('log loss, binary: −mean ln p(true class)', () => {
  const m = new LogLoss();
  assert.ok(Number.isNaN(m.value));
  m.update([1, 0, 1], [0.9, 0.2, 0.6]);
  assert.ok(close(m.value, -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6)) / 3));
  const w = new LogLoss();
  w.update([1, 0], [0.9, 0.2], [3, 1]);
  assert.ok(close(w.value, -(3 * Math.log(0.9) + Math.log(0.8)) / 4));
});

test('log loss clips probabilities to [1e-15, 1 − 1e-15]', () => {
  const m = new LogLoss();
  m.update([1], [0]);
  assert.ok(close(m.value, -Math.log(1e-15)));
  assert.ok(Number.isFinite(m.value));
  const sure = new LogLoss();
  sure.update([1, 0], [1, 0]);
  assert.ok(sure.value > 0 && sure.value < 1e-14);
});

test('log loss, multi-class matrix: picks the true class column', () => {
  const m = new LogLoss();
  m.update([0, 2], [0.7, 0.2, 0.1, 0.1, 0.3, 0.6]);
  assert.ok(close(m.value, -(Math.log(0.7) + Math.log(0.6)) / 2));
  // A class beyond the matrix has probability 0.
  const out = new LogLoss();
  out.update([3], [0.5, 0.5]);
  assert.ok(close(out.value, -Math.log(1e-15)));
});

test('log loss: binary form needs 0/1 labels, shapes are checked', () => {
  const m = new LogLoss();
  assert.throws(
    () => m.update([2], [0.5]),
    (e: unknown) => e instanceof SluiceError && /yTrue\[0\] = 2/.test((e as Error).message),
  );
  assert.throws(() => m.update([0, 1], [0.5, 0.5, 0.5]), /3 values for 2 rows/);
  assert.throws(() => m.update([1, 0, 7], [0.5, 0.5, 0.5]), /yTrue\[2\] = 7/);
  assert.throws(() => new Brier().update([1, 0, 7], [0.5, 0.5, 0.5]), /brier.*yTrue\[2\] = 7/);
  assert.is(m.count, 0);
  assert.ok(Number.isNaN(m.value), 'a bad batch puts no row');
});

test('log loss: binary column equals the two-column matrix [1 − p, p] on random data', () => {
  const d = randomData('scores', 400, 8);
  const m2 = new Float64Array(800);
  for (let i = 0; i < 400; i++) {
    m2[2 * i] = 1 - d.yPred[i]!;
    m2[2 * i + 1] = d.yPred[i]!;
  }
  const a = new LogLoss(),
    b = new LogLoss();
  a.update(d.yTrue, d.yPred, d.weights);
  b.update(d.yTrue, m2, d.weights);
  assert.ok(close(a.value, b.value));
});

test('brier, binary and multi-class, by hand', () => {
  const b = new Brier();
  assert.ok(Number.isNaN(b.value));
  b.update([1, 0, 1], [0.9, 0.2, 0.6]);
  assert.ok(close(b.value, (0.01 + 0.04 + 0.16) / 3));
  const m = new Brier();
  m.update([0, 2], [0.7, 0.2, 0.1, 0.1, 0.3, 0.6]);
  // (0.09 + 0.04 + 0.01) and (0.01 + 0.09 + 0.16)
  assert.ok(close(m.value, (0.14 + 0.26) / 2));
  const w = new Brier();
  w.update([1, 0], [0.9, 0.2], [1, 3]);
  assert.ok(close(w.value, (0.01 + 3 * 0.04) / 4));
});

test('brier: two-column matrix scores twice the binary form (both classes counted)', () => {
  const d = randomData('scores', 300, 5);
  const m2 = new Float64Array(600);
  for (let i = 0; i < 300; i++) {
    m2[2 * i] = 1 - d.yPred[i]!;
    m2[2 * i + 1] = d.yPred[i]!;
  }
  const a = new Brier(),
    b = new Brier();
  a.update(d.yTrue, d.yPred);
  b.update(d.yTrue, m2);
  assert.ok(close(2 * a.value, b.value));
});

test.run();
