import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../../src/core/index.js';
import { QuantileSketch } from '../../../src/features/index.js';

function exactRank(sorted: Float64Array, x: number): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (sorted[m]! <= x) lo = m + 1;
    else hi = m;
  }
  return lo / sorted.length;
}

function data(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * 10 + (i % 7 === 0 ? 1000 : 0);
  return a;
}

test('quantiles stay within the stated rank error bound of exact quantiles', () => {
  const xs = data(200_000, 1);
  const q = new QuantileSketch(200);
  q.addMany(xs);
  const sorted = xs.slice().sort();
  const bound = QuantileSketch.rankErrorBound(200);
  assert.ok(bound < 0.014 && bound > 0.012, `bound ${bound}`);
  for (const p of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
    const err = Math.abs(exactRank(sorted, q.quantile(p)) - p);
    assert.ok(err <= bound, `p${p * 100}: rank error ${err} > ${bound}`);
  }
  assert.is(q.quantile(0), sorted[0]);
  assert.is(q.quantile(1), sorted[sorted.length - 1]);
  assert.is(q.n, 200_000);
  assert.ok(q.toJSON().levels.flat().length < 3 * 200, 'memory stays O(k)');
});

test('merged sketches keep the bound; NaN and Infinity are ignored', () => {
  const a = data(60_000, 2),
    b = data(90_000, 3);
  const qa = new QuantileSketch(),
    qb = new QuantileSketch();
  qa.addMany(a);
  qb.addMany(b);
  qa.add(NaN);
  qa.add(Infinity);
  qb.add(-Infinity);
  qa.merge(qb);
  assert.is(qa.n, 150_000);
  const all = new Float64Array(150_000);
  all.set(a);
  all.set(b, a.length);
  all.sort();
  for (const p of [0.05, 0.5, 0.95]) {
    const err = Math.abs(exactRank(all, qa.quantile(p)) - p);
    assert.ok(err <= QuantileSketch.rankErrorBound(200), `merged p${p}: ${err}`);
  }
});

test('exact on small inputs, and a JSON round trip continues identically', () => {
  const q = new QuantileSketch(200);
  for (const x of [5, 1, 4, 2, 3]) q.add(x);
  assert.is(q.quantile(0.5), 3);
  assert.is(q.quantile(0.2), 1);
  assert.is(q.quantile(0.8), 4);
  const xs = data(50_000, 4);
  q.addMany(xs);
  const r = QuantileSketch.fromJSON(JSON.parse(JSON.stringify(q.toJSON())));
  const more = data(30_000, 5);
  q.addMany(more);
  r.addMany(more);
  assert.equal(r.toJSON(), q.toJSON());
  assert.ok(Number.isNaN(new QuantileSketch().quantile(0.5)));
});

test('reads after add, addMany and merge see the new values (the sorted view is rebuilt after each change)', () => {
  const q = new QuantileSketch(8);
  q.addMany([1, 2, 3, 4]);
  assert.is(q.quantile(0.5), 2);
  assert.is(q.rank(2.5), 0.5);
  q.add(100);
  q.add(101);
  assert.is(q.quantile(0.99), 101);
  assert.is(q.rank(50), 4 / 6);
  const other = new QuantileSketch(8);
  other.addMany(Array.from({ length: 200 }, (_, i) => -i));
  q.merge(other);
  assert.ok(q.quantile(0.5) < 0, String(q.quantile(0.5)));
  assert.ok(Math.abs(q.rank(0) - 204 / 206) < 0.05, String(q.rank(0)));
  // The same answers as a fresh sketch restored from the same state (no stale view).
  const r = QuantileSketch.fromJSON(q.toJSON());
  for (const p of [0.1, 0.25, 0.5, 0.9]) assert.is(q.quantile(p), r.quantile(p));
  for (const x of [-150, -1, 0, 3, 100]) assert.is(q.rank(x), r.rank(x));
});

test.run();
