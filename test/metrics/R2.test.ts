// Regression metrics: MAE, MSE, RMSE, R², MAPE.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Mae, Mape, type Metric, Mse, R2, Rmse } from '../../src/metrics/index.js';
import { close, randomData } from './helpers.js';

const Y = [3, -0.5, 2, 7];
const YHAT = [2.5, 0, 2, 8];

function fit<M extends { update(a: ArrayLike<number>, b: ArrayLike<number>, w?: ArrayLike<number>): void; value: number }>(
  m: M,
  y = Y,
  p = YHAT,
  w?: number[],
): number {
  m.update(y, p, w);
  return m.value;
}

test('hand fixture (errors 0.5, −0.5, 0, −1)', () => {
  assert.ok(close(fit(new Mae()), 2 / 4));
  assert.ok(close(fit(new Mse()), 1.5 / 4));
  assert.ok(close(fit(new Rmse()), Math.sqrt(1.5 / 4)));
  // ȳ = 2.875, SStot = 0.125² + 3.375² + 0.875² + 4.125² = 29.1875
  assert.ok(close(fit(new R2()), 1 - 1.5 / 29.1875));
  assert.ok(close(fit(new Mape()), (0.5 / 3 + 0.5 / 0.5 + 0 + 1 / 7) / 4));
});

test('weights', () => {
  const w = [1, 2, 0, 1];
  assert.ok(close(fit(new Mae(), Y, YHAT, w), (0.5 + 1 + 1) / 4));
  assert.ok(close(fit(new Mse(), Y, YHAT, w), (0.25 + 0.5 + 1) / 4));
  // weighted mean (3 − 1 + 7)/4 = 2.25; SStot = 0.75² + 2·2.75² + 4.75²
  assert.ok(close(fit(new R2(), Y, YHAT, w), 1 - 1.75 / (0.5625 + 2 * 7.5625 + 22.5625)));
});

test('NaN before any row; R² NaN for constant targets', () => {
  for (const m of [new Mae(), new Mse(), new Rmse(), new R2(), new Mape()]) assert.ok(Number.isNaN(m.value), m.name);
  assert.ok(Number.isNaN(fit(new R2(), [4, 4, 4], [4, 5, 3])));
  assert.ok(Number.isNaN(fit(new R2(), [4], [4])));
});

test('MAPE skips rows whose target is 0 and counts them', () => {
  const m = new Mape();
  m.update([0, 2, 0, -4], [1, 1, 5, -2]);
  assert.ok(close(m.value, (0.5 + 0.5) / 2));
  assert.is(m.skipped, 2);
  assert.is(m.count, 2);
  const only = new Mape();
  only.update([0], [1]);
  assert.ok(Number.isNaN(only.value));
});

test('R² = 1 − SSres/SStot computed directly on random data, also with a large offset', () => {
  for (const offset of [0, 1e6]) {
    const d = randomData('values', 2000, 17);
    const y = d.yTrue.map((v) => v + offset),
      p = d.yPred.map((v) => v + offset);
    let sw = 0,
      swy = 0;
    for (let i = 0; i < y.length; i++) {
      sw += d.weights[i]!;
      swy += d.weights[i]! * y[i]!;
    }
    const mean = swy / sw;
    let res = 0,
      tot = 0;
    for (let i = 0; i < y.length; i++) {
      res += d.weights[i]! * (y[i]! - p[i]!) ** 2;
      tot += d.weights[i]! * (y[i]! - mean) ** 2;
    }
    const r = new R2();
    for (let a = 0; a < y.length; a += 300) r.update(y.subarray(a, a + 300), p.subarray(a, a + 300), d.weights.subarray(a, a + 300));
    assert.ok(close(r.value, 1 - res / tot, 1e-9), `offset ${offset}`);
  }
});

test('R² has no revert: rolling windows recompute it exactly', () => {
  assert.is((new R2() as Metric).revert, undefined);
});

test.run();
