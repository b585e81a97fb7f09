import { from, lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema, SpecError } from '../../../src/core/index.js';
import { FOLD_COLUMN, SPLIT_COLUMN, transformRegistry } from '../../../src/features/index.js';
import { cleanText, dedupe, derive, kfold, oneHot, split, splitOnly, targetEncode, textHash } from '../../../src/operators/transforms/index.js';

const s = Schema.from({ k: 'category', x: 'number', t: 'text' });
const batches = () => [
  Batch.fromRows(
    [
      { k: 'a', x: 1, t: '<b>Hi</b> there' },
      { k: 'b', x: 20, t: 'hi' },
      { k: 'a', x: 30, t: null },
    ],
    s,
  ),
  Batch.fromRows(
    [
      { k: 'c', x: 4, t: 'x' },
      { k: 'a', x: 50, t: 'HI!' },
    ],
    s,
  ),
];
const run = (...ops: Array<(o: never) => never>) =>
  lastValueFrom((from(batches()).pipe as (...f: unknown[]) => ReturnType<typeof from>)(...ops, toArray())) as unknown as Promise<Batch[]>;

test('operators compose; each subscription gets fresh state', async () => {
  const pipeline = [
    derive('late', 'x > 15'),
    oneHot(['k'], { maxCategories: 2 }),
    dedupe({ keys: ['x'], count: 10 }),
    dedupe({ keys: ['late'], count: 1 }),
    split({ fractions: [0.5, 0.5], seed: 1 }),
    kfold(3),
  ] as never[];
  const a = await run(...pipeline),
    b = await run(...pipeline);
  assert.equal(
    a.map((x) => x.toRows()),
    b.map((x) => x.toRows()),
  );
  const rows = a.flatMap((x) => x.toRows());
  // late: F T T F T; dedupe on late with a 1-row window drops the repeat T (row 2).
  assert.equal(
    rows.map((r) => r.late),
    [false, true, false, true],
  );
  assert.equal(
    rows.map((r) => r.k),
    [{ 0: 1 }, { 1: 1 }, { 2: 1 }, { 0: 1 }],
    'c beyond maxCategories → other slot 2',
  );
  assert.ok(rows.every((r) => typeof r[SPLIT_COLUMN] === 'number' && typeof r[FOLD_COLUMN] === 'number'));
});

test('cleanText, textHash, targetEncode, splitOnly', async () => {
  const out = await run(
    cleanText(['t']) as never,
    textHash('t', { bits: 8, idf: false, normalize: false, stopwords: false }) as never,
    targetEncode(['k'], { target: 'x', smoothing: 0 }) as never,
  );
  const rows = out.flatMap((b) => b.toRows());
  assert.equal(
    rows.map((r) => r.k),
    [null, 1, 1, 17, 15.5],
    'smoothing 0: a category with no count yet gets the global mean',
  );
  assert.equal(
    Object.values(rows[0]!.t as object).reduce((a: number, v: number) => a + v, 0),
    2,
  );
  const tr = await lastValueFrom(from(batches()).pipe(split({ fractions: [0.5, 0.5], seed: 4 }), splitOnly('test'), toArray()));
  assert.ok(tr.flatMap((b) => b.toRows()).every((r) => r[SPLIT_COLUMN] === 2));
});

test('option errors at creation; registry knows part B kinds', () => {
  assert.throws(
    () => oneHot(['k'], { maxCategories: -1 }),
    (e: unknown) => e instanceof SpecError && e.path === 'oneHot.maxCategories',
  );
  assert.throws(
    () => derive('y', 'x >'),
    (e: unknown) => e instanceof SpecError && e.path === 'derive.y',
  );
  assert.throws(
    () => split({ fractions: [2] }),
    (e: unknown) => e instanceof SpecError && e.path === 'split.fractions',
  );
  assert.throws(
    () => splitOnly('dev' as never),
    (e: unknown) => e instanceof SpecError,
  );
  for (const k of ['oneHot', 'ordinal', 'hash', 'targetEncode', 'cleanText', 'textHash', 'derive', 'varianceThreshold', 'selectTopK', 'split', 'kfold'])
    assert.ok(transformRegistry.has(k), k);
});

test.run();
