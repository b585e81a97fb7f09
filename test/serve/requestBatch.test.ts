import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { batchFromRows, Dictionaries, schemaOf } from '../../src/serve/requestBatch.js';

const schema = schemaOf({ city: 'category', x: 'number', n: 'integer', ok: 'boolean' });

test('batchFromRows: typed columns, nulls as missing, lines 1..n; the category dictionary shared across requests', () => {
  const d = new Dictionaries();
  const a = batchFromRows(
    [
      { city: 'paris', x: 1.5, n: 2, ok: true },
      { city: null, x: null, n: null, ok: null, extra: 'passes' },
    ],
    schema,
    false,
    d,
  );
  assert.equal(a.toRows(), [
    { city: 'paris', x: 1.5, n: 2, ok: true },
    { city: null, x: null, n: null, ok: null },
  ]);
  assert.equal(Array.from(a.lines!), [1, 2]);
  const b = batchFromRows([{ city: 3, x: 0, n: 0, ok: false }], schema, true, d);
  const ca = a.column('city') as { dictionary: unknown },
    cb = b.column('city') as { dictionary: unknown; codes: Int32Array };
  assert.ok(ca.dictionary === cb.dictionary, 'one dictionary for both requests');
  assert.is(b.value('city', 0), '3');
  assert.is(cb.codes[0], 1);
});

test('a full dictionary is replaced by a fresh one (bounded memory)', () => {
  const d = new Dictionaries();
  const first = d.get('city');
  for (let i = 0; i < 100_000; i++) first.code(`c${i}`);
  const next = d.get('city');
  assert.ok(next !== first);
  assert.is(next.size, 0);
  assert.ok(d.get('city') === next);
});

test('a value the model cannot take is a 400 naming the row and the column', () => {
  for (const [row, field, error] of [
    [{ city: 'a', x: Number.POSITIVE_INFINITY, n: 1, ok: true }, 'x', /column "x": expected a finite number/],
    [{ city: 'a', x: 1, n: 2.5, ok: true }, 'n', /column "n": expected a 32-bit integer, got 2.5/],
    [{ city: 'a', x: 1, n: 1, ok: 'yes' }, 'ok', /column "ok": expected a boolean/],
  ] as const) {
    try {
      batchFromRows([{ city: 'a', x: 1, n: 1, ok: true }, row], schema, false);
      assert.unreachable(field);
    } catch (e) {
      const err = e as { statusCode: number; message: string; body: { field: string; row: number } };
      assert.is(err.statusCode, 400);
      assert.equal([err.body.field, err.body.row], [field, 1]);
      assert.match(err.message, /^row 1: /);
      assert.match(err.message, error);
    }
  }
});

test('a dictionary holding 16M characters is replaced too: a few huge strings cannot grow it without bound', () => {
  const d = new Dictionaries();
  const first = d.get('city');
  const huge = 'x'.repeat(4 * 1024 * 1024);
  for (let i = 0; i < 3; i++) first.code(`${huge}${i}`);
  assert.is(d.get('city'), first, 'below the bound: the same dictionary');
  first.code(`${huge}3`);
  first.code(`${huge}4`);
  const next = d.get('city');
  assert.is.not(next, first, 'over 16M characters: a fresh one');
  assert.is(next.size, 0);
  assert.is(d.get('city'), next);
});

test.run();
