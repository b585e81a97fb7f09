import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { ScorePairs } from '../../src/metrics/index.js';

/** Mann–Whitney U / (P·N) by sorting every row once: an independent reference, O(n log n). */
function referenceAuc(y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>): number {
  const idx = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => s[a]! - s[b]!);
  let below = 0,
    u = 0,
    P = 0,
    N = 0;
  for (let g = 0; g < idx.length; ) {
    let e = g,
      wp = 0,
      wn = 0;
    while (e < idx.length && s[idx[e]!] === s[idx[g]!]) {
      const i = idx[e++]!;
      if (y[i] === 1) wp += w ? w[i]! : 1;
      else wn += w ? w[i]! : 1;
    }
    u += wp * (below + 0.5 * wn);
    below += wn;
    P += wp;
    N += wn;
    g = e;
  }
  return u / (P * N);
}

/** Scores with many ties (float32, as models give) or not (float64). */
function stream(n: number, seed: number, float32: boolean): { y: Float32Array; s: Float64Array; w: Float64Array } {
  const rng = new Rng(seed);
  const y = new Float32Array(n),
    s = new Float64Array(n),
    w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = rng.float();
    y[i] = rng.float() < 0.2 + 0.5 * z ? 1 : 0;
    // Coarse values give ties; negative and zero scores check the radix keys' order.
    const v = rng.int(3) === 0 ? Math.round(z * 50) / 50 - 0.3 : z * 2 - 0.5;
    s[i] = float32 ? Math.fround(v) : v + 1e-12 * i;
    w[i] = 0.5 + rng.int(3);
  }
  return { y, s, w };
}

test('buffered rows, flushed past the buffer limit and at reads, give the exact AUC (float32 and float64 scores)', () => {
  for (const float32 of [true, false]) {
    const n = 150_000;
    const { y, s } = stream(n, float32 ? 3 : 4, float32);
    const pairs = new ScorePairs();
    let at = 0,
      k = 0;
    while (at < n) {
      const e = Math.min(n, at + 700 + ((k++ * 7919) % 5000));
      assert.is(pairs.add(y.subarray(at, e), s.subarray(at, e), undefined, 1), -1);
      at = e;
      // Reads between batches flush partial buffers.
      if (k % 40 === 0) assert.ok(Math.abs(pairs.rocAuc() - referenceAuc(y.subarray(0, at), s.subarray(0, at))) < 1e-12, `at ${at}`);
    }
    assert.is(pairs.count, n);
    assert.ok(Math.abs(pairs.rocAuc() - referenceAuc(y, s)) < 1e-12, `float32 ${float32}`);
  }
});

test('weights joining after unweighted rows count 1 for the rows before', () => {
  const { y, s, w } = stream(40_000, 5, true);
  const pairs = new ScorePairs();
  const ones = new Float64Array(40_000).fill(1);
  pairs.add(y.subarray(0, 20_000), s.subarray(0, 20_000), undefined, 1);
  pairs.add(y.subarray(20_000), s.subarray(20_000), w.subarray(20_000), 1);
  const ref = Float64Array.from(w);
  ref.set(ones.subarray(0, 20_000));
  assert.ok(Math.abs(pairs.rocAuc() - referenceAuc(y, s, ref)) < 1e-12);
});

test('a batch with a NaN score adds nothing and names the row', () => {
  const pairs = new ScorePairs();
  pairs.add([1, 0], [0.9, 0.1], undefined, 1);
  assert.is(pairs.add([1, 0, 1], [0.4, Number.NaN, 0.2], undefined, 1), 1);
  assert.is(pairs.count, 2);
  assert.is(pairs.rocAuc(), 1);
});

test('state round trip keeps buffered rows', () => {
  const { y, s } = stream(5000, 6, true);
  const pairs = new ScorePairs();
  pairs.add(y, s, undefined, 1);
  const back = ScorePairs.fromJSON(JSON.parse(JSON.stringify(pairs.toJSON())));
  assert.is(back.count, 5000);
  assert.is(back.rocAuc(), pairs.rocAuc());
  assert.is(back.averagePrecision(), pairs.averagePrecision());
});

test('non-negative float32 scores (int32 keys) give what the general path gives with unit weights: AUC, AP, state; then a negative score moves them over', () => {
  const rng = new Rng(11);
  const n = 120_000;
  const y = new Float32Array(n),
    s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = rng.float();
    y[i] = rng.float() < 0.15 + 0.6 * z ? 1 : 0;
    // Ties (coarse values), zeros and negative zeros among fine float32 values.
    const k = rng.int(4);
    s[i] = k === 0 ? Math.round(z * 40) / 40 : k === 1 && z < 0.05 ? (i % 2 ? 0 : -0) : Math.fround(z * z);
    s[i] = Math.fround(s[i]!);
  }
  const keyed = new ScorePairs(),
    general = new ScorePairs();
  let at = 0,
    k = 0;
  while (at < n) {
    // Batches of 1 to ~20k rows, reads after some: short runs against long ones and the reverse.
    const e = Math.min(n, at + (k % 5 === 0 ? 1 + (k % 7) : 300 + ((k * 7919) % 20_000)));
    const ys = y.subarray(at, e),
      ss = s.subarray(at, e);
    keyed.add(ys, ss, undefined, 1);
    general.add(ys, ss, new Float64Array(e - at).fill(1), 1);
    at = e;
    if (k++ % 3 === 0) {
      // Object.is: NaN (no positive or no negative yet) equals NaN.
      assert.ok(Object.is(keyed.rocAuc(), general.rocAuc()), `AUC at ${at}`);
      assert.ok(Object.is(keyed.averagePrecision(), general.averagePrecision()), `AP at ${at}`);
    }
  }
  assert.is(keyed.rocAuc(), general.rocAuc());
  assert.ok(Math.abs(keyed.rocAuc() - referenceAuc(y, s)) < 1e-12);
  const a = keyed.toJSON(),
    b = general.toJSON();
  assert.equal(a.pos, b.pos);
  assert.equal(a.neg, b.neg);
  assert.is(a.posWeights, null);
  // A negative score: the rows so far join the general runs, and the value stays exact.
  const more = { y: Float32Array.of(1, 0, 1, 0), s: Float64Array.of(-0.5, 0.25, 0.5, -1) };
  keyed.add(more.y, more.s, undefined, 1);
  const all = { y: Float32Array.from([...y, ...more.y]), s: Float64Array.from([...s, ...more.s]) };
  assert.ok(Math.abs(keyed.rocAuc() - referenceAuc(all.y, all.s)) < 1e-12);
  assert.is(keyed.count, n + 4);
});

test('float32 score arrays (keys taken on arrival) give what the same scores as float64 give: AUC, AP, state, NaN rows; mixed with float64 batches, weights and a negative score', () => {
  const rng = new Rng(12);
  const n = 90_000;
  const y = new Float32Array(n),
    f = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const z = rng.float();
    y[i] = rng.float() < 0.15 + 0.6 * z ? 1 : 0;
    const k = rng.int(4);
    f[i] = k === 0 ? Math.round(z * 40) / 40 : k === 1 && z < 0.05 ? (i % 2 ? 0 : -0) : z * z;
  }
  const d = Float64Array.from(f);
  const fast = new ScorePairs(),
    slow = new ScorePairs();
  let at = 0,
    k = 0;
  while (at < n) {
    const e = Math.min(n, at + (k % 5 === 0 ? 1 + (k % 7) : 300 + ((k * 7919) % 20_000)));
    // Every fourth batch as float64 on both sides: key buffers and score buffers at once.
    const mixed = k % 4 === 3;
    assert.is(fast.add(y.subarray(at, e), mixed ? d.subarray(at, e) : f.subarray(at, e), undefined, 1), -1);
    slow.add(y.subarray(at, e), d.subarray(at, e), undefined, 1);
    assert.is(fast.count, slow.count);
    at = e;
    if (k++ % 3 === 0) {
      assert.ok(Object.is(fast.rocAuc(), slow.rocAuc()), `AUC at ${at}`);
      assert.ok(Object.is(fast.averagePrecision(), slow.averagePrecision()), `AP at ${at}`);
    }
  }
  assert.is(fast.rocAuc(), slow.rocAuc());
  assert.equal(fast.toJSON(), slow.toJSON());
  // A NaN: nothing added, the row named, as on the general path.
  assert.is(fast.add(Float32Array.of(1, 0, 1), Float32Array.of(0.4, 0.3, Number.NaN), undefined, 1), 2);
  assert.is(fast.count, n);
  // A negative float32 score: the general path takes the batch, and everything stays exact.
  const ny = Float32Array.of(1, 0, 1, 0),
    ns = Float32Array.of(0.25, -0.5, 0.75, 0.5);
  assert.is(fast.add(ny, ns, undefined, 1), -1);
  slow.add(ny, Float64Array.from(ns), undefined, 1);
  assert.is(fast.rocAuc(), slow.rocAuc());
  assert.ok(Math.abs(fast.rocAuc() - referenceAuc([...y, ...ny], [...f, ...ns])) < 1e-12);
  // Weights after buffered keys.
  const w = new ScorePairs(),
    ref = new ScorePairs();
  w.add(y.subarray(0, 5000), f.subarray(0, 5000), undefined, 1);
  ref.add(y.subarray(0, 5000), d.subarray(0, 5000), undefined, 1);
  const ws = new Float64Array(5000).fill(2);
  w.add(y.subarray(5000, 10_000), f.subarray(5000, 10_000), ws, 1);
  ref.add(y.subarray(5000, 10_000), d.subarray(5000, 10_000), ws, 1);
  assert.is(w.rocAuc(), ref.rocAuc());
  assert.is(w.averagePrecision(), ref.averagePrecision());
});

test.run();
