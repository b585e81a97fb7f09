import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { GaussianObserver, type SplitCandidate } from '../../src/trees/GaussianObserver.js';
import { hoeffdingBound } from '../../src/trees/hoeffdingBound.js';
import { splitMerit } from '../../src/trees/splitMerit.js';
import type { TreeRow } from '../../src/trees/TreeRow.js';

function candidate(k: number): SplitCandidate {
  return { feature: -1, threshold: 0, merit: 0, second: 0, left: new Float64Array(k), right: new Float64Array(k) };
}

function sparseRow(inputs: number, values: Record<number, number>): TreeRow {
  const x = new Float64Array(inputs);
  const nz = Int32Array.from(Object.keys(values).map(Number));
  for (const j of nz) x[j] = values[j]!;
  return { x, nz, n: nz.length };
}

test('splitMerit: information gain in bits with MOA’s 1% minimum branch, Gini gain; the Hoeffding bound', () => {
  const f = (a: number[]) => Float64Array.from(a);
  // A perfect split of a balanced parent: 1 bit; Gini 0.5.
  assert.ok(Math.abs(splitMerit(0, f([10, 0]), f([0, 10]), 2) - 1) < 1e-12);
  assert.ok(Math.abs(splitMerit(1, f([10, 0]), f([0, 10]), 2) - 0.5) < 1e-12);
  // An uninformative split: 0 for both.
  assert.ok(Math.abs(splitMerit(0, f([5, 5]), f([5, 5]), 2)) < 1e-12);
  assert.ok(Math.abs(splitMerit(1, f([5, 5]), f([5, 5]), 2)) < 1e-12);
  // H(3/8) − (4/8 H(1/4) + 4/8 H(2/4)) by hand.
  const entropy = (p: number) => -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
  assert.ok(Math.abs(splitMerit(0, f([3, 1]), f([2, 2]), 2) - (entropy(3 / 8) - 0.5 * entropy(1 / 4) - 0.5 * entropy(1 / 2))) < 1e-12);
  // A branch with under 1% of the weight.
  assert.is(splitMerit(0, f([1000, 0]), f([0, 5]), 2), -Infinity);
  assert.ok(splitMerit(1, f([1000, 0]), f([0, 5]), 2) > 0);
  assert.ok(Math.abs(hoeffdingBound(1, 1e-7, 200) - Math.sqrt(Math.log(1e7) / 400)) < 1e-15);
});

test('implicit zeros: the Gaussians include the rows where a feature was absent (naive Bayes against a brute force)', () => {
  const rng = new Rng(4),
    k = 2,
    d = 5;
  const o = new GaussianObserver(k, d, null);
  const rows: Array<[number[], number]> = [];
  for (let i = 0; i < 400; i++) {
    const y = rng.int(k);
    const v: Record<number, number> = {};
    for (let j = 0; j < d; j++) if (rng.bernoulli(0.6)) v[j] = rng.normal(j + 3 * y, 1 + j);
    // An explicit zero in nz must count like an absent one.
    if (i % 7 === 0) v[4] = 0;
    const row = sparseRow(d, v);
    o.update(row, y, 1);
    rows.push([Array.from(row.x), y]);
  }
  const probe = sparseRow(d, { 0: 1.5, 2: -2, 3: 4 });
  const got = new Float64Array(k);
  o.logLikelihood(probe, got);
  for (let c = 0; c < k; c++) {
    let want = 0;
    for (let j = 0; j < d; j++) {
      const xs = rows.filter((r) => r[1] === c).map((r) => r[0][j]!);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
      const v = probe.x[j]!;
      want += -0.5 * (((v - mean) * (v - mean)) / variance + Math.log(2 * Math.PI * variance));
    }
    assert.ok(Math.abs(got[c]! - want) < 1e-9 * Math.abs(want), `class ${c}: ${got[c]} vs ${want}`);
  }
});

test('bestSplit: a 0/1 column splits exactly (zeros against ones); separable classes give the exact 1-bit split', () => {
  const o = new GaussianObserver(2, 3, null);
  const rng = new Rng(2);
  const counts = [
    [0, 0],
    [0, 0],
  ];
  for (let i = 0; i < 1000; i++) {
    const y = rng.int(2);
    const on = rng.bernoulli(y === 1 ? 0.8 : 0.3) ? 1 : 0;
    counts[on]![y]!++;
    // Feature 1: class 0 in [0, 1), class 1 in [2, 3).
    o.update(sparseRow(3, on ? { 0: 1, 1: 2 * y + rng.float() } : { 1: 2 * y + rng.float() }), y, 1);
  }
  const c = candidate(2);
  o.bestSplit(0, 10, c);
  assert.is(c.feature, 1);
  assert.ok(Math.abs(c.merit - splitMerit(0, Float64Array.from([o.totals[0]!, 0]), Float64Array.from([0, o.totals[1]!]), 2)) < 1e-12);
  assert.ok(c.threshold > 1 && c.threshold < 2);
  assert.equal(Array.from(c.left), [o.totals[0], 0]);
  assert.equal(Array.from(c.right), [0, o.totals[1]]);
  // The 0/1 column is the runner-up, scored on its exact counts.
  const exact = splitMerit(0, Float64Array.from(counts[0]!), Float64Array.from(counts[1]!), 2);
  assert.ok(Math.abs(c.second - exact) < 1e-12, `${c.second} vs ${exact}`);
  // Only the 0/1 column: threshold halfway, exact counts.
  const b = new GaussianObserver(2, 3, Int32Array.from([0]));
  const r2 = new Rng(2);
  for (let i = 0; i < 1000; i++) {
    const y = r2.int(2);
    const on = r2.bernoulli(y === 1 ? 0.8 : 0.3) ? 1 : 0;
    b.update(sparseRow(3, on ? { 0: 1, 1: 2 * y + r2.float() } : { 1: 2 * y + r2.float() }), y, 1);
  }
  b.bestSplit(0, 10, c);
  assert.is(c.feature, 0);
  assert.is(c.threshold, 0.5);
  assert.equal(Array.from(c.left), counts[0]);
  assert.equal(Array.from(c.right), counts[1]);
  assert.is(c.second, -Infinity);
  // The subset kept the other features out of the observer altogether.
  assert.equal(b.toJSON().features, [0]);
});

test('wide inputs: slots by Map, memory per feature seen; JSON round trip', () => {
  const D = 1 << 20;
  const o = new GaussianObserver(3, D, null);
  const rng = new Rng(5);
  const row: TreeRow = { x: new Float64Array(D), nz: new Int32Array(4), n: 4 };
  for (let i = 0; i < 500; i++) {
    for (let j = 0; j < row.n; j++) row.x[row.nz[j]!] = 0;
    // 4 distinct features out of 64 spread over 2^20 columns.
    for (let j = 0; j < 4; j++) {
      let f = rng.int(64) * 16_000;
      while (row.x[f] !== 0) f = rng.int(64) * 16_000;
      row.nz[j] = f;
      row.x[f] = rng.normal(1, 1) || 1;
    }
    o.update(row, rng.int(3), 1 + rng.int(3));
  }
  const s = o.toJSON();
  assert.ok(s.features.length <= 64 && s.count.length === 3 * s.features.length);
  const p = GaussianObserver.fromJSON(JSON.parse(JSON.stringify(s)), 3, D, null);
  assert.equal(p.toJSON(), s);
  const a = new Float64Array(3),
    b = new Float64Array(3);
  o.logLikelihood(row, a);
  p.logLikelihood(row, b);
  assert.equal(a, b);
});

test.run();
