// Precision, recall and F1 in every averaging.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Average } from '../../src/metrics/index.js';
import { F1, Precision, Recall } from '../../src/metrics/index.js';
import { close, randomData } from './helpers.js';

const T = [0, 0, 1, 1, 2, 2, 2];
const P = [0, 1, 1, 1, 2, 0, 2];
// Per class (0, 1, 2): precision 1/2, 2/3, 1; recall 1/2, 1, 2/3; F1 1/2, 4/5, 4/5; support 2, 2, 3.

function score(M: typeof Precision | typeof Recall | typeof F1, average: Average, positive = 1, t = T, p = P, w?: number[]): number {
  const m = new M({ average, positive });
  m.update(t, p, w);
  return m.value;
}

test('binary: the positive class alone', () => {
  assert.ok(close(score(Precision, 'binary'), 2 / 3));
  assert.ok(close(score(Recall, 'binary'), 1));
  assert.ok(close(score(F1, 'binary'), 0.8));
  assert.ok(close(score(Precision, 'binary', 2), 1));
  assert.ok(close(score(Recall, 'binary', 2), 2 / 3));
  assert.ok(close(score(F1, 'binary', 0), 0.5));
});

test('macro, weighted and micro by hand', () => {
  assert.ok(close(score(Precision, 'macro'), (1 / 2 + 2 / 3 + 1) / 3));
  assert.ok(close(score(Recall, 'macro'), (1 / 2 + 1 + 2 / 3) / 3));
  assert.ok(close(score(F1, 'macro'), (0.5 + 0.8 + 0.8) / 3));
  assert.ok(close(score(Precision, 'weighted'), (2 * 0.5 + 2 * (2 / 3) + 3 * 1) / 7));
  assert.ok(close(score(Recall, 'weighted'), (2 * 0.5 + 2 * 1 + 3 * (2 / 3)) / 7));
  assert.ok(close(score(F1, 'weighted'), (2 * 0.5 + 2 * 0.8 + 3 * 0.8) / 7));
  for (const M of [Precision, Recall, F1]) assert.ok(close(score(M, 'micro'), 5 / 7));
});

test('weighted rows, binary', () => {
  const t = [1, 1, 0, 0],
    p = [1, 0, 1, 0],
    w = [2, 1, 1, 3];
  // tp 2, fn 1, fp 1
  assert.ok(close(score(Precision, 'binary', 1, t, p, w), 2 / 3));
  assert.ok(close(score(Recall, 'binary', 1, t, p, w), 2 / 3));
  assert.ok(close(score(F1, 'binary', 1, t, p, w), 2 / 3));
  // class 0: tp 3, fp 1, fn 1 → 3/4 each
  assert.ok(close(score(F1, 'macro', 1, t, p, w), (2 / 3 + 3 / 4) / 2));
});

test('edge cases: NaN when binary is 0/0, zero for undefined classes inside averages', () => {
  assert.ok(Number.isNaN(score(Precision, 'binary', 1, [1, 0], [0, 0])), 'nothing predicted positive');
  assert.is(score(Recall, 'binary', 1, [1, 0], [0, 0]), 0);
  assert.ok(Number.isNaN(score(Recall, 'binary', 1, [0, 0], [0, 0])), 'no positive row');
  assert.ok(Number.isNaN(score(F1, 'binary', 1, [0, 0], [0, 0])));
  assert.is(score(F1, 'binary', 1, [1, 0], [0, 0]), 0);
  // class 1 only in truth: its precision is 0/0 and counts 0 (sklearn's zero_division default)
  assert.ok(close(score(Precision, 'macro', 1, [0, 1], [0, 0]), (1 / 2 + 0) / 2));
  for (const avg of ['binary', 'macro', 'micro', 'weighted'] as const) assert.ok(Number.isNaN(new F1({ average: avg }).value));
});

test('every averaging against per-class formulas on random data', () => {
  const k = 5;
  const d = randomData('labels', 800, 3, k);
  const tp = new Array(k).fill(0),
    sup = new Array(k).fill(0),
    pred = new Array(k).fill(0);
  for (let i = 0; i < d.yTrue.length; i++) {
    const w = d.weights[i]!,
      t = d.yTrue[i]!,
      p = d.yPred[i]!;
    sup[t] += w;
    pred[p] += w;
    if (t === p) tp[t] += w;
  }
  const total = sup.reduce((a, b) => a + b, 0);
  const per = {
    precision: tp.map((x, c) => x / pred[c]),
    recall: tp.map((x, c) => x / sup[c]),
    f1: tp.map((x, c) => (2 * x) / (sup[c] + pred[c])),
  };
  for (const [M, name] of [
    [Precision, 'precision'],
    [Recall, 'recall'],
    [F1, 'f1'],
  ] as const) {
    const s = per[name];
    const fit = (average: Average, positive = 1) => {
      const m = new M({ average, positive });
      m.update(d.yTrue, d.yPred, d.weights);
      return m.value;
    };
    assert.ok(close(fit('macro'), s.reduce((a, b) => a + b, 0) / k), `${name} macro`);
    assert.ok(close(fit('weighted'), s.reduce((a, b, c) => a + b * sup[c], 0) / total), `${name} weighted`);
    assert.ok(close(fit('micro'), tp.reduce((a, b) => a + b, 0) / total), `${name} micro`);
    assert.ok(close(fit('binary', 3), s[3]!), `${name} binary`);
  }
});

test.run();
