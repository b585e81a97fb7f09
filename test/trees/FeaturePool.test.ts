import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { FeaturePool } from '../../src/trees/FeaturePool.js';

const row = (inputs: number, on: Record<number, number>) => {
  const x = new Float64Array(inputs);
  for (const [j, v] of Object.entries(on)) x[Number(j)] = v;
  // Every index listed, zeros too, as a dense matrix gives them.
  return { x, nz: Int32Array.from({ length: inputs }, (_, j) => j), n: inputs };
};

for (const inputs of [40, 5000]) {
  test(`pool of ${inputs} inputs: non-zero features in order of first sight; draws within the pool`, () => {
    const p = new FeaturePool(inputs);
    // Empty: draws come from every input.
    const before = p.draw(3, new Rng(1))!;
    assert.is(before.length, 3);
    assert.ok(p.observe(row(inputs, { 7: 1, 2: -0.5 })), 'first features');
    assert.not.ok(p.observe(row(inputs, { 2: 3, 9: 1 })), 'not the first any more');
    assert.equal(p.toJSON(), [2, 7, 9]);
    assert.is(p.draw(3, new Rng(1)), null, 'm covers the pool: every feature');
    assert.is(p.draw(0, new Rng(1)), null);
    const rng = new Rng(5);
    for (let k = 0; k < 50; k++) {
      const d = Array.from(p.draw(2, rng)!);
      assert.is(new Set(d).size, 2);
      for (const f of d) assert.ok([2, 7, 9].includes(f), String(f));
      assert.equal(
        d,
        d.slice().sort((a, b) => a - b),
      );
    }
    // The same RNG state draws the same; a round trip keeps the pool.
    assert.equal(p.draw(2, new Rng(3)), p.draw(2, new Rng(3)));
    const q = FeaturePool.fromJSON(inputs, JSON.parse(JSON.stringify(p.toJSON())));
    assert.equal(q.toJSON(), [2, 7, 9]);
    assert.equal(q.draw(2, new Rng(3)), p.draw(2, new Rng(3)));
  });
}

test.run();
