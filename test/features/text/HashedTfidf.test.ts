import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema } from '../../../src/core/index.js';
import { HashedTfidf, murmurhash3String, SPLIT_COLUMN } from '../../../src/features/index.js';

const s = Schema.from({ t: 'text' });
const slot = (w: string, bits: number) => murmurhash3String(w) & (2 ** bits - 1);

test('hand-computed TF-IDF on three documents (sklearn smoothed idf, l2 norm)', () => {
  const t = new HashedTfidf('t', { bits: 20 });
  const b = Batch.fromRows([{ t: 'Red red fish' }, { t: 'blue FISH' }, { t: '' }, { t: null }], s);
  t.learn(b);
  assert.is(t.documentCount, 3, 'empty string counts as a document, missing does not');
  const out = t.apply(b);
  const N = 3,
    idf = (df: number) => Math.log((1 + N) / (1 + df)) + 1;
  const r0 = { red: 2 * idf(1), fish: 1 * idf(2) };
  const n0 = Math.hypot(r0.red, r0.fish);
  const got0 = out.value('t', 0) as Record<number, number>;
  assert.ok(Math.abs(got0[slot('red', 20)]! - r0.red / n0) < 1e-6);
  assert.ok(Math.abs(got0[slot('fish', 20)]! - r0.fish / n0) < 1e-6);
  const r1 = { blue: idf(1), fish: idf(2) },
    n1 = Math.hypot(r1.blue, r1.fish);
  const got1 = out.value('t', 1) as Record<number, number>;
  assert.ok(Math.abs(got1[slot('blue', 20)]! - r1.blue / n1) < 1e-6);
  assert.equal(out.value('t', 2), {});
  assert.equal(out.value('t', 3), {});
});

test('plain counts with bigrams, stopwords removed; collisions sum', () => {
  const t = new HashedTfidf('t', { bits: 1, idf: false, normalize: false, ngrams: [1, 2] });
  const out = t.apply(Batch.fromRows([{ t: 'the cat sat' }], s));
  const got = out.value('t', 0) as Record<number, number>;
  const total = Object.values(got).reduce((a, v) => a + v, 0);
  assert.is(total, 3, 'cat, sat, "cat sat" over two slots');
  const expect: Record<number, number> = {};
  for (const w of ['cat', 'sat', 'cat sat']) expect[slot(w, 1)] = (expect[slot(w, 1)] ?? 0) + 1;
  assert.equal(got, expect);
});

test('document frequencies come from training rows only', () => {
  const st = Schema.from({ t: 'text', [SPLIT_COLUMN]: 'integer' });
  const b = Batch.fromRows(
    [
      { t: 'alpha', [SPLIT_COLUMN]: 0 },
      { t: 'secret', [SPLIT_COLUMN]: 1 },
      { t: 'beta', [SPLIT_COLUMN]: 2 },
    ],
    st,
  );
  const t = new HashedTfidf('t', { bits: 16 });
  t.learn(b);
  assert.is(t.documentCount, 1);
  assert.equal(t.toJSON().state.df, [[slot('alpha', 16), 1]]);
  const u = HashedTfidf.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  const probe = Batch.fromRows([{ t: 'alpha secret', [SPLIT_COLUMN]: 1 }], st);
  assert.equal(u.apply(probe).toRows(), t.apply(probe).toRows());
});

test('char n-grams and output column', () => {
  const t = new HashedTfidf('t', { bits: 18, idf: false, normalize: false, charNgrams: [3, 3], output: 'tv' });
  const out = t.apply(Batch.fromRows([{ t: 'ab' }], s));
  assert.ok(out.has('t') && out.has('tv'));
  const want: Record<number, number> = {};
  for (const g of ['ab', ' ab', 'ab ']) want[slot(g, 18)] = (want[slot(g, 18)] ?? 0) + 1;
  assert.equal(out.value('tv', 0), want);
});

test.run();
