import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Rng, Schema, SpecError } from '../../../src/core/index.js';
import { murmurhash3String, SPLIT_COLUMN, Splitter } from '../../../src/features/index.js';

const splitsOf = (b: Batch) => b.toRows().map((r) => r[SPLIT_COLUMN] as number);

test('hash of the key cut by the fractions (hand-computed), same key → same split', () => {
  const s = Schema.from({ user: 'category' });
  const keys = ['u1', 'u2', 'u3', 'u4', 'u5', '', 'u1'];
  const b = Batch.fromRows(
    keys.map((user) => ({ user })),
    s,
  );
  const sp = new Splitter({ key: 'user', fractions: [0.6, 0.2, 0.2], seed: 11 });
  const want = keys.map((k) => {
    const u = murmurhash3String(k, 11) / 2 ** 32;
    return u < 0.6 ? 0 : u < 0.8 ? 1 : 2;
  });
  assert.equal(splitsOf(sp.apply(b)), want);
  // Another batch, another dictionary order, another Splitter with the same seed: same splits.
  const again = new Splitter({ key: 'user', fractions: { train: 0.6, validation: 0.2, test: 0.2 }, seed: 11 });
  const b2 = Batch.fromRows(
    [...keys].reverse().map((user) => ({ user })),
    s,
  );
  assert.equal(splitsOf(again.apply(b2)), [...want].reverse());
  const missing = Batch.fromRows([{ user: null }, { user: null }], s);
  const m = splitsOf(sp.apply(missing));
  assert.is(m[0], m[1]);
});

test('row-id split hits the fractions on a long stream', () => {
  const sp = new Splitter({ fractions: [0.8, 0.1, 0.1], seed: 1 });
  const counts = [0, 0, 0];
  for (let j = 0; j < 10; j++) {
    const n = 10_000,
      b = new Batch(Schema.from({}), [], n, Batch.sequence(j * n, n));
    for (const v of sp.assign(b)) counts[v]!++;
  }
  assert.ok(Math.abs(counts[0]! / 1e5 - 0.8) < 0.01 && Math.abs(counts[1]! / 1e5 - 0.1) < 0.01, JSON.stringify(counts));
  const two = new Splitter({ fractions: [0.5, 0.5] });
  assert.equal(two.fractions, [0.5, 0, 0.5]);
});

test('stratified: class proportions within ±1 point of the stream in every split (5% positives)', () => {
  const rng = new Rng(5);
  const sp = new Splitter({ fractions: [0.7, 0.15, 0.15], stratify: 'y', seed: 3 });
  const pos = [0, 0, 0],
    all = [0, 0, 0];
  let streamPos = 0,
    streamAll = 0;
  // Small batches, many of them: 3,000 rows, so hashing alone would miss by more than a point.
  for (let j = 0; j < 30; j++) {
    const rows = Array.from({ length: 100 }, () => ({ y: rng.float() < 0.05 ? 1 : 0 }));
    const b = Batch.fromRows(rows, Schema.from({ y: 'integer' }));
    const out = sp.assign(b);
    rows.forEach((r, i) => {
      all[out[i]!]!++;
      pos[out[i]!]! += r.y;
      streamAll++;
      streamPos += r.y;
    });
  }
  const p = streamPos / streamAll;
  for (let s = 0; s < 3; s++) assert.ok(Math.abs(pos[s]! / all[s]! - p) <= 0.01, `split ${s}: ${pos[s]}/${all[s]} vs ${p}`);
  for (let s = 0; s < 3; s++) assert.ok(Math.abs(all[s]! / streamAll - sp.fractions[s]!) < 0.01, `split ${s} size`);
  const back = Splitter.fromJSON(JSON.parse(JSON.stringify(sp.toJSON())));
  assert.equal(back.toJSON(), sp.toJSON());
});

test('option errors name the key', () => {
  const bad = (o: unknown, path: string) =>
    assert.throws(
      () => new Splitter(o as never),
      (e: unknown) => e instanceof SpecError && e.path === path,
    );
  bad({ fractions: [0.5, 0.6] }, 'split.fractions');
  bad({ fractions: [0.5, -0.1, 0.6] }, 'split.fractions');
  bad({}, 'split.fractions');
  bad({ fractions: [1], key: 3 }, 'split.fractions');
  bad({ fractions: [0.5, 0.5], seed: 1.5 }, 'split.seed');
});

test.run();
