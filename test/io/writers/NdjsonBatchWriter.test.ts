import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema } from '../../../src/core/index.js';
import { NdjsonBatchWriter } from '../../../src/io/index.js';
import { Capture, mixedBatch, settled } from './helpers.js';

test('exact text: one object per row, keys in column order, null for missing/NaN/±Infinity, ISO datetimes, escaped strings', async () => {
  const out = new Capture();
  const w = new NdjsonBatchWriter(out);
  await w.write(mixedBatch());
  await w.close();
  assert.is(
    out.text,
    [
      '{"name":"plain","n":1.5,"i":3,"b":true,"t":"2024-01-02T03:04:05.678Z","s":"a,b"}',
      '{"name":null,"n":null,"i":null,"b":false,"t":null,"s":"say \\"hi\\""}',
      '{"name":" pad","n":null,"i":-7,"b":null,"t":"1970-01-01T00:00:00.000Z","s":"line\\nbreak"}',
      '{"name":"x","n":0.30000000000000004,"i":2147483647,"b":true,"t":"1969-12-31T23:59:59.999Z","s":"cr\\rhere"}',
      '{"name":"tail ","n":-0.000001,"i":0,"b":false,"t":"2024-01-02T03:04:05.678Z","s":""}',
      '{"name":"δέλτα","n":1e+21,"i":-2147483648,"b":true,"t":"2024-01-02T03:04:05.678Z","s":null}',
      '',
    ].join('\n'),
  );
  assert.is(w.rows, 6);
});

test('every line parses as JSON and gives the batch values back (datetimes as ISO strings)', async () => {
  const out = new Capture();
  const w = new NdjsonBatchWriter(out);
  const b = mixedBatch();
  await w.write(b);
  await w.write(b.slice(1, 3));
  await w.close();
  const lines = out.text.trimEnd().split('\n');
  assert.is(lines.length, 8);
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const expected = [...b.toRows(), ...b.slice(1, 3).toRows()].map((r) => ({
    ...r,
    n: typeof r.n === 'number' && Number.isFinite(r.n) ? r.n : null,
    t: r.t === null ? null : new Date(r.t as number).toISOString(),
  }));
  assert.equal(parsed, expected);
  for (const p of parsed) assert.equal(Object.keys(p), ['name', 'n', 'i', 'b', 't', 's']);
});

test('a vector is an object of its slots, summed like Batch.value; a missing vector is null', async () => {
  const schema = new Schema([
    { name: 'id', type: 'integer', nullable: true },
    { name: 'v', type: 'vector', nullable: true },
  ]);
  // Row 0: slots 2 and 0 (slot 2 twice, summed); row 1: missing; row 2: empty.
  const v = {
    type: 'vector' as const,
    width: 4,
    indptr: Int32Array.of(0, 3, 3, 3),
    indices: Int32Array.of(2, 0, 2),
    values: Float32Array.of(0.5, 1, 0.25),
    names: null,
    validity: Uint8Array.of(0b101),
  };
  const b = new Batch(schema, [{ type: 'integer', values: Int32Array.of(1, 2, 3), validity: null }, v], 3);
  const out = new Capture();
  const w = new NdjsonBatchWriter(out);
  await w.write(b);
  await w.close();
  assert.is(out.text, '{"id":1,"v":{"0":1,"2":0.75}}\n{"id":2,"v":null}\n{"id":3,"v":{}}\n');
  assert.equal(JSON.parse(out.text.split('\n')[0]!).v, b.value('v', 0));
});

test('batches need not share columns (each line stands alone); a batch without columns writes {} per row', async () => {
  const out = new Capture();
  const w = new NdjsonBatchWriter(out);
  await w.write(Batch.fromRows([{ a: 1 }]));
  await w.write(Batch.fromRows([{ b: 'x', a: 2 }]));
  await w.write(new Batch(new Schema([]), [], 2));
  await w.close();
  assert.is(out.text, '{"a":1}\n{"b":"x","a":2}\n{}\n{}\n');
  assert.is(w.rows, 4);
});

test('backpressure: write waits for drain; close waits for the flush and does not end a stream it was given', async () => {
  const out = new Capture(16);
  out.hold = true;
  const w = new NdjsonBatchWriter(out);
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
  assert.is(out.text.split('\n').length, 7);
});

test('discard stops the writer: later writes throw and nothing more reaches the stream', async () => {
  const out = new Capture();
  const w = new NdjsonBatchWriter(out);
  await w.write(Batch.fromRows([{ a: 1 }]));
  await w.discard();
  await w.close();
  try {
    await w.write(Batch.fromRows([{ a: 2 }]));
    assert.unreachable('write after discard');
  } catch (e) {
    assert.match((e as Error).message, /after close or discard/);
  }
  assert.is(out.text, '{"a":1}\n');
  assert.is(out.writableEnded, false);
});

test.run();
