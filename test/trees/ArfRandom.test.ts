import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { ArfRandom } from '../../src/trees/ArfRandom.js';

test('Poisson(6) by inversion: mean and variance 6, P(0) = e^-6, over 200k draws', () => {
  const r = new ArfRandom(6),
    rng = new Rng(1);
  const N = 200_000;
  let s = 0,
    s2 = 0,
    zeros = 0;
  for (let i = 0; i < N; i++) {
    const k = r.poisson(rng);
    s += k;
    s2 += k * k;
    if (k === 0) zeros++;
  }
  const mean = s / N,
    v = s2 / N - mean * mean;
  assert.ok(Math.abs(mean - 6) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(v - 6) < 0.1, `variance ${v}`);
  assert.ok(Math.abs(zeros / N - Math.exp(-6)) < 0.0006, `P(0) ${zeros / N}`);
});

test('Poisson(1): P(k) matches e^-1/k! for k = 0..4', () => {
  const r = new ArfRandom(1),
    rng = new Rng(2),
    N = 100_000,
    counts = new Float64Array(5);
  for (let i = 0; i < N; i++) {
    const k = r.poisson(rng);
    if (k < 5) counts[k]!++;
  }
  let f = 1;
  for (let k = 0; k < 5; k++) {
    if (k > 0) f *= k;
    assert.ok(Math.abs(counts[k]! / N - Math.exp(-1) / f) < 0.005, `P(${k}) ${counts[k]! / N}`);
  }
});

test('slot RNGs: the same (seed, slot) gives the same stream; other slots and seeds give unrelated ones', () => {
  const draw = (seed: number, slot: number) => {
    const r = ArfRandom.slotRng(seed, slot);
    return Array.from({ length: 4 }, () => r.nextUint32());
  };
  assert.equal(draw(1, 0), draw(1, 0));
  const seen = new Set<number>();
  for (let seed = 0; seed < 20; seed++) for (let slot = 0; slot < 20; slot++) for (const x of draw(seed, slot)) seen.add(x);
  assert.is(seen.size, 20 * 20 * 4);
});

test.run();
