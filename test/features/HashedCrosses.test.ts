import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HashedCrosses, transformRegistry } from '../../src/features/index.js';
import { Batch, Schema } from '../../src/index.js';

test('crosses: one slot per pair of values, the same for equal pairs, nothing when a cell is missing; indices ascend', () => {
  const b = Batch.fromRows(
    [
      { a: 'x', b: 'p', h: 1 },
      { a: 'x', b: 'p', h: 2 },
      { a: 'y', b: 'p', h: 1 },
      { a: null, b: 'q', h: 1 },
    ],
    Schema.from({ a: 'category', b: 'category', h: 'integer' }),
  );
  const t = new HashedCrosses({
    pairs: [
      ['a', 'b'],
      ['b', 'h'],
    ],
    bits: 12,
  });
  const out = t.apply(b);
  assert.ok(out.has('a') && out.has('b'), 'inputs stay');
  const c = out.column('crosses');
  if (c.type !== 'vector') throw new Error('expected a vector');
  assert.is(c.width, 4096);
  const row = (i: number) => [...c.indices.subarray(c.indptr[i]!, c.indptr[i + 1]!)];
  assert.is(row(0).length, 2);
  assert.is(row(3).length, 1, 'a missing cell adds nothing for its pairs');
  assert.is(row(0)[0] === row(1)[0] || row(0)[1] === row(1)[1] || row(0).some((s) => row(1).includes(s)), true, 'x&p crosses to the same slot');
  assert.not.equal(row(0), row(2));
  for (let i = 0; i < 4; i++)
    assert.equal(
      row(i),
      [...row(i)].sort((x, y) => x - y),
    );
  const again = transformRegistry.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  const c2 = again.apply(b).column('crosses');
  assert.equal(c2.type === 'vector' ? [...c2.indices] : null, [...c.indices]);
  assert.throws(() => new HashedCrosses({ pairs: [['a', 'a']] }), /crosses.pairs\[0\]/);
  assert.throws(
    () => new HashedCrosses({ pairs: [['a', 'z']] }).apply(Batch.fromRows([{ a: 'x', z: 1.5 }], Schema.from({ a: 'category', z: 'number' }))),
    /crosses needs category/,
  );
});

test.run();
