import * as arrow from 'apache-arrow';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema, SchemaError, StringDictionary } from '../../../src/core/index.js';
import { ArrowBatchDecoder, ArrowBatchWriter, ArrowIpcReader } from '../../../src/io/index.js';
import { Capture, mixedBatch, settled } from './helpers.js';

/** Reads stream bytes with the project's own reader (as fromArrowIpc's fast path does), fed in small chunks; also lists the messages. */
async function readSluice(bytes: Uint8Array): Promise<{ batches: Batch[]; messages: string[] }> {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += 1000) yield bytes.subarray(i, i + 1000);
  }
  const reader = await ArrowIpcReader.fromStream(chunks());
  assert.is(reader.format, 'stream');
  assert.ok(ArrowBatchDecoder.supports(reader.schema), 'the fast decoder takes the schema');
  const decoder = new ArrowBatchDecoder(reader.schema);
  const batches: Batch[] = [];
  const messages: string[] = [];
  let rowId = 0;
  for (let m = await reader.next(); m !== null; m = await reader.next()) {
    if (m.kind === 'dictionary') {
      messages.push(m.header.isDelta ? 'delta' : 'dictionary');
      decoder.addDictionary(m.header, m.body);
      continue;
    }
    messages.push('batch');
    const b = decoder.decode(m.header, m.body, rowId);
    rowId += b.length;
    batches.push(b);
  }
  return { batches, messages };
}

/** A batch of a category column over `dictionary` (so batches can share one) and an integer column. */
function categoryBatch(dictionary: StringDictionary, values: ReadonlyArray<string | null>): Batch {
  const codes = new Int32Array(values.length);
  const valid = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => {
    codes[i] = v === null ? -1 : dictionary.code(v);
    if (v !== null) valid[i >> 3]! |= 1 << (i & 7);
  });
  const k = Int32Array.from(values, (_, i) => i * 10);
  return new Batch(
    Schema.from({ c: 'category', k: 'integer' }),
    [
      { type: 'category', codes, dictionary, validity: valid },
      { type: 'integer', values: k, validity: null },
    ],
    values.length,
  );
}

test("round trip through the project's Arrow reader: every type, missing values, NaN and ±Infinity, several batches", async () => {
  const out = new Capture();
  const w = new ArrowBatchWriter(out);
  const b = mixedBatch();
  const parts = [b, b.slice(1, 4), Batch.fromRows([], b.schema), b.slice(5)];
  for (const p of parts) await w.write(p);
  await w.close();
  assert.is(w.rows, 6 + 3 + 0 + 1);
  const { batches } = await readSluice(out.bytes);
  assert.equal(
    batches.map((x) => x.length),
    [6, 3, 0, 1],
  );
  assert.equal(
    batches.flatMap((x) => x.toRows()),
    parts.flatMap((x) => x.toRows()),
  );
  const first = batches[0]!;
  assert.equal(first.names, ['name', 'n', 'i', 'b', 't', 's']);
  assert.equal(
    first.schema.fields.map((f) => f.type),
    // The reader takes every dictionary-encoded string column for a category column.
    ['category', 'number', 'integer', 'boolean', 'datetime', 'category'],
  );
  // The end-of-stream marker closes the stream.
  assert.equal([...out.bytes.subarray(-8)], [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
});

test('a shared, growing dictionary is sent once and then as deltas; a new dictionary replaces it; apache-arrow reads it too', async () => {
  const out = new Capture();
  const w = new ArrowBatchWriter(out);
  const shared = new StringDictionary();
  const written: Batch[] = [];
  const put = async (b: Batch) => {
    written.push(b);
    await w.write(b);
  };
  await put(categoryBatch(shared, ['a', 'b', null, 'a']));
  await put(categoryBatch(shared, ['c', 'a']));
  await put(categoryBatch(shared, ['b']));
  const other = new StringDictionary(['z']);
  await put(categoryBatch(other, ['b', 'z', null]));
  await put(categoryBatch(other, ['q', 'z']));
  await w.close();
  const { batches, messages } = await readSluice(out.bytes);
  assert.equal(messages, ['dictionary', 'batch', 'delta', 'batch', 'batch', 'dictionary', 'batch', 'delta', 'batch']);
  const expected = written.flatMap((b) => b.toRows());
  assert.equal(
    batches.flatMap((b) => b.toRows()),
    expected,
  );
  // apache-arrow's own reader (replacements and deltas are part of the stream format).
  const table = arrow.tableFromIPC(out.bytes);
  assert.equal(
    [...table.getChild('c')!],
    expected.map((r) => r.c),
  );
  assert.equal(
    [...table.getChild('k')!],
    expected.map((r) => r.k),
  );
});

test('later batches keep the first schema: other names, order or types are a SchemaError; nullability may differ', async () => {
  const out = new Capture();
  const w = new ArrowBatchWriter(out);
  const required = new Schema([
    { name: 'a', type: 'number', nullable: false },
    { name: 'b', type: 'category', nullable: false },
  ]);
  await w.write(Batch.fromRows([{ a: 1, b: 'x' }], required));
  const cases: Array<[Batch, string, RegExp]> = [
    [Batch.fromRows([{ a: 'one', b: 'x' }]), 'a', /is category in this batch but was number in the first/],
    [Batch.fromRows([{ b: 'x', a: 1 }]), 'b', /column 1 of this batch but column 2/],
    [Batch.fromRows([{ a: 1 }]), 'b', /missing from this batch/],
  ];
  for (const [b, column, message] of cases) {
    try {
      await w.write(b);
      assert.unreachable('should throw');
    } catch (e) {
      assert.instance(e, SchemaError);
      assert.is((e as SchemaError).column, column);
      assert.match((e as Error).message, message);
    }
  }
  // The first batch's fields were not nullable; this one's are, and it has missing values: one stream still.
  await w.write(Batch.fromRows([{ a: null, b: null }], Schema.from({ a: 'number', b: 'category' })));
  await w.close();
  const { batches } = await readSluice(out.bytes);
  assert.equal(
    batches.flatMap((b) => b.toRows()),
    [
      { a: 1, b: 'x' },
      { a: null, b: null },
    ],
  );
});

test('a vector column is a SchemaError naming it, and nothing is written', async () => {
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
  const w = new ArrowBatchWriter(out);
  try {
    await w.write(new Batch(schema, [vec], 1));
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, SchemaError);
    assert.is((e as SchemaError).column, 'features');
  }
  await w.close();
  assert.is(out.bytes.length, 0);
});

test('backpressure: write waits for drain; close writes the end marker, waits for the flush and does not end a stream it was given', async () => {
  const out = new Capture(16);
  out.hold = true;
  const w = new ArrowBatchWriter(out);
  const p = w.write(mixedBatch());
  assert.is(await settled(p), false, 'write resolved while the stream was full');
  out.release();
  await p;
  const before = out.bytes.length;
  out.hold = true;
  const c = w.close();
  assert.is(await settled(c), false, 'close resolved before the data was flushed');
  out.release();
  await c;
  assert.is(out.bytes.length, before + 8);
  assert.is(out.writableEnded, false);
  // close again: the same outcome, nothing more written.
  await w.close();
  assert.is(out.bytes.length, before + 8);
});

test.run();
