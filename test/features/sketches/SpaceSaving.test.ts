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
  assert.equal(top.map((t) => t.value), ['A', 'B', 'C']);
  for (const t of ss.top()) {
    const real = truth.get(t.value)!;
    assert.ok(t.count >= real && t.count - t.error <= real, `${t.value}: ${t.count}-${t.error} vs ${real}`);
    assert.ok(t.error <= ss.n / ss.capacity);
  }
});

test('weighted adds, merge and JSON round trip', () => {
  const a = new SpaceSaving(3), b = new SpaceSaving(3);
  a.add('x', 5); a.add('y', 2); a.add('z', 1);
  b.add('x', 1); b.add('w', 4);
  a.merge(b);
  assert.is(a.n, 13);
  // a was full (floor 1), so w, unseen by a, may have occurred once there: count 5, error 1.
  assert.equal(a.top(2).map((t) => [t.value, t.count, t.error]), [['x', 6, 0], ['w', 5, 1]]);
  const r = SpaceSaving.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  assert.equal(r.top(), a.top());
  assert.throws(() => new SpaceSaving(0), /capacity/);
});

test.run();
