import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Batch, SourceError, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { fromArrowIpc } from '../../../src/operators/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-arrow-'));
const N = 2500;
const cities = ['Oslo', 'Lima', 'Pune'];

/** Three record batches (1000, 1000, 500 rows) with nulls, a dictionary column, timestamps. */
function table(): arrow.Table {
  const idx = Array.from({ length: N }, (_, i) => i);
  const t = new arrow.Table({
    x: arrow.vectorFromArray(
      idx.map((i) => (i % 7 === 0 ? null : i * 0.5)),
      new arrow.Float64(),
    ),
    k: arrow.vectorFromArray(
      idx.map((i) => i),
      new arrow.Int32(),
    ),
    city: arrow.vectorFromArray(
      idx.map((i) => (i % 11 === 0 ? null : cities[(i + Math.floor(i / 1000)) % 3]!)),
      new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
    ),
    name: arrow.vectorFromArray(
      idx.map((i) => `n${i % 5}`),
      new arrow.Utf8(),
    ),
    at: arrow.vectorFromArray(
      idx.map((i) => (i % 13 === 0 ? null : new Date(Date.UTC(2024, 0, 1) + i * 60_000))),
      new arrow.TimestampMillisecond(),
    ),
    flag: arrow.vectorFromArray(
      idx.map((i) => i % 2 === 0),
      new arrow.Bool(),
    ),
  });
  const rb = t.batches[0]!;
  return new arrow.Table([rb.slice(0, 1000), rb.slice(1000, 2000), rb.slice(2000, N)]);
}

function expected(i: number) {
  return {
    x: i % 7 === 0 ? null : i * 0.5,
    k: i,
    city: i % 11 === 0 ? null : cities[(i + Math.floor(i / 1000)) % 3]!,
    name: `n${i % 5}`,
    at: i % 13 === 0 ? null : Date.UTC(2024, 0, 1) + i * 60_000,
    flag: i % 2 === 0,
  };
}

for (const format of ['file', 'stream'] as const) {
  test(`${format} format: batch by batch, values, nulls, types, stable codes, rowIds`, async () => {
    const p = join(dir, `t.${format}.arrow`);
    writeFileSync(p, arrow.tableToIPC(table(), format));
    const telemetry = new Telemetry();
    const ev: TelemetryEvent[] = [];
    const sub = telemetry.events$.subscribe((e) => ev.push(e));
    const bs = await lastValueFrom(fromArrowIpc(p, { telemetry, batchSize: 600 }).pipe(toArray()));
    sub.unsubscribe();
    // 1000 → 600 + 400, 1000 → 600 + 400, 500.
    assert.equal(
      bs.map((b) => b.length),
      [600, 400, 600, 400, 500],
    );
    assert.equal(
      bs[0]!.schema.fields.map((f) => [f.name, f.type]),
      [
        ['x', 'number'],
        ['k', 'integer'],
        ['city', 'category'],
        ['name', 'category'],
        ['at', 'datetime'],
        ['flag', 'boolean'],
      ],
    );
    const rows = bs.flatMap((b) => b.toRows());
    assert.is(rows.length, N);
    for (const i of [0, 1, 7, 11, 13, 999, 1000, 1001, 1599, 2002, 2499]) assert.equal(rows[i], expected(i), `row ${i}`);
    assert.equal([...bs[3]!.rowIds.subarray(0, 3)], [1600, 1601, 1602]);
    const dicts = new Set(
      bs.map((b) => {
        const c = b.column('city');
        return 'dictionary' in c ? c.dictionary : null;
      }),
    );
    assert.is(dicts.size, 1);
    const acc = ev.filter((e) => e.type === 'account');
    assert.is(acc.length, 1);
    if (acc[0]?.type === 'account') {
      assert.is(acc[0].read, N);
      assert.is(acc[0].passed, N);
      assert.is(acc[0].skipped, 0);
    }
    assert.ok(ev.some((e) => e.type === 'progress' && e.done && e.rows === N));
    assert.ok(Math.max(...ev.filter((e) => e.type === 'queue').map((e) => (e.type === 'queue' ? e.depth : 0))) <= 4);
  });
}

test('time units: seconds, micro, nano, date day and ms, before 1970, nulls', async () => {
  const ms = [Date.UTC(1969, 6, 20, 20, 17), null, Date.UTC(2024, 1, 29, 12), 0, Date.UTC(1900, 0, 1)];
  const day = (x: number | null) => (x === null ? null : Math.floor(x / 86_400_000) * 86_400_000);
  const t = new arrow.Table({
    s: arrow.vectorFromArray(
      ms.map((x) => (x === null ? null : new Date(x))),
      new arrow.TimestampSecond(),
    ),
    us: arrow.vectorFromArray(
      ms.map((x) => (x === null ? null : new Date(x))),
      new arrow.TimestampMicrosecond(),
    ),
    ns: arrow.vectorFromArray(
      ms.map((x) => (x === null ? null : new Date(x))),
      new arrow.TimestampNanosecond(),
    ),
    d: arrow.vectorFromArray(
      ms.map((x) => (x === null ? null : new Date(day(x)!))),
      new arrow.DateDay(),
    ),
    dms: arrow.vectorFromArray(
      ms.map((x) => (x === null ? null : new Date(x))),
      new arrow.DateMillisecond(),
    ),
    v: arrow.vectorFromArray([1, 2, 3, 4, 5], new arrow.Int32()),
  });
  const p = join(dir, 'times.arrow');
  writeFileSync(p, arrow.tableToIPC(t, 'file'));
  const rows = (await lastValueFrom(fromArrowIpc(p).pipe(toArray()))).flatMap((b) => b.toRows());
  assert.equal(
    rows,
    ms.map((x, i) => ({ s: x, us: x, ns: x, d: day(x), dms: x, v: i + 1 })),
  );
});

test('vega-datasets flights-200k.arrow', async () => {
  const bs: Batch[] = await lastValueFrom(fromArrowIpc('node_modules/vega-datasets/data/flights-200k.arrow').pipe(toArray()));
  assert.is(
    bs.reduce((n, b) => n + b.length, 0),
    200_000,
  );
  assert.ok(bs.length > 1, 'the single record batch is cut to batchSize');
  assert.equal(
    bs[0]!.schema.fields.map((f) => [f.name, f.type]),
    [
      ['delay', 'integer'],
      ['distance', 'integer'],
      ['time', 'number'],
    ],
  );
  const last = bs.at(-1)!;
  assert.is(last.rowIds[last.length - 1], 199_999);
  const d = bs[0]!.column('distance');
  assert.ok(d.type === 'integer' && d.values.every((v) => v > 0));
});

test('missing file and non-Arrow file are SourceErrors naming the path', async () => {
  try {
    await lastValueFrom(fromArrowIpc(join(dir, 'none.arrow')));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, /none\.arrow: no such file/);
  }
  const p = join(dir, 'junk.arrow');
  writeFileSync(p, 'this is not arrow at all, just text padding it out');
  try {
    await lastValueFrom(fromArrowIpc(p));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, /junk\.arrow/);
  }
});

test.run();
