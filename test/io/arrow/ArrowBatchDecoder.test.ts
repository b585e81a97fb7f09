import { mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Batch, batchFromArrow, type StringDictionary } from '../../../src/core/index.js';
import { ArrowBatchDecoder, ArrowIpcReader } from '../../../src/io/index.js';
import { fromArrowIpc } from '../../../src/operators/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-arrow-dec-'));
const N = 3000;
const words = ['alpha', 'beta', 'gamma', 'δέλτα', ''];

/** Every flat type the decoder reads, with nulls in most columns, cut into record batches of uneven sizes. */
function wide(): arrow.Table {
  const idx = Array.from({ length: N }, (_, i) => i);
  const nul = <T>(i: number, m: number, v: T) => (i % m === 0 ? null : v);
  const t = new arrow.Table({
    f64: arrow.vectorFromArray(
      idx.map((i) => nul(i, 7, i * 0.25 - 100)),
      new arrow.Float64(),
    ),
    f32: arrow.vectorFromArray(
      idx.map((i) => nul(i, 9, i / 8)),
      new arrow.Float32(),
    ),
    i8: arrow.vectorFromArray(
      idx.map((i) => nul(i, 5, (i % 250) - 125)),
      new arrow.Int8(),
    ),
    i16: arrow.vectorFromArray(
      idx.map((i) => (i % 30000) - 15000),
      new arrow.Int16(),
    ),
    i32: arrow.vectorFromArray(
      idx.map((i) => nul(i, 4, i * 1000 - 7)),
      new arrow.Int32(),
    ),
    u8: arrow.vectorFromArray(
      idx.map((i) => i % 256),
      new arrow.Uint8(),
    ),
    u16: arrow.vectorFromArray(
      idx.map((i) => nul(i, 3, i * 20)),
      new arrow.Uint16(),
    ),
    u32: arrow.vectorFromArray(
      idx.map((i) => nul(i, 6, 4_000_000_000 + i)),
      new arrow.Uint32(),
    ),
    i64: arrow.vectorFromArray(
      idx.map((i) => nul(i, 8, BigInt(i) * 10_000_000_000n - 5n)),
      new arrow.Int64(),
    ),
    u64: arrow.vectorFromArray(
      idx.map((i) => BigInt(i) * 3_000_000_000n),
      new arrow.Uint64(),
    ),
    flag: arrow.vectorFromArray(
      idx.map((i) => nul(i, 10, i % 3 === 0)),
      new arrow.Bool(),
    ),
    tsms: arrow.vectorFromArray(
      idx.map((i) => nul(i, 11, new Date(Date.UTC(1969, 11, 31) + i * 3_600_000))),
      new arrow.TimestampMillisecond(),
    ),
    tsus: arrow.vectorFromArray(
      idx.map((i) => new Date(Date.UTC(2024, 1, 29) + i * 1000)),
      new arrow.TimestampMicrosecond(),
    ),
    day: arrow.vectorFromArray(
      idx.map((i) => nul(i, 12, new Date(Date.UTC(2000, 0, 1) + i * 86_400_000))),
      new arrow.DateDay(),
    ),
    dms: arrow.vectorFromArray(
      idx.map((i) => new Date(Date.UTC(2020, 0, 1) + i * 60_000)),
      new arrow.DateMillisecond(),
    ),
    text: arrow.vectorFromArray(
      idx.map((i) => nul(i, 13, words[i % words.length]!)),
      new arrow.Utf8(),
    ),
    cat32: arrow.vectorFromArray(
      idx.map((i) => nul(i, 14, `c${i % 17}`)),
      new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
    ),
    cat8: arrow.vectorFromArray(
      idx.map((i) => words[(i * 7) % words.length]!),
      new arrow.Dictionary(new arrow.Utf8(), new arrow.Int8()),
    ),
    cat16: arrow.vectorFromArray(
      idx.map((i) => nul(i, 2, `k${i % 300}`)),
      new arrow.Dictionary(new arrow.Utf8(), new arrow.Uint16()),
    ),
  });
  const rb = t.batches[0]!;
  return new arrow.Table([rb.slice(0, 1000), rb.slice(1000, 1001), rb.slice(1001, 2500), rb.slice(2500, N)]);
}

/** apache-arrow's reading of the same bytes, converted by core's batchFromArrow: the reference. */
function reference(bytes: Uint8Array): Record<string, unknown>[] {
  const dictionaries = new Map<string, StringDictionary>();
  let first = 0;
  return arrow.tableFromIPC(bytes).batches.flatMap((rb) => {
    const b = batchFromArrow(rb, { firstRowId: first, dictionaries });
    first += rb.numRows;
    return b.toRows();
  });
}

async function viaSource(p: string): Promise<Batch[]> {
  return lastValueFrom(fromArrowIpc(p).pipe(toArray()));
}

for (const format of ['file', 'stream'] as const) {
  test(`${format} format: every value and type identical to apache-arrow's reading`, async () => {
    const bytes = arrow.tableToIPC(wide(), format);
    const p = join(dir, `wide.${format}.arrow`);
    writeFileSync(p, bytes);
    const fh = await open(p, 'r');
    try {
      const reader = await ArrowIpcReader.fromFile(fh, bytes.length);
      assert.is(reader.format, format);
      assert.ok(ArrowBatchDecoder.supports(reader.schema), 'the decoder path is the one under test');
    } finally {
      await fh.close();
    }
    const bs = await viaSource(p);
    const ref = reference(bytes);
    const rows = bs.flatMap((b) => b.toRows());
    assert.is(rows.length, N);
    for (let i = 0; i < N; i++) assert.equal(rows[i], ref[i], `row ${i}`);
    const refTypes = batchFromArrow(arrow.tableFromIPC(bytes).batches[0]!).schema.fields.map((f) => [f.name, f.type]);
    assert.equal(
      bs[0]!.schema.fields.map((f) => [f.name, f.type]),
      refTypes,
    );
    assert.equal(
      [...bs.flatMap((b) => [...b.rowIds])],
      Array.from({ length: N }, (_, i) => i),
    );
    // One dictionary per category column across batches, with nulls as code -1.
    const cat = bs.map((b) => b.column('cat32'));
    assert.is(new Set(cat.map((c) => ('dictionary' in c ? c.dictionary : null))).size, 1);
    const c0 = cat[0]!;
    assert.ok('codes' in c0 && c0.codes[0] === -1 && c0.codes[14] === -1);
  });
}

test('stream read in 7-byte chunks, with a replaced dictionary between record batches', async () => {
  const mk = (vals: Array<string | null>, xs: number[]) =>
    new arrow.Table({
      city: arrow.vectorFromArray(vals, new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
      x: arrow.vectorFromArray(xs, new arrow.Float64()),
    }).batches[0]!;
  const b1 = mk(['Oslo', 'Lima', null, 'Oslo'], [1, 2, 3, 4]);
  const other = mk(['Pune', 'Lima', 'Pune'], [5, 6, 7]);
  // Restamped with b1's types (same dictionary id), keeping its own dictionary: the writer then sends a replacement.
  const s = b1.schema;
  const children = other.data.children.map((c, k) =>
    arrow.makeData({ ...c, type: s.fields[k]!.type, nullBitmap: c.nullBitmap, data: c.values, dictionary: c.dictionary } as never),
  );
  const b2 = new arrow.RecordBatch(s, arrow.makeData({ type: new arrow.Struct(s.fields), length: other.numRows, nullCount: 0, children }));
  const bytes = arrow.tableToIPC(new arrow.Table([b1, b2]), 'stream');
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += 7) yield bytes.slice(i, i + 7);
  }
  const reader = await ArrowIpcReader.fromStream(chunks());
  const dictionaries = new Map<string, StringDictionary>();
  const dec = new ArrowBatchDecoder(reader.schema, dictionaries);
  const rows: Record<string, unknown>[] = [];
  let dicts = 0;
  for (let m = await reader.next(), at = 0; m !== null; m = await reader.next()) {
    if (m.kind === 'dictionary') {
      dicts++;
      dec.addDictionary(m.header, m.body);
      continue;
    }
    const b = dec.decode(m.header, m.body, at);
    at += b.length;
    rows.push(...b.toRows());
  }
  assert.is(dicts, 2, 'the second batch replaced the dictionary');
  assert.equal(rows, reference(bytes));
  assert.equal(
    rows.map((r) => r.city),
    ['Oslo', 'Lima', null, 'Oslo', 'Pune', 'Lima', 'Pune'],
  );
  assert.equal(dictionaries.get('city')!.values, ['Oslo', 'Lima', 'Pune']);
});

for (const format of ['file', 'stream'] as const) {
  test(`${format} format: a schema the decoder does not read (half floats) falls back to apache-arrow`, async () => {
    const t = new arrow.Table({
      h: arrow.vectorFromArray([0.5, null, 2, -1.25], new arrow.Float16()),
      k: arrow.vectorFromArray(['a', 'b', 'a', null], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
    });
    const bytes = arrow.tableToIPC(t, format);
    const p = join(dir, `half.${format}.arrow`);
    writeFileSync(p, bytes);
    const fh = await open(p, 'r');
    try {
      assert.not.ok(ArrowBatchDecoder.supports((await ArrowIpcReader.fromFile(fh, bytes.length)).schema));
    } finally {
      await fh.close();
    }
    const rows = (await viaSource(p)).flatMap((b) => b.toRows());
    assert.equal(rows, [
      { h: 0.5, k: 'a' },
      { h: null, k: 'b' },
      { h: 2, k: 'a' },
      { h: -1.25, k: null },
    ]);
  });
}

test('truncated file and stream are errors naming the path', async () => {
  const bytes = arrow.tableToIPC(wide(), 'stream');
  const p = join(dir, 'cut.arrow');
  writeFileSync(p, bytes.subarray(0, Math.floor(bytes.length / 2)));
  try {
    await viaSource(p);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /cut\.arrow/);
    assert.match((e as Error).message, /truncated/);
  }
  const fileBytes = arrow.tableToIPC(wide(), 'file');
  const q = join(dir, 'cutfile.arrow');
  writeFileSync(q, fileBytes.subarray(0, fileBytes.length - 100));
  try {
    await viaSource(q);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /cutfile\.arrow/);
  }
});

test.run();
