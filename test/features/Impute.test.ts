import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadRows, Batch, Schema, SPLIT_COLUMN } from '../../src/index.js';
import { Impute } from '../../src/features/index.js';

const schema = Schema.from({ x: 'number', c: 'category' });

test('mean, median, mode, constant with NaN/Infinity as missing and an indicator', () => {
  const b = Batch.fromRows([{ x: 1, c: 'a' }, { x: null, c: 'b' }, { x: 3, c: 'a' }, { x: NaN, c: null }, { x: 8, c: '' }, { x: -Infinity, c: 'a' }], schema);
  const mean = new Impute({ columns: { x: { strategy: 'mean', indicator: true } } });
  mean.learn(b);
  const out = mean.apply(b);
  assert.equal(out.toRows().map((r) => r.x), [1, 4, 3, 4, 8, 4]);
  assert.equal(out.toRows().map((r) => r.x_missing), [false, true, false, true, false, true]);
  const med = new Impute({ columns: { x: 'median' } }); med.learn(b);
  assert.is(med.fillValue('x'), 3);
  const mode = new Impute({ columns: { c: 'mode' } }); mode.learn(b);
  assert.equal(mode.apply(b).toRows().map((r) => r.c), ['a', 'b', 'a', 'a', '', 'a']);
  const k = new Impute({ columns: { c: { strategy: 'constant', value: 'unknown' }, x: { strategy: 'constant', value: -1 } } });
  assert.equal(k.apply(b).toRows().map((r) => [r.x, r.c]), [[1, 'a'], [-1, 'b'], [3, 'a'], [-1, 'unknown'], [8, ''], [-1, 'a']]);
});

test('previous carries the last training value across batches', () => {
  const t = new Impute({ columns: { x: 'previous', c: 'previous' } });
  const b1 = Batch.fromRows([{ x: 1, c: 'p' }, { x: null, c: null }, { x: 2, c: 'q' }], schema);
  const b2 = Batch.fromRows([{ x: null, c: null }, { x: 5, c: 'r' }, { x: null, c: null }], schema);
  t.learn(b1); assert.equal(t.apply(b1).toRows(), [{ x: 1, c: 'p' }, { x: 1, c: 'p' }, { x: 2, c: 'q' }]);
  t.learn(b2); assert.equal(t.apply(b2).toRows(), [{ x: 2, c: 'q' }, { x: 5, c: 'r' }, { x: 5, c: 'r' }]);
  const first = new Impute({ columns: { x: 'previous' } });
  assert.is(first.apply(Batch.fromRows([{ x: null }], Schema.from({ x: 'number' }))).value('x', 0), null, 'nothing learned: stays missing');
});

test('learns from training rows only', () => {
  const s = Schema.from({ x: 'number', [SPLIT_COLUMN]: 'integer' });
  const b = Batch.fromRows([{ x: 1, [SPLIT_COLUMN]: 0 }, { x: 3, [SPLIT_COLUMN]: 0 }, { x: 1000, [SPLIT_COLUMN]: 1 }, { x: null, [SPLIT_COLUMN]: 2 }], s);
  const t = new Impute({ columns: { x: 'mean' } });
  t.learn(b);
  assert.is(t.fillValue('x'), 2);
  assert.is(t.apply(b).value('x', 3), 2);
});

test('nonFinite error: throws with the line, or skips under a bad-row policy', () => {
  const b0 = Batch.fromRows([{ x: 1 }, { x: Infinity }, { x: 2 }], Schema.from({ x: 'number' }));
  const b = new Batch(b0.schema, b0.columns, 3, b0.rowIds, new Float64Array([2, 3, 4]));
  const t = new Impute({ columns: { x: 'mean' }, nonFinite: 'error' });
  t.learn(b);
  assert.is(t.fillValue('x'), 1.5);
  assert.throws(() => t.apply(b), /impute:3:1: column "x" value "Infinity": non-finite/);
  t.badRows = new BadRows('impute', { badRows: 'skip' });
  const out = t.apply(b);
  assert.equal(out.toRows(), [{ x: 1 }, { x: 2 }]);
  assert.equal(t.badRows.account(), { read: 3, passed: 2, skipped: 1, skippedByReason: { 'non-finite': 1 } });
});

test('options are checked, state round-trips through JSON', () => {
  assert.throws(() => new Impute({ columns: { x: 'avg' as never } }), /impute\.x: expected one of mean\|median\|mode\|constant\|previous, got "avg"/);
  assert.throws(() => new Impute({ columns: { x: { strategy: 'constant' } } }), /impute\.x\.value/);
  const b = Batch.fromRows([{ x: 4, c: 'z' }, { x: null, c: null }, { x: 6, c: 'z' }], schema);
  const t = new Impute({ columns: { x: 'median', c: 'mode' }, indicator: true });
  t.learn(b);
  const r = Impute.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  assert.equal(r.apply(b).toRows(), t.apply(b).toRows());
  assert.throws(() => new Impute({ columns: { c: 'mean' } }).learn(b), /needs a numeric column/);
});

test.run();
