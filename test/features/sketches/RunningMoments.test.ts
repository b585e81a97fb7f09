import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RunningMoments } from '../../../src/features/index.js';

test('mean and variance match the two-pass formulas; merge equals one pass', () => {
  const xs = [2, 4, 4, 4, 5, 5, 7, 9];
  const all = new RunningMoments();
  all.addMany(xs);
  assert.is(all.mean, 5);
  assert.is(all.variance, 4);
  assert.is(all.std, 2);
  assert.is(all.min, 2);
  assert.is(all.max, 9);
  const a = new RunningMoments(),
    b = new RunningMoments();
  xs.slice(0, 3).forEach((x) => a.add(x));
  b.addMany(xs.slice(3));
  a.merge(b);
  assert.ok(Math.abs(a.mean - 5) < 1e-12 && Math.abs(a.variance - 4) < 1e-12);
  const r = RunningMoments.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  assert.equal(r.toJSON(), a.toJSON());
  const keep = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 1]);
  const k = new RunningMoments();
  k.addMany(xs, keep);
  assert.is(k.count, 2);
  assert.is(k.mean, 5.5);
});

test('stable under a large offset where sum of squares fails', () => {
  const off = 1e9;
  const xs = new Float64Array(1_000_000);
  for (let i = 0; i < xs.length; i++) xs[i] = off + (i % 10) - 4.5;
  const m = new RunningMoments();
  m.addMany(xs);
  let s = 0,
    s2 = 0;
  for (const x of xs) {
    s += x;
    s2 += x * x;
  }
  const naive = s2 / xs.length - (s / xs.length) ** 2;
  assert.ok(Math.abs(m.variance - 8.25) < 1e-6, `variance ${m.variance}`);
  assert.ok(Math.abs(naive - 8.25) > 1, `naive formula unexpectedly fine: ${naive}`);
});

test('int32 columns: one exact pass for small integers, the stable two passes for large ones; both agree with exact moments', () => {
  const px = Int32Array.from({ length: 1000 }, (_, i) => (i * 7919) % 256);
  const m = new RunningMoments();
  assert.ok(m.addAllFinite(px));
  let s = 0n,
    q = 0n;
  for (const x of px) {
    s += BigInt(x);
    q += BigInt(x * x);
  }
  // Exact: mean = s / n, m2 = (n·q − s²) / n.
  assert.is(m.mean, Number(s) / 1000);
  assert.is(m.m2, Number(1000n * q - s * s) / 1000);
  assert.equal([m.min, m.max, m.count], [Math.min(...px), Math.max(...px), 1000]);
  // Values near 2^31 (n·Σx² far above 2^53): the two-pass path, still within rounding of the truth.
  const big = Int32Array.from({ length: 100 }, (_, i) => 2_000_000_000 + (i % 10));
  const b = new RunningMoments();
  assert.ok(b.addAllFinite(big));
  assert.ok(Math.abs(b.mean - 2_000_000_004.5) < 1e-6, `mean ${b.mean}`);
  assert.ok(Math.abs(b.variance - 8.25) < 1e-6, `variance ${b.variance}`);
  // Merged with a float batch of the same values: the same moments as one float pass.
  const f = new RunningMoments();
  f.addMany(Float64Array.from(px));
  assert.ok(Math.abs(f.mean - m.mean) < 1e-12 && Math.abs(f.m2 - m.m2) < 1e-6 * m.m2);
});

test.run();
