import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, Batch, type Column, Schema } from '../../src/core/index.js';
import { FeatureHasher, murmurhash3String } from '../../src/features/index.js';

const slotSign = (s: string, bits: number, seed = 0) => {
  const h = murmurhash3String(s, seed);
  return [h & (2 ** bits - 1), h >= 0x80000000 ? -1 : 1] as const;
};

test('category and number features: slot = h mod 2^b, sign from bit 31, missing adds nothing', () => {
  const b = Batch.fromRows(
    [
      { o: 'SEA', d: 2.5 },
      { o: null, d: 4 },
      { o: '', d: null },
    ],
    Schema.from({ o: 'category', d: 'number' }),
  );
  const t = new FeatureHasher(['o', 'd'], { bits: 20, seed: 7 });
  const out = t.apply(b);
  assert.equal(out.names, ['hashed']);
  const [s1, g1] = slotSign('o=SEA', 20, 7),
    [s2, g2] = slotSign('d', 20, 7),
    [s3, g3] = slotSign('o=', 20, 7);
  assert.equal(out.value('hashed', 0), { [s1]: g1, [s2]: 2.5 * g2 });
  assert.equal(out.value('hashed', 1), { [s2]: 4 * g2 });
  assert.equal(out.value('hashed', 2), { [s3]: g3 });
  const col = out.column('hashed');
  if (col.type !== 'vector') throw new Error('vector');
  assert.is(col.width, 2 ** 20);
  for (let i = 0; i < 3; i++) for (let p = col.indptr[i]! + 1; p < col.indptr[i + 1]!; p++) assert.ok(col.indices[p]! > col.indices[p - 1]!, 'sorted indices');
});

test('unsigned hashing; collisions add up in one slot', () => {
  const b = Batch.fromRows([{ a: 'x', b: 'y' }], Schema.from({ a: 'category', b: 'category' }));
  const t = new FeatureHasher(['a', 'b'], { bits: 1, signed: false, keepInputs: true, output: 'h' });
  const out = t.apply(b);
  assert.ok(out.has('a') && out.has('h'));
  const [sa] = slotSign('a=x', 1),
    [sb] = slotSign('b=y', 1);
  assert.equal(out.value('h', 0), sa === sb ? { [sa]: 2 } : { [sa]: 1, [sb]: 1 });
});

test('NaN and ±Infinity: left out as missing by default, BadInputError under nonFinite: error', () => {
  const b = Batch.fromRows([{ d: Infinity }, { d: NaN }, { d: -Infinity }, { d: 1 }], Schema.from({ d: 'number' }));
  const out = new FeatureHasher(['d'], { bits: 4, signed: false }).apply(b);
  const [s] = slotSign('d', 4);
  assert.equal(
    out.toRows().map((r) => r.hashed),
    [{}, {}, {}, { [s]: 1 }],
  );
  assert.throws(
    () => new FeatureHasher(['d'], { nonFinite: 'error' }).apply(b),
    (e: unknown) => e instanceof BadInputError && /"d"/.test(e.message) && /Infinity/.test(e.message),
  );
});

test('same value, different dictionaries → same slot; JSON round trip', () => {
  const s = Schema.from({ c: 'category' });
  const t = new FeatureHasher(['c'], { bits: 10 });
  const a = t.apply(Batch.fromRows([{ c: 'p' }, { c: 'q' }], s)).value('hashed', 1);
  const u = FeatureHasher.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(u.apply(Batch.fromRows([{ c: 'q' }], s)).value('hashed', 0), a);
});

test('two complete category columns (table path) encode as the general path does: collisions add up, cancelling ones drop out', () => {
  const rows = [];
  for (let i = 0; i < 300; i++) rows.push({ a: `v${i % 37}`, b: `v${(i * 7) % 41}` });
  const schema = Schema.from({ a: 'category', b: 'category' });
  const full = Batch.fromRows(rows, schema);
  // 3 bits: many collisions between the two columns, some with opposite signs.
  const t = new FeatureHasher(['a', 'b'], { bits: 3 });
  const fast = t.apply(full).toRows();
  // An all-present bitmap sends the same rows through the per-column path.
  const ca = full.column('a') as Extract<Column, { type: 'category' }>;
  const general = t.apply(full.withColumn('a', { ...ca, validity: new Uint8Array(38).fill(0xff) })).toRows();
  assert.equal(fast, general);
  // The same arrays too: within a row the slots ascend, whichever column's slot is the smaller.
  const raw = (b: Batch) => {
    const c = t.apply(b).column('hashed');
    if (c.type !== 'vector') throw new Error('expected a vector');
    return { indptr: [...c.indptr], indices: [...c.indices], values: [...c.values] };
  };
  assert.equal(raw(full), raw(full.withColumn('a', { ...ca, validity: new Uint8Array(38).fill(0xff) })));
  const wide = new FeatureHasher(['a', 'b'], { bits: 16 }).apply(full).column('hashed');
  if (wide.type !== 'vector') throw new Error('expected a vector');
  let swapped = 0;
  for (let i = 0; i < 300; i++) {
    const [sa] = slotSign(`a=${rows[i]!.a}`, 16),
      [sb] = slotSign(`b=${rows[i]!.b}`, 16);
    if (sa === sb) continue;
    assert.equal([...wide.indices.subarray(wide.indptr[i]!, wide.indptr[i + 1]!)], [Math.min(sa, sb), Math.max(sa, sb)], `row ${i}`);
    if (sb < sa) swapped++;
  }
  assert.ok(swapped > 0 && swapped < 300, 'both orders occur');
  let cancelled = 0,
    summed = 0;
  for (let i = 0; i < 300; i++) {
    const [sa, ga] = slotSign(`a=${rows[i]!.a}`, 3),
      [sb, gb] = slotSign(`b=${rows[i]!.b}`, 3);
    const want: Record<number, number> = sa === sb ? (ga + gb === 0 ? {} : { [sa]: ga + gb }) : { [sa]: ga, [sb]: gb };
    if (sa === sb) ga + gb === 0 ? cancelled++ : summed++;
    assert.equal(fast[i]!.hashed, want, `row ${i}`);
  }
  assert.ok(cancelled > 0 && summed > 0, 'both kinds of collision occur');
});

test.run();
