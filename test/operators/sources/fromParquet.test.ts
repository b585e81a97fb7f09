import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import * as pw from 'parquet-wasm';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Batch, SchemaError, SourceError, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { fromParquet } from '../../../src/operators/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-parquet-'));
const N = 1000;
const GROUP = 300;
const words = ['alpha', 'beta', 'gamma', 'delta'];
const t0 = Date.UTC(2023, 5, 1);

function expected(i: number) {
  return {
    d: i % 9 === 0 ? null : i / 4,
    f: Math.fround(i + 0.25),
    i32: i % 10 === 3 ? null : i - 500,
    small64: i * 3,
    big64: i % 5 === 0 ? null : 5_000_000_000 + i,
    s: i % 6 === 1 ? null : words[i % 4]!,
    ts: i % 8 === 2 ? null : t0 + i * 3_600_000,
    day: Date.UTC(2020, 0, 1) + (i % 30) * 86_400_000,
    b: i % 7 === 4 ? null : i % 3 === 0,
  };
}

function ipc(): Uint8Array {
  const idx = Array.from({ length: N }, (_, i) => i);
  const e = idx.map(expected);
  const t = new arrow.Table({
    d: arrow.vectorFromArray(
      e.map((r) => r.d),
      new arrow.Float64(),
    ),
    f: arrow.vectorFromArray(
      e.map((r) => r.f),
      new arrow.Float32(),
    ),
    i32: arrow.vectorFromArray(
      e.map((r) => r.i32),
      new arrow.Int32(),
    ),
    small64: arrow.vectorFromArray(
      e.map((r) => BigInt(r.small64)),
      new arrow.Int64(),
    ),
    big64: arrow.vectorFromArray(
      e.map((r) => (r.big64 === null ? null : BigInt(r.big64))),
      new arrow.Int64(),
    ),
    s: arrow.vectorFromArray(
      e.map((r) => r.s),
      new arrow.Utf8(),
    ),
    ts: arrow.vectorFromArray(
      e.map((r) => (r.ts === null ? null : new Date(r.ts))),
      new arrow.TimestampMillisecond(),
    ),
    day: arrow.vectorFromArray(
      e.map((r) => new Date(r.day)),
      new arrow.DateDay(),
    ),
    b: arrow.vectorFromArray(
      e.map((r) => r.b),
      new arrow.Bool(),
    ),
  });
  return arrow.tableToIPC(t, 'stream');
}

const codecs = [
  ['SNAPPY', pw.Compression.SNAPPY],
  ['ZSTD', pw.Compression.ZSTD],
  ['GZIP', pw.Compression.GZIP],
] as const;
const files = new Map<string, string>();
for (const [name, codec] of codecs) {
  const p = join(dir, `t.${name.toLowerCase()}.parquet`);
  const props = new pw.WriterPropertiesBuilder().setCompression(codec).setMaxRowGroupSize(GROUP).build();
  writeFileSync(p, pw.writeParquet(pw.Table.fromIPCStream(ipc()), props));
  files.set(name, p);
}

for (const [name] of codecs) {
  test(`${name}: several row groups, types, nulls, values as written`, async () => {
    const p = files.get(name)!;
    const md = await parquetMetadataAsync(await asyncBufferFromFile(p));
    assert.is(md.row_groups.length, 4);
    assert.is(md.row_groups[0]!.columns[0]!.meta_data!.codec, name);
    const telemetry = new Telemetry();
    const ev: TelemetryEvent[] = [];
    const sub = telemetry.events$.subscribe((x) => ev.push(x));
    const bs: Batch[] = await lastValueFrom(fromParquet(p, { telemetry, batchSize: 200 }).pipe(toArray()));
    sub.unsubscribe();
    // Row groups 300, 300, 300, 100, each cut at 200 rows.
    assert.equal(
      bs.map((b) => b.length),
      [200, 100, 200, 100, 200, 100, 100],
    );
    assert.equal(
      bs[0]!.schema.fields.map((f) => [f.name, f.type]),
      [
        ['d', 'number'],
        ['f', 'number'],
        ['i32', 'integer'],
        ['small64', 'integer'],
        ['big64', 'number'],
        ['s', 'category'],
        ['ts', 'datetime'],
        ['day', 'datetime'],
        ['b', 'boolean'],
      ],
    );
    const rows = bs.flatMap((b) => b.toRows());
    assert.is(rows.length, N);
    for (let i = 0; i < N; i++) assert.equal(rows[i], expected(i), `row ${i}`);
    assert.equal([...bs[3]!.rowIds.subarray(0, 2)], [500, 501]);
    const dicts = new Set(
      bs.map((b) => {
        const c = b.column('s');
        return 'dictionary' in c ? c.dictionary : null;
      }),
    );
    assert.is(dicts.size, 1);
    const acc = ev.filter((x) => x.type === 'account');
    assert.is(acc.length, 1);
    if (acc[0]?.type === 'account') {
      assert.is(acc[0].read, N);
      assert.is(acc[0].passed, N);
    }
    const last = ev.filter((x) => x.type === 'progress').at(-1);
    assert.ok(last?.type === 'progress' && last.done && last.rows === N && last.totalRows === N);
  });
}

test('columns selects and orders; unknown column is a SchemaError; missing file a SourceError', async () => {
  const p = files.get('SNAPPY')!;
  const bs = await lastValueFrom(fromParquet(p, { columns: ['s', 'd'] }).pipe(toArray()));
  assert.equal(bs[0]!.names, ['s', 'd']);
  assert.equal(bs.flatMap((b) => b.toRows())[10], { s: expected(10).s, d: expected(10).d });
  try {
    await lastValueFrom(fromParquet(p, { columns: ['nope'] }));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SchemaError);
    assert.match((e as Error).message, /nope/);
  }
  try {
    await lastValueFrom(fromParquet(join(dir, 'none.parquet')));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, /none\.parquet: no such file/);
  }
});

test.run();
