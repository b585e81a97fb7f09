import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { EbstObserver, type EbstSplit } from '../../src/trees/EbstObserver.js';

interface Obs {
  x: number;
  y: number;
  w: number;
}

/** Variance reduction of x ≤ t over every row (zeros included), computed directly. */
function merit(rows: Obs[], t: number): { merit: number; lw: number; ls: number } {
  let W = 0,
    S = 0,
    lw = 0,
    ls = 0;
  for (const r of rows) {
    W += r.w;
    S += r.w * r.y;
    if (r.x <= t) {
      lw += r.w;
      ls += r.w * r.y;
    }
  }
  const rw = W - lw,
    rs = S - ls;
  return { merit: (ls * ls) / lw + (rs * rs) / rw - (S * S) / W, lw, ls };
}

/** Rows with repeated values, negatives and zeros; y depends on x. Zeros go to the leaf totals only. */
function feed(seed: number, n: number, distinct: number): { o: EbstObserver; rows: Obs[]; W: number; S: number } {
  const rng = new Rng(seed),
    o = new EbstObserver(),
    rows: Obs[] = [];
  let W = 0,
    S = 0;
  for (let i = 0; i < n; i++) {
    const x = rng.float() < 0.3 ? 0 : Math.round((rng.float() * 2 - 0.7) * distinct) / distinct,
      y = (x > 0.25 ? 3 : 0) + x + rng.normal(0, 0.5),
      w = 1 + rng.int(3);
    rows.push({ x, y, w });
    W += w;
    S += w * y;
    if (x !== 0) o.update(x, w, w * y);
  }
  return { o, rows, W, S };
}

function split(): EbstSplit {
  return { merit: 0, threshold: 0, leftW: 0, leftS: 0, rightW: 0, rightS: 0 };
}

test('below its size limit the best split is the exact best threshold, implicit zeros included', () => {
  for (let seed = 1; seed <= 5; seed++) {
    const { o, rows, W, S } = feed(seed, 3000, 40);
    assert.ok(o.size < 128, `size ${o.size}`);
    const res = split();
    o.bestSplit(W, S, 5, res);
    const ts = [...new Set(rows.map((r) => r.x))].sort((a, b) => a - b).slice(0, -1);
    let best = -1,
      bt = Number.NaN;
    for (const t of ts) {
      const m = merit(rows, t);
      if (m.lw >= 5 && W - m.lw >= 5 && m.merit > best) {
        best = m.merit;
        bt = t;
      }
    }
    assert.is(res.threshold, bt);
    assert.ok(Math.abs(res.merit * W - best) < 1e-6 * best, `${res.merit * W} vs ${best}`);
    const m = merit(rows, bt);
    assert.ok(Math.abs(res.leftW - m.lw) < 1e-9 && Math.abs(res.leftS - m.ls) < 1e-6);
  }
});

test('past its size limit new values join existing buckets: every threshold it keeps stays exact and the best is nearly kept', () => {
  const { o, rows, W, S } = feed(7, 20000, 1e9);
  assert.ok(o.size <= 128, `size ${o.size}`);
  const res = split();
  o.bestSplit(W, S, 5, res);
  const m = merit(rows, res.threshold);
  assert.ok(Math.abs(res.leftW - m.lw) < 1e-9 && Math.abs(res.leftS - m.ls) < 1e-6 * Math.abs(m.ls));
  assert.ok(Math.abs(res.merit * W - m.merit) < 1e-6 * m.merit);
  // The true best threshold is 0.25 (the step); a kept one lies within a bucket of it.
  assert.ok(Math.abs(res.threshold - 0.25) < 0.03, `threshold ${res.threshold}`);
  const exact = merit(rows, 0.25).merit;
  assert.ok(res.merit * W > 0.97 * exact, `${res.merit * W} vs ${exact}`);
});

test('the minimum weight per side is respected, and a JSON round trip keeps every answer', () => {
  const o = new EbstObserver();
  o.update(1, 1, 10);
  o.update(2, 1, 0);
  const res = split();
  o.bestSplit(2, 10, 5, res);
  assert.is(res.merit, Number.NEGATIVE_INFINITY);
  const { o: a, W, S } = feed(3, 5000, 1e9);
  const b = EbstObserver.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  const rng = new Rng(4);
  let s2 = S;
  for (let i = 0; i < 2000; i++) {
    const x = rng.float() - 0.3;
    s2 += x;
    a.update(x, 1, x);
    b.update(x, 1, x);
  }
  assert.equal(b.toJSON(), a.toJSON());
  const ra = split(),
    rb = split();
  a.bestSplit(W + 2000, s2, 5, ra);
  b.bestSplit(W + 2000, s2, 5, rb);
  assert.equal(rb, ra);
});

test.run();
