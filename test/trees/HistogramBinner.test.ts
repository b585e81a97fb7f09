import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { HistogramBinner } from '../../src/trees/HistogramBinner.js';

test('few distinct values: thresholds at the midpoints between them, bins map x ≤ threshold', () => {
  // Two features, row-major: feature 0 takes 3, 1, 2, 1; feature 1 is constant.
  const x = Float32Array.from([3, 5, 1, 5, 2, 5, 1, 5]);
  const b = HistogramBinner.fit(x, 4, 2, 255);
  assert.equal(Array.from(b.thresholds[0]!), [1.5, 2.5]);
  assert.equal(Array.from(b.thresholds[1]!), []);
  assert.is(b.bins(0), 3);
  assert.is(b.bins(1), 1);
  // Row-major bins, as x.
  assert.equal(Array.from(b.transform(x, 4)), [2, 0, 0, 0, 1, 0, 0, 0]);
});

test('many distinct values: at most bins − 1 quantile thresholds, bins about equally full; bin ≤ b ⇔ x ≤ thresholds[b]', () => {
  const rng = new Rng(1),
    rows = 10000;
  const x = new Float32Array(rows);
  for (let i = 0; i < rows; i++) x[i] = rng.normal();
  const b = HistogramBinner.fit(x, rows, 1, 16);
  const t = b.thresholds[0]!;
  assert.is(t.length, 15);
  for (let k = 1; k < t.length; k++) assert.ok(t[k]! > t[k - 1]!);
  const bins = b.transform(x, rows);
  const counts = new Array(16).fill(0);
  for (let i = 0; i < rows; i++) {
    const v = bins[i]!;
    counts[v]++;
    if (v < 15) assert.ok(x[i]! <= t[v]!);
    if (v > 0) assert.ok(x[i]! > t[v - 1]!);
  }
  for (const c of counts) assert.ok(Math.abs(c - rows / 16) <= 2, `bin count ${c}`);
});

test('quantile thresholds never fall on a training value (a value and its float64 neighbours bin alike)', () => {
  // Heavy ties: 0..9 repeated, 4 bins; plain percentiles would be 2, 4.5, 7 (two of them values).
  const x = new Float32Array(1000);
  for (let i = 0; i < 1000; i++) x[i] = Math.floor(i / 100) + 0.1;
  const t = HistogramBinner.fit(x, 1000, 1, 4).thresholds[0]!;
  const values = new Set(Array.from(x));
  for (const v of t) assert.not.ok(values.has(v), `threshold ${v} is a training value`);
  assert.is(t.length, 3);
  // 2.1 as a double is above its float32 copy: both sit in the same bin.
  for (const v of t) assert.is(2.1 <= v, Math.fround(2.1) <= v);
});

test('non-finite values count as 0; JSON round trip; bad bins throw', () => {
  const x = Float32Array.from([Number.NaN, 1, -1, Number.POSITIVE_INFINITY]);
  const b = HistogramBinner.fit(x, 4, 1, 8);
  assert.equal(Array.from(b.thresholds[0]!), [-0.5, 0.5]);
  assert.equal(Array.from(b.transform(x, 4)), [1, 2, 0, 1]);
  const c = HistogramBinner.fromJSON(JSON.parse(JSON.stringify(b.toJSON())));
  assert.equal(Array.from(c.transform(x, 4)), [1, 2, 0, 1]);
  assert.throws(() => HistogramBinner.fit(x, 4, 1, 70000), /bins must be 2\.\.65536/);
  assert.throws(() => HistogramBinner.fit(x, 3, 1, 8), /rows × inputs/);
});

test.run();
