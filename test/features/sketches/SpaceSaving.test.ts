import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../../src/core/index.js';
import { SpaceSaving } from '../../../src/features/index.js';

test('finds the heavy hitters with counts within the error bound', () => {
  const rng = new Rng(7);
  const truth = new Map<string, number>();
  const ss = new SpaceSaving(20);
  for (let i = 0; i < 50_000; i++) {
    // Three heavy items (~20%, 10%, 5%) over a long tail of 5,000 rare ones.
    const u = rng.float();
    const item = u < 0.2 ? 'A' : u < 0.3 ? 'B' : u < 0.35 ? 'C' : `t${Math.floor(rng.float() * 5000)}`;
    truth.set(item, (truth.get(item) ?? 0) + 1);
    ss.add(item);
  }
  const top = ss.top(3);
  assert.equal(
    top.map((t) => t.value),
    ['A', 'B', 'C'],
  );
  for (const t of ss.top()) {
    const real = truth.get(t.value)!;
    assert.ok(t.count >= real && t.count - t.error <= real, `${t.value}: ${t.count}-${t.error} vs ${real}`);
    assert.ok(t.error <= ss.n / ss.capacity);
  }
});

test('weighted adds, merge and JSON round trip', () => {
  const a = new SpaceSaving(3),
    b = new SpaceSaving(3);
  a.add('x', 5);
  a.add('y', 2);
  a.add('z', 1);
  b.add('x', 1);
  b.add('w', 4);
  a.merge(b);
  assert.is(a.n, 13);
  // Both were exact, so w (unseen by a) occurred exactly 4 times; z (1) is dropped and becomes the floor.
  assert.equal(
    a.top().map((t) => [t.value, t.count, t.error]),
    [
      ['x', 6, 0],
      ['w', 4, 0],
      ['y', 2, 0],
    ],
  );
  assert.is(a.exact, false);
  assert.is(a.floor, 1);
  const r = SpaceSaving.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  assert.equal(r.top(), a.top());
  assert.equal([r.exact, r.floor], [false, 1]);
  // A full sketch that dropped items adds its floor to items it never kept.
  const c = new SpaceSaving(2),
    d = new SpaceSaving(2);
  c.add('p', 5);
  c.add('q', 2);
  c.add('s', 1); // s evicts q: s = 3 (error 2), floor 2
  d.add('t', 4);
  c.merge(d);
  assert.equal(
    c.top().map((t) => [t.value, t.count, t.error]),
    [
      ['p', 5, 0],
      ['t', 6, 2],
    ],
  );
  assert.throws(() => new SpaceSaving(0), /capacity/);
});

test('case 9: counts are exact while distinct items fit; beyond, the top is ordered by guaranteed count (count − error)', () => {
  const ss = new SpaceSaving(3);
  ss.add('x', 10);
  ss.add('y', 4);
  ss.add('z', 1);
  assert.is(ss.exact, true);
  assert.equal(
    ss.top().map((t) => [t.value, t.count, t.error]),
    [
      ['x', 10, 0],
      ['y', 4, 0],
      ['z', 1, 0],
    ],
  );
  ss.add('w', 1); // evicts z (1): w = 2, error 1
  ss.add('v', 2); // evicts w (2): v = 4, error 2 — at least 2, so below y's exact 4
  assert.is(ss.exact, false);
  assert.is(ss.floor, 2);
  assert.equal(
    ss.top().map((t) => [t.value, t.count, t.error]),
    [
      ['x', 10, 0],
      ['y', 4, 0],
      ['v', 4, 2],
    ],
  );
});

test('case 9: a large sketch keeps bounds on a high-cardinality weighted stream, and merged shards keep them too', () => {
  const rng = new Rng(11);
  const truth = new Map<string, number>();
  const whole = new SpaceSaving(256),
    shards = [new SpaceSaving(256), new SpaceSaving(256), new SpaceSaving(256)];
  for (let i = 0; i < 60_000; i++) {
    // A Zipf-like tail over 20,000 items, weights 1–3.
    const item = `i${Math.floor(20_000 * rng.float() ** 3)}`,
      w = 1 + Math.floor(rng.float() * 3);
    truth.set(item, (truth.get(item) ?? 0) + w);
    whole.add(item, w);
    shards[i % 3]!.add(item, w);
  }
  const merged = shards[0]!.merge(shards[1]!).merge(shards[2]!);
  for (const ss of [whole, merged]) {
    assert.is(ss.exact, false);
    for (const t of ss.top()) {
      const real = truth.get(t.value)!;
      assert.ok(t.count >= real && t.count - t.error <= real, `${t.value}: ${t.count}-${t.error} vs ${real}`);
    }
    // Anything not kept occurred at most `floor` times.
    const kept = new Set(ss.top().map((t) => t.value));
    for (const [k, v] of truth) if (!kept.has(k)) assert.ok(v <= ss.floor, `${k}: ${v} > floor ${ss.floor}`);
    const true3 = [...truth]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k]) => k);
    assert.equal(
      ss.top(3).map((t) => t.value),
      true3,
    );
  }
  assert.is(merged.n, whole.n);
});

test.run();
