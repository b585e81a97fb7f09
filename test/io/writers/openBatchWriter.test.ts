import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema, SchemaError, SpecError } from '../../../src/core/index.js';
import { ArrowBatchDecoder, ArrowIpcReader, openBatchWriter } from '../../../src/io/index.js';
import { Capture } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-writers-'));
let seq = 0;
/** A fresh empty folder per test, so a left-over file is seen. */
const folder = () => {
  const d = join(dir, `t${seq++}`);
  mkdirSync(d);
  return d;
};

test.after(() => rmSync(dir, { recursive: true, force: true }));

const rows = Batch.fromRows([
  { id: 1, label: 'a,b' },
  { id: 2, label: null },
]);

test('a path is written to <path>.tmp-<pid> and renamed on close', async () => {
  const d = folder();
  const path = join(d, 'out.csv');
  const w = openBatchWriter(path);
  await w.write(rows);
  assert.is(existsSync(path), false, 'the final name appears only on close');
  assert.equal(readdirSync(d), [`out.csv.tmp-${process.pid}`]);
  await w.close();
  assert.equal(readdirSync(d), ['out.csv']);
  assert.is(readFileSync(path, 'utf8'), 'id,label\n1,"a,b"\n2,\n');
  assert.is(w.rows, 2);
  // close again, and discard after close: no change.
  await w.close();
  await w.discard();
  assert.equal(readdirSync(d), ['out.csv']);
});

test('discard deletes the temporary file and leaves a file already under the final name as it was', async () => {
  const d = folder();
  const path = join(d, 'out.ndjson');
  writeFileSync(path, 'previous run\n');
  const w = openBatchWriter(path);
  await w.write(rows);
  await w.discard();
  assert.equal(readdirSync(d), ['out.ndjson']);
  assert.is(readFileSync(path, 'utf8'), 'previous run\n');
  await w.close();
  assert.is(readFileSync(path, 'utf8'), 'previous run\n', 'close after discard does not rename');
  // Discard before anything was written.
  const w2 = openBatchWriter(join(d, 'other.csv'));
  await w2.discard();
  assert.equal(readdirSync(d), ['out.ndjson']);
});

test('a failed write, then discard (what a failed run does): no file at all', async () => {
  const d = folder();
  const path = join(d, 'out.csv');
  const w = openBatchWriter(path);
  await w.write(rows);
  try {
    await w.write(Batch.fromRows([{ other: 1 }]));
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, SchemaError);
  }
  await w.discard();
  assert.equal(readdirSync(d), []);
});

test('format by extension: .tsv is tab-separated CSV, .jsonl NDJSON, .arrows an Arrow stream; an explicit format wins', async () => {
  const d = folder();
  const write = async (name: string, format?: 'csv' | 'ndjson' | 'arrow', delimiter?: string) => {
    const w = openBatchWriter(join(d, name), format, delimiter === undefined ? {} : { delimiter });
    await w.write(rows);
    await w.close();
    return readFileSync(join(d, name));
  };
  assert.is((await write('a.tsv')).toString(), 'id\tlabel\n1\ta,b\n2\t\n');
  assert.is((await write('b.TSV', undefined, ';')).toString(), 'id;label\n1;a,b\n2;\n');
  assert.is((await write('c.jsonl')).toString(), '{"id":1,"label":"a,b"}\n{"id":2,"label":null}\n');
  assert.is((await write('d.ndjson')).toString(), '{"id":1,"label":"a,b"}\n{"id":2,"label":null}\n');
  assert.is((await write('e.txt', 'csv')).toString(), 'id,label\n1,"a,b"\n2,\n');
  assert.is((await write('f.csv', 'ndjson')).toString(), '{"id":1,"label":"a,b"}\n{"id":2,"label":null}\n');
  for (const name of ['g.arrow', 'h.arrows', 'i.ipc', 'j.feather']) {
    const bytes = await write(name);
    // Stream format: a continuation marker first, the end-of-stream marker last.
    assert.equal([...bytes.subarray(0, 4)], [0xff, 0xff, 0xff, 0xff], name);
    assert.equal([...bytes.subarray(-8)], [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], name);
  }
});

test("an Arrow file reads back through the project's file reader", async () => {
  const d = folder();
  const path = join(d, 'out.arrow');
  const w = openBatchWriter(path);
  await w.write(rows);
  await w.write(rows.slice(1));
  await w.close();
  const fh = await open(path, 'r');
  try {
    const reader = await ArrowIpcReader.fromFile(fh, (await fh.stat()).size);
    const decoder = new ArrowBatchDecoder(reader.schema);
    const got: unknown[] = [];
    for (let m = await reader.next(); m !== null; m = await reader.next()) {
      if (m.kind === 'dictionary') decoder.addDictionary(m.header, m.body);
      else got.push(...decoder.decode(m.header, m.body, 0).toRows());
    }
    assert.equal(got, [...rows.toRows(), ...rows.slice(1).toRows()]);
  } finally {
    await fh.close();
  }
});

test('an unknown extension without a format is a SpecError on --out naming the known ones; nothing is created', () => {
  const d = folder();
  for (const name of ['out.txt', 'out', 'out.csv.gz']) {
    try {
      openBatchWriter(join(d, name));
      assert.unreachable('should throw');
    } catch (e) {
      assert.instance(e, SpecError);
      assert.is((e as SpecError).path, '--out');
      assert.match((e as Error).message, /known extensions are \.csv, \.tsv, \.ndjson, \.jsonl, \.arrow, \.arrows, \.ipc, \.feather/);
    }
  }
  assert.throws(
    () => openBatchWriter(join(d, 'x.csv'), 'parquet' as 'csv'),
    (e: unknown) => e instanceof SpecError && e.path === '--format',
  );
  assert.equal(readdirSync(d), []);
});

test('a path in a missing folder, or a folder, is a SpecError at open; a bad delimiter leaves no file', () => {
  const d = folder();
  assert.throws(
    () => openBatchWriter(join(d, 'no', 'such', 'out.csv')),
    (e: unknown) => e instanceof SpecError && e.path === '--out' && /cannot create/.test(e.message),
  );
  mkdirSync(join(d, 'sub.csv'));
  assert.throws(
    () => openBatchWriter(join(d, 'sub.csv')),
    (e: unknown) => e instanceof SpecError && /is a directory/.test(e.message),
  );
  assert.throws(
    () => openBatchWriter(join(d, 'x.csv'), 'csv', { delimiter: '"' }),
    (e: unknown) => e instanceof SpecError && e.path === 'delimiter',
  );
  assert.equal(readdirSync(d), ['sub.csv']);
});

test('a stream target: CSV by default, the format when given; close flushes but never ends the stream', async () => {
  const out = new Capture();
  const w = openBatchWriter(out);
  await w.write(rows);
  await w.close();
  assert.is(out.text, 'id,label\n1,"a,b"\n2,\n');
  assert.is(out.writableEnded, false);
  const out2 = new Capture();
  const w2 = openBatchWriter(out2, 'ndjson');
  await w2.write(rows);
  await w2.discard();
  assert.is(out2.text, '{"id":1,"label":"a,b"}\n{"id":2,"label":null}\n');
  assert.is(out2.writableEnded, false);
  const out3 = new Capture();
  const w3 = openBatchWriter(out3, 'csv', { delimiter: '|' });
  await w3.write(new Batch(Schema.from({ a: 'integer' }), [{ type: 'integer', values: Int32Array.of(7), validity: null }], 1));
  await w3.close();
  assert.is(out3.text, 'a\n7\n');
});

test.run();
