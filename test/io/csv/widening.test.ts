import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, type Batch, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { type FromCsvOptions, fromCsv } from '../../../src/operators/index.js';
import { parseBytes, rowsOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-csv-widen-'));
const data = fileURLToPath(new URL('../../../node_modules/vega-datasets/data', import.meta.url));
let seq = 0;
const file = (text: string) => {
  const p = join(dir, `f${seq++}.csv`);
  writeFileSync(p, text);
  return p;
};

/** Batches as plain data (types, values, validity), so the two thread paths can be compared. */
function plain(bs: readonly Batch[]) {
  return bs.map((b) => ({ fields: b.schema.fields, lines: b.lines && [...b.lines], rows: rowsOf([b]) }));
}

/** Reads with fromCsv on the calling thread and on the parse thread; asserts both give the same. */
async function both(path: string, options: FromCsvOptions = {}) {
  const out: {
    batches: Batch[];
    account: Extract<TelemetryEvent, { type: 'account' }> | undefined;
    skipped: Extract<TelemetryEvent, { type: 'skipped' }>[];
  }[] = [];
  for (const parseThread of [false, true]) {
    const telemetry = new Telemetry();
    const events: TelemetryEvent[] = [];
    telemetry.events$.subscribe((e) => events.push(e));
    const batches = await lastValueFrom(fromCsv(path, { ...options, telemetry, parseThread }).pipe(toArray()));
    const account = events.filter((e) => e.type === 'account').at(-1);
    out.push({
      batches,
      account: account?.type === 'account' ? account : undefined,
      skipped: events.filter((e): e is Extract<TelemetryEvent, { type: 'skipped' }> => e.type === 'skipped'),
    });
  }
  assert.equal(plain(out[1]!.batches), plain(out[0]!.batches), 'parse thread = calling thread');
  assert.equal(out[1]!.account && { ...out[1]!.account, t: 0 }, out[0]!.account && { ...out[0]!.account, t: 0 });
  return out[0]!;
}

/** movies.json as CSV (nulls as empty fields). */
function moviesCsv(): { text: string; movies: Record<string, unknown>[] } {
  const movies = JSON.parse(readFileSync(join(data, 'movies.json'), 'utf8')) as Record<string, unknown>[];
  const keys = Object.keys(movies[0]!);
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [keys.map(cell).join(',')];
  for (const m of movies) lines.push(keys.map((k) => cell(m[k])).join(','));
  return { text: `${lines.join('\n')}\n`, movies };
}

test("case 4: movies CSV: Avatar's Worldwide Gross 2767891499 (row 1235, past the inference window) arrives intact, no row skipped", async () => {
  const { text, movies } = moviesCsv();
  const path = file(text);
  const { batches, account } = await both(path, { batchSize: 1000 });
  assert.is(account?.read, movies.length);
  assert.is(account?.skipped, 0);
  const rows = batches.flatMap((b) => b.toRows());
  assert.is(rows.length, movies.length);
  const avatar = rows.find((r) => r.Title === 'Avatar')!;
  assert.is(avatar['Worldwide Gross'], 2767891499);
  assert.is(avatar['US Gross'], 760167650);
  // The window (1000 rows) saw only int32 values: the first batch is integer, and from the batch
  // that met 2767891499 on, float64, with every earlier value of that batch kept.
  assert.is(batches[0]!.schema.field('Worldwide Gross').type, 'integer');
  assert.is(batches[1]!.schema.field('Worldwide Gross').type, 'number');
  assert.ok(batches.slice(1).every((b) => b.schema.field('Worldwide Gross').type === 'number'));
  rows.forEach((r, i) => assert.is(r['Worldwide Gross'], movies[i]!['Worldwide Gross'], `row ${i}`));
});

test('case 4: -3e9 and 12.5 after a window of small integers widen the column to float64; earlier values kept', () => {
  const lines = ['id,n'];
  for (let i = 0; i < 20; i++) lines.push(`${i},${i * 3}`);
  lines.push('20,-3e9', '21,7', '22,12.5', '23,8');
  const text = Buffer.from(`${lines.join('\n')}\n`);
  for (const chunk of [1, 5, 64, 1 << 16]) {
    const { batches, books } = parseBytes(text, { inferRows: 10, batchSize: 8 }, chunk);
    assert.is(books.read, 24, `chunk ${chunk}`);
    assert.is(books.skipped, 0);
    assert.equal(
      batches.map((b) => b.schema.field('n').type),
      ['integer', 'integer', 'number'],
      `chunk ${chunk}`,
    );
    const n = batches.flatMap((b) => b.toRows().map((r) => r.n));
    assert.equal(n, [...Array.from({ length: 20 }, (_, i) => i * 3), -3e9, 7, 12.5, 8]);
    const last = batches[2]!.column('n');
    assert.ok(last.type === 'number' && last.values instanceof Float64Array);
    // Another integer column is left alone.
    assert.ok(batches.every((b) => b.schema.field('id').type === 'integer'));
  }
});

test('case 4: widening keeps missing values missing, and goes through the parse thread the same way', async () => {
  const lines = ['a,b'];
  for (let i = 0; i < 30; i++) lines.push(i % 4 === 0 ? `,${i}` : `${i},${i}`);
  lines.push('12.25,1', '2147483648,2', ',3', '5,4');
  const { batches, account } = await both(file(`${lines.join('\n')}\n`), { inferRows: 10, batchSize: 16 });
  assert.is(account?.skipped, 0);
  const a = batches.flatMap((b) => b.toRows().map((r) => r.a));
  assert.equal(a, [...Array.from({ length: 30 }, (_, i) => (i % 4 === 0 ? null : i)), 12.25, 2147483648, null, 5]);
  // The second batch widens at its 15th row: its earlier values, missing ones included, are kept.
  assert.equal(
    batches.map((b) => b.schema.field('a').type),
    ['integer', 'number', 'number'],
  );
  const mid = batches[1]!.column('a');
  assert.ok(mid.type === 'number' && mid.validity !== null && Number.isNaN(mid.values[0]!));
});

test('case 4: a value that is not a number at all is still a bad row; a row rejected for another column does not widen', () => {
  const lines = ['n,d'];
  for (let i = 0; i < 5; i++) lines.push(`${i},2024-01-0${i + 1}`);
  lines.push('abc,2024-02-01', '9.5,not-a-date', '6,2024-02-02');
  const { batches, books, events } = parseBytes(Buffer.from(`${lines.join('\n')}\n`), { inferRows: 5 });
  assert.equal(
    events.filter((e) => e.type === 'skipped').map((e) => e.type === 'skipped' && [e.line, e.reason]),
    [
      [7, 'number'],
      [8, 'date'],
    ],
  );
  assert.is(books.read, 8);
  assert.is(books.skipped, 2);
  assert.equal(
    batches.map((b) => b.schema.field('n').type),
    ['integer'],
  );
  assert.equal(
    batches.flatMap((b) => b.toRows().map((r) => r.n)),
    [0, 1, 2, 3, 4, 6],
  );
});

test('case 4 (guard): a declared integer column stays strict: a fraction or a value past int32 is a type error', () => {
  const text = Buffer.from('n\n1\n2.5\n3000000000\n4\n');
  const { batches, events } = parseBytes(text, { schema: { n: 'integer' } });
  assert.equal(
    events.filter((e) => e.type === 'skipped').map((e) => e.type === 'skipped' && [e.line, e.reason]),
    [
      [3, 'type'],
      [4, 'type'],
    ],
  );
  assert.equal(rowsOf(batches), [[1], [4]]);
  try {
    parseBytes(text, { schema: { n: 'integer' }, badRows: 'fail' });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, BadInputError);
    assert.match((e as Error).message, /mem\.csv:3:1: column "n" value "2\.5": type: not a 32-bit integer/);
  }
});

test('case 11: zip codes with leading zeros (zipcodes.csv: "00501") stay strings', async () => {
  const path = join(data, 'zipcodes.csv');
  const { batches, account } = await both(path, {});
  assert.is(account?.skipped, 0);
  const b = batches[0]!;
  assert.is(b.schema.field('zip_code').type, 'category');
  assert.is(b.value('zip_code', 0), '00501');
  assert.is(b.value('zip_code', 1), '00544');
  assert.is(b.schema.field('latitude').type, 'number');
});

test('case 11: identifier-like columns: "007" keeps its zeros; a column of plain integers stays integer', () => {
  const { batches } = parseBytes(Buffer.from('code,qty,zero\n007,1,0\n12,20,0\n5,300,0\n'));
  assert.equal(
    batches[0]!.schema.fields.map((f) => f.type),
    ['category', 'integer', 'integer'],
  );
  assert.equal(
    rowsOf(batches).map((r) => r[0]),
    ['007', '12', '5'],
  );
});

test('case 11: "Jan 1 2000" dates (stocks.csv) parse as datetimes', async () => {
  const { batches, account } = await both(join(data, 'stocks.csv'), {});
  assert.is(account?.skipped, 0);
  const b = batches[0]!;
  assert.is(b.schema.field('date').type, 'datetime');
  assert.is(b.value('date', 0), Date.UTC(2000, 0, 1));
  assert.is(b.value('date', 1), Date.UTC(2000, 1, 1));
});

test('case 11: "January 1, 2000" and "1 Jan 2000" dates parse as datetimes; ISO dates still do', () => {
  const { batches, books } = parseBytes(Buffer.from('a,b,c\n"January 1, 2000",1 Jan 2000,2000-01-01\n"March 15, 2021",15 Mar 2021,2021-03-15T10:00:00Z\n'));
  assert.is(books.skipped, 0);
  assert.equal(
    batches[0]!.schema.fields.map((f) => f.type),
    ['datetime', 'datetime', 'datetime'],
  );
  assert.equal(rowsOf(batches), [
    [Date.UTC(2000, 0, 1), Date.UTC(2000, 0, 1), Date.UTC(2000, 0, 1)],
    [Date.UTC(2021, 2, 15), Date.UTC(2021, 2, 15), Date.UTC(2021, 2, 15, 10)],
  ]);
});

test.run();
