import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, type CellValue, Schema, SchemaError, SpecError } from '../../../src/core/index.js';
import { CsvBatchWriter, csvBatches } from '../../../src/io/index.js';
import { Capture, mixedBatch, SCHEMA, settled } from './helpers.js';

const EXPECTED = [
  'name,n,i,b,t,s',
  'plain,1.5,3,true,2024-01-02T03:04:05.678Z,"a,b"',
  ',,,false,,"say ""hi"""',
  '" pad",,-7,,1970-01-01T00:00:00.000Z,"line\nbreak"',
  'x,0.30000000000000004,2147483647,true,1969-12-31T23:59:59.999Z,"cr\rhere"',
  '"tail ",-0.000001,0,false,2024-01-02T03:04:05.678Z,',
  'δέλτα,1e+21,-2147483648,true,2024-01-02T03:04:05.678Z,',
  '',
].join('\n');

async function readBack(text: string, delimiter = ','): Promise<Batch[]> {
  const out: Batch[] = [];
  async function* chunks() {
    yield new TextEncoder().encode(text);
  }
  for await (const r of csvBatches(chunks(), { schema: SCHEMA, delimiter })) out.push(r.batch);
  return out;
}

async function textOf(b: Batch, delimiter: string): Promise<string> {
  const out = new Capture();
  const w = new CsvBatchWriter(out, { delimiter });
  await w.write(b);
  await w.close();
  return out.text;
}

test('exact text: header, shortest numbers, empty for missing/NaN/±Infinity, ISO datetimes, RFC 4180 quoting', async () => {
  const out = new Capture();
  const w = new CsvBatchWriter(out);
  await w.write(mixedBatch());
  await w.close();
  assert.is(out.text, EXPECTED);
  assert.is(w.rows, 6);
});

test("round trip through the project's CSV parser: every value back, except what CSV cannot tell from missing", async () => {
  const out = new Capture();
  const w = new CsvBatchWriter(out);
  const b = mixedBatch();
  await w.write(b);
  await w.write(b.slice(2, 4));
  await w.close();
  const back = await readBack(out.text);
  const rows = back.flatMap((x) => x.toRows());
  // NaN and ±Infinity are written as empty fields, and an empty string reads as missing.
  const expected = [...b.toRows(), ...b.slice(2, 4).toRows()].map((r) => {
    const o: Record<string, CellValue> = { ...r };
    if (typeof o.n === 'number' && !Number.isFinite(o.n)) o.n = null;
    if (o.s === '') o.s = null;
    return o;
  });
  assert.equal(rows, expected);
  assert.is(rows[2]!.name, ' pad');
  assert.is(rows[3]!.s, 'cr\rhere');
});

test('the header is written once, before the first batch; a first batch of no rows writes only the header', async () => {
  const out = new Capture();
  const w = new CsvBatchWriter(out);
  await w.write(Batch.fromRows([], SCHEMA));
  assert.is(out.text, 'name,n,i,b,t,s\n');
  await w.write(Batch.fromRows([{ name: 'a', n: 1, i: 2, b: true, t: 0, s: 'z' }], SCHEMA));
  await w.write(Batch.fromRows([{ name: 'b', n: 2, i: 3, b: false, t: 0, s: 'y' }], SCHEMA));
  await w.close();
  assert.is(out.text, 'name,n,i,b,t,s\na,1,2,true,1970-01-01T00:00:00.000Z,z\nb,2,3,false,1970-01-01T00:00:00.000Z,y\n');
  assert.is(w.rows, 2);
});

test('column names are quoted like values', async () => {
  const out = new Capture();
  const w = new CsvBatchWriter(out);
  await w.write(Batch.fromRows([{ 'a,b': 1, 'say "x"': 2, plain: 3 }]));
  await w.close();
  assert.is(out.text, '"a,b","say ""x""",plain\n1,2,3\n');
});

test('another delimiter: a field holding it is quoted (a comma is not); pipe-separated text reads back', async () => {
  const out = new Capture();
  const w = new CsvBatchWriter(out, { delimiter: '\t' });
  await w.write(Batch.fromRows([{ a: 'x\ty', b: 'p,q' }]));
  await w.close();
  assert.is(out.text, 'a\tb\n"x\ty"\tp,q\n');
  const back = await readBack(await textOf(mixedBatch(), '|'), '|');
  assert.equal(
    back[0]!.toRows().map((r) => r.s),
    ['a,b', 'say "hi"', 'line\nbreak', 'cr\rhere', null, null],
  );
});

test('a bad delimiter is a SpecError', () => {
  for (const d of ['', ';;', '"', '\n', '\r'])
    assert.throws(
      () => new CsvBatchWriter(new Capture(), { delimiter: d }),
      (e: unknown) => e instanceof SpecError && e.path === 'delimiter',
    );
});

test('a vector column is a SchemaError naming it', async () => {
  const schema = new Schema([{ name: 'features', type: 'vector', nullable: true }]);
  const vec = {
    type: 'vector' as const,
    width: 4,
    indptr: Int32Array.of(0, 1),
    indices: Int32Array.of(2),
    values: Float32Array.of(1),
    names: null,
    validity: null,
  };
  const out = new Capture();
  const w = new CsvBatchWriter(out);
  try {
    await w.write(new Batch(schema, [vec], 1));
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, SchemaError);
    assert.is((e as SchemaError).column, 'features');
    assert.match((e as Error).message, /cannot be written as CSV/);
  }
  assert.is(out.text, '');
});

test('a later batch with other columns is a SchemaError naming the difference, and writes nothing', async () => {
  const out = new Capture();
  const w = new CsvBatchWriter(out);
  await w.write(Batch.fromRows([{ a: 1, b: 2 }]));
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ a: 1, b: 2, c: 3 }, 'c', /not among the first batch's columns \(a, b\)/],
    [{ a: 1 }, 'b', /missing from this batch/],
    [{ b: 2, a: 1 }, 'b', /column 1 of this batch but column 2 of the first/],
    [{ a: 1, x: 2 }, 'x', /not among/],
  ];
  for (const [row, column, message] of cases) {
    try {
      await w.write(Batch.fromRows([row]));
      assert.unreachable(`should throw for ${JSON.stringify(row)}`);
    } catch (e) {
      assert.instance(e, SchemaError);
      assert.is((e as SchemaError).column, column);
      assert.match((e as Error).message, message);
    }
  }
  // Same names, another type: CSV text has no types, so this is fine.
  await w.write(Batch.fromRows([{ a: 'one', b: true }]));
  await w.close();
  assert.is(out.text, 'a,b\n1,2\none,true\n');
});

test('backpressure: write waits for drain; close waits for the flush and does not end a stream it was given', async () => {
  const out = new Capture(16);
  out.hold = true;
  const w = new CsvBatchWriter(out);
  const p = w.write(mixedBatch());
  assert.is(await settled(p), false, 'write resolved while the stream was full');
  out.release();
  await p;
  out.hold = true;
  const c = w.close();
  assert.is(await settled(c), false, 'close resolved before the data was flushed');
  out.release();
  await c;
  assert.is(out.writableEnded, false);
  assert.is(out.text, EXPECTED);
  try {
    await w.write(mixedBatch());
    assert.unreachable('write after close');
  } catch (e) {
    assert.match((e as Error).message, /after close/);
  }
});

test('a stream error rejects the pending write instead of crashing the process', async () => {
  const out = new Capture(16);
  out.hold = true;
  const w = new CsvBatchWriter(out);
  const p = w.write(mixedBatch());
  out.destroy(new Error('broken pipe'));
  try {
    await p;
    assert.unreachable('should reject');
  } catch (e) {
    assert.is((e as Error).message, 'broken pipe');
  }
  await w.discard();
});

test.run();
