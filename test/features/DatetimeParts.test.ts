import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DatetimeParts } from '../../src/features/index.js';
import { Batch, Schema } from '../../src/index.js';

test('UTC parts from datetime values, with missing', () => {
  // 2024-03-10T01:30:00Z is a Sunday; 2023-12-31T23:59Z a Sunday too, day 365.
  const b = Batch.fromRows([{ d: Date.UTC(2024, 2, 10, 1, 30) }, { d: null }, { d: Date.UTC(2023, 11, 31, 23, 59) }], Schema.from({ d: 'datetime' }));
  const t = new DatetimeParts({ column: 'd', parts: ['year', 'month', 'dayOfMonth', 'dayOfWeek', 'dayOfYear', 'hour', 'minute'] });
  const out = t.apply(b).toRows();
  assert.equal(out[0], { d_year: 2024, d_month: 3, d_dayOfMonth: 10, d_dayOfWeek: 0, d_dayOfYear: 70, d_hour: 1, d_minute: 30 });
  assert.equal(out[1], { d_year: null, d_month: null, d_dayOfMonth: null, d_dayOfWeek: null, d_dayOfYear: null, d_hour: null, d_minute: null });
  assert.equal(out[2], { d_year: 2023, d_month: 12, d_dayOfMonth: 31, d_dayOfWeek: 0, d_dayOfYear: 365, d_hour: 23, d_minute: 59 });
});

test('explicit time zone across a DST change, from ISO strings and epoch seconds', () => {
  // US DST began 2024-03-10 at 02:00 local: 06:30Z is 01:30 EST, 07:30Z is 03:30 EDT.
  const s = Batch.fromRows(
    [{ d: '2024-03-10T06:30:00Z' }, { d: '2024-03-10T07:30:00Z' }, { d: '' }, { d: '2024-07-04 12:00:00+02:00' }],
    Schema.from({ d: 'category' }),
  );
  const t = new DatetimeParts({ column: 'd', parts: ['hour', 'dayOfMonth'], timeZone: 'America/New_York', keep: true });
  assert.equal(
    t
      .apply(s)
      .toRows()
      .map((r) => [r.d_hour, r.d_dayOfMonth]),
    [
      [1, 10],
      [3, 10],
      [null, null],
      [6, 4],
    ],
  );
  const e = Batch.fromRows([{ d: Date.UTC(2024, 0, 1, 23) / 1000 }], Schema.from({ d: 'number' }));
  const tokyo = new DatetimeParts({ column: 'd', parts: ['dayOfMonth', 'hour'], unit: 's', timeZone: 'Asia/Tokyo' });
  assert.equal(tokyo.apply(e).toRows(), [{ d_dayOfMonth: 2, d_hour: 8 }]);
});

test('cyclic encodings', () => {
  const b = Batch.fromRows([{ d: Date.UTC(2024, 0, 1, 6) }, { d: Date.UTC(2024, 0, 1, 18) }], Schema.from({ d: 'datetime' }));
  const out = new DatetimeParts({ column: 'd', parts: ['hour'], encoding: 'cyclic' }).apply(b).toRows();
  assert.equal(Object.keys(out[0]!), ['d_hour_sin', 'd_hour_cos']);
  assert.ok(Math.abs((out[0]!.d_hour_sin as number) - 1) < 1e-12 && Math.abs(out[0]!.d_hour_cos as number) < 1e-12);
  assert.ok(Math.abs((out[1]!.d_hour_sin as number) + 1) < 1e-12);
});

test('invalid strings are bad rows; options are checked', () => {
  const b = Batch.fromRows([{ d: 'yesterday' }], Schema.from({ d: 'category' }));
  assert.throws(() => new DatetimeParts({ column: 'd', parts: ['hour'] }).apply(b), /datetimeParts:0:1: column "d" value "yesterday": date/);
  assert.equal(new DatetimeParts({ column: 'd', parts: ['hour'], invalid: 'missing' }).apply(b).toRows(), [{ d_hour: null }]);
  assert.throws(() => new DatetimeParts({ column: 'd', parts: ['hour'], timeZone: 'Mars/Olympus' }), /datetimeParts\.timeZone/);
  assert.throws(() => new DatetimeParts({ column: 'd', parts: ['weekday' as never] }), /datetimeParts\.parts\[0\]/);
  const t = new DatetimeParts({ column: 'd', parts: ['month'], timeZone: 'Europe/Paris' });
  assert.equal(DatetimeParts.fromJSON(JSON.parse(JSON.stringify(t.toJSON()))).toJSON(), t.toJSON());
});

test('hour, minute and dayOfWeek computed together equal each computed alone (pre-1970, fractional ms, missing, bitmap)', () => {
  const vals = [
    Date.UTC(2024, 2, 10, 1, 30),
    -1,
    -86_400_000.5,
    Date.UTC(1969, 11, 31, 23, 59, 59, 999),
    1.5,
    Date.UTC(2000, 1, 29, 12),
    Date.UTC(1901, 0, 1, 0, 0, 0, 1),
  ];
  const b = Batch.fromRows(
    vals.map((d) => ({ d })),
    Schema.from({ d: 'datetime' }),
  );
  const parts = ['hour', 'minute', 'dayOfWeek'] as const;
  const together = new DatetimeParts({ column: 'd', parts: [...parts] }).apply(b).toRows();
  for (const p of parts) {
    const alone = new DatetimeParts({ column: 'd', parts: [p] }).apply(b).toRows();
    assert.equal(
      together.map((r) => r[`d_${p}`]),
      alone.map((r) => r[`d_${p}`]),
      p,
    );
  }
  assert.equal(together[1], { d_hour: 23, d_minute: 59, d_dayOfWeek: 3 }, '1969-12-31T23:59:59.999Z, a Wednesday');
  // The same instants with an all-present bitmap (the copying path), and with one missing.
  const c = b.column('d') as { type: 'datetime'; values: Float64Array; validity: Uint8Array | null };
  const t = new DatetimeParts({ column: 'd', parts: [...parts] });
  assert.equal(t.apply(b.withColumn('d', { type: 'datetime', values: c.values, validity: new Uint8Array([0x7f]) })).toRows(), together);
  const missing = t
    .apply(b.withColumn('d', { type: 'datetime', values: Float64Array.from(c.values, (x, i) => (i === 2 ? NaN : x)), validity: new Uint8Array([0x7b]) }))
    .toRows();
  assert.equal(missing[2], { d_hour: null, d_minute: null, d_dayOfWeek: null });
  assert.equal(
    missing.filter((_, i) => i !== 2),
    together.filter((_, i) => i !== 2),
  );
});

test('calendar parts read from a per-batch day table equal the per-row conversion (many rows in few days, and rows spread over centuries)', () => {
  const dense: number[] = [],
    spread: number[] = [];
  for (let i = 0; i < 500; i++) dense.push(Date.UTC(2024, 0, 1) + i * 7_919_000 - 3_600_000);
  for (let i = 0; i < 500; i++) spread.push(Date.UTC(1850 + (i % 300), i % 12, 1 + (i % 28), i % 24));
  const parts = ['year', 'month', 'dayOfMonth', 'dayOfYear'] as const;
  for (const vals of [dense, spread]) {
    const b = Batch.fromRows(
      vals.map((d) => ({ d })),
      Schema.from({ d: 'datetime' }),
    );
    const rows = new DatetimeParts({ column: 'd', parts: [...parts] }).apply(b).toRows();
    rows.forEach((r, i) => {
      const t = new Date(vals[i]!);
      const doy = Math.floor((vals[i]! - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
      assert.equal(r, { d_year: t.getUTCFullYear(), d_month: t.getUTCMonth() + 1, d_dayOfMonth: t.getUTCDate(), d_dayOfYear: doy }, `row ${i}`);
    });
  }
});

test('calendar parts next to clock parts (the day range from the clock pass) equal them computed alone, with missing rows and in a zone', () => {
  const vals: Array<number | null> = [];
  for (let i = 0; i < 400; i++) vals.push(i % 37 === 5 ? null : Date.UTC(2023, 11, 30) + i * 9_733_000 - (i % 3) * 86_400_000 * 40);
  const b = Batch.fromRows(
    vals.map((d) => ({ d })),
    Schema.from({ d: 'datetime' }),
  );
  for (const timeZone of ['UTC', 'America/New_York']) {
    const alone = new DatetimeParts({ column: 'd', parts: ['year', 'month', 'dayOfYear'], timeZone }).apply(b).toRows();
    for (const clock of [['hour'], ['minute', 'dayOfWeek']] as const) {
      const both = new DatetimeParts({ column: 'd', parts: [...clock, 'year', 'month', 'dayOfYear'], timeZone }).apply(b).toRows();
      both.forEach((r, i) => {
        assert.equal({ d_year: r.d_year, d_month: r.d_month, d_dayOfYear: r.d_dayOfYear }, alone[i], `${timeZone} ${clock} row ${i}`);
      });
    }
  }
});

test.run();
