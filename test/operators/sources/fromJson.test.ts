import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, type Batch, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { JsonArrayReader } from '../../../src/io/index.js';
import { fromJson } from '../../../src/operators/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-json-'));
const file = (name: string, content: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const rows = (bs: Batch[]) => bs.flatMap((b) => b.toRows());
const collect = (t: Telemetry) => {
  const ev: TelemetryEvent[] = [];
  const sub = t.events$.subscribe((e) => ev.push(e));
  return { ev, stop: () => sub.unsubscribe() };
};
const account = (ev: TelemetryEvent[]) => ev.filter((e) => e.type === 'account').at(-1) as Extract<TelemetryEvent, { type: 'account' }> | undefined;
const skipped = (ev: TelemetryEvent[]) => ev.flatMap((e) => (e.type === 'skipped' ? [[e.reason, e.line]] : []));

test('case 11: a .json array of objects is read as rows: vega cars.json gives 406 rows, none skipped', async () => {
  const cars = 'node_modules/vega-datasets/data/cars.json';
  const telemetry = new Telemetry();
  const { ev, stop } = collect(telemetry);
  const bs = await lastValueFrom(fromJson(cars, { telemetry, batchSize: 100 }).pipe(toArray()));
  stop();
  const r = rows(bs);
  assert.is(r.length, 406);
  assert.equal(
    bs.map((b) => b.length),
    [100, 100, 100, 100, 6],
  );
  const truth = JSON.parse(readFileSync(cars, 'utf8')) as Array<Record<string, unknown>>;
  assert.equal(bs[0]!.names, Object.keys(truth[0]!));
  assert.equal(
    r.map((x) => x.Name),
    truth.map((x) => x.Name),
  );
  assert.equal(
    r.map((x) => x.Horsepower),
    truth.map((x) => x.Horsepower ?? null),
  );
  // Each row's line is where its element starts (the file is pretty-printed, 11 lines per car).
  assert.equal([...bs[0]!.lines!].slice(0, 3), [2, 13, 24]);
  const acc = account(ev);
  assert.equal([acc?.read, acc?.passed, acc?.skipped, acc?.done], [406, 406, 0, true]);
});

test('case 11: an element that is not an object is skipped as json with its line and column; books balance; dead letter', async () => {
  const p = file(
    'bad.json',
    [
      '[',
      '  {"a": 1, "b": "x"},',
      '  5,', // 3: not an object
      '  {"a": 2, "b": "y"}, [1, 2],', // 4: an array, column 23
      '  {"a": 3,',
      '   "b": "z", "c": }, null,', // 5–6: malformed at 6:19; 6: null at 6:22
      '  {"a": "oops",', // 7: a number column gets a string
      '   "b": "w"},',
      '  {"a": 4, "b": "v"}',
      ']',
    ].join('\n'),
  );
  const dl = join(dir, 'bad.dead.csv');
  const telemetry = new Telemetry();
  const { ev, stop } = collect(telemetry);
  const bs = await lastValueFrom(fromJson(p, { telemetry, deadLetter: dl, schema: { a: 'number', b: 'category' } }).pipe(toArray()));
  stop();
  assert.equal(rows(bs), [
    { a: 1, b: 'x' },
    { a: 2, b: 'y' },
    { a: 4, b: 'v' },
  ]);
  assert.equal([...bs[0]!.lines!], [2, 4, 9]);
  assert.equal(skipped(ev), [
    ['json', 3],
    ['json', 4],
    ['json', 6],
    ['json', 6],
    ['number', 7],
  ]);
  const acc = account(ev);
  assert.equal([acc?.read, acc?.passed, acc?.skipped], [8, 3, 5]);
  assert.equal(acc?.skippedByReason, { json: 4, number: 1 });
  // Records in file order; a pretty-printed element's raw text keeps its newlines (quoted).
  const dead = readFileSync(dl, 'utf8');
  assert.ok(dead.startsWith('line,reason,column,value,detail,raw\n3,json,3,,"expected a JSON object, got number",5\n'), dead);
  assert.match(dead, /^4,json,23,,"expected a JSON object, got an array","\[1, 2\]"$/m);
  assert.match(dead, /^6,json,19,,"malformed JSON: [^\n]*","\{""a"": 3,\n {3}""b"": ""z"", ""c"": \}"$/m);
  assert.match(dead, /^6,json,22,,"expected a JSON object, got null",null$/m);
  assert.match(dead, /^7,number,a,oops,not a number,/m);
});

test('fail policy: BadInputError at the file line and column of the element, or of the value inside it', async () => {
  const p = file('fail.json', '[{"a": 1},\n {"a": 2}, "text"]');
  try {
    await lastValueFrom(fromJson(p, { badRows: 'fail' }).pipe(toArray()));
    assert.unreachable('should fail');
  } catch (e) {
    assert.instance(e, BadInputError);
    assert.ok((e as Error).message.startsWith(`${p}:2:12: json: expected a JSON object, got string`), (e as Error).message);
  }
  // A field's value on the third line of a pretty-printed element.
  const q = file('fail2.json', '[\n  {"a": 1,\n   "b": 2,\n   "c": "x"}\n]');
  try {
    await lastValueFrom(fromJson(q, { badRows: 'fail', schema: { a: 'number', b: 'number', c: 'number' } }).pipe(toArray()));
    assert.unreachable('should fail');
  } catch (e) {
    assert.instance(e, BadInputError);
    assert.ok((e as Error).message.startsWith(`${q}:4:9: column "c" value "x"`), (e as Error).message);
  }
});

test('the same rows whatever the chunk size: strings with brackets, escapes and commas, nesting, UTF-8 across chunks', async () => {
  const values = [
    { s: 'a,b]}', n: 1 },
    { s: 'quote \\" and \\\\', n: 2 },
    { s: 'ünïcödé — 東京 🚀', n: 3 },
    { s: '[{,}]', n: 4, deep: { x: [1, { y: ']' }] } },
    { s: '', n: 5 },
  ];
  const text = `\ufeff  [ ${values.map((v) => JSON.stringify(v)).join(' ,\n\t')} ]\n`;
  const p = file('tricky.json', text);
  // '' is a null value by default.
  const expected = values.map(({ s, n }) => ({ s: s === '' ? null : s, n }));
  for (const chunkSize of [1, 2, 3, 7, 64, 1 << 20]) {
    const bs = await lastValueFrom(fromJson(p, { chunkSize, schema: { s: 'text', n: 'integer' } }).pipe(toArray()));
    assert.equal(rows(bs), expected, `chunkSize ${chunkSize}`);
  }
});

test('empty arrays, blank files, trailing commas and arrays in a row; a file starting with { is NDJSON', async () => {
  for (const text of ['[]', '  [ ]  \n', '', '\n\n']) {
    assert.equal(rows(await lastValueFrom(fromJson(file('empty.json', text)).pipe(toArray()))), [], JSON.stringify(text));
  }
  const t = await lastValueFrom(fromJson(file('trailing.json', '[{"a":1},,{"a":2},]\n[{"a":3}]')).pipe(toArray()));
  assert.equal(rows(t), [{ a: 1 }, { a: 2 }, { a: 3 }]);
  const nd = await lastValueFrom(fromJson(file('lines.json', '{"a":1}\n{"a":2}\n')).pipe(toArray()));
  assert.equal(rows(nd), [{ a: 1 }, { a: 2 }]);
  assert.equal([...nd[0]!.lines!], [1, 2]);
});

test('a truncated file: the cut element is a bad row, the rows before it are kept', async () => {
  const telemetry = new Telemetry();
  const { ev, stop } = collect(telemetry);
  const bs = await lastValueFrom(fromJson(file('cut.json', '[{"a":1},\n{"a":2},\n{"a":"unterminated'), { telemetry }).pipe(toArray()));
  stop();
  assert.equal(rows(bs), [{ a: 1 }, { a: 2 }]);
  assert.equal(skipped(ev), [['json', 3]]);
});

test('an element longer than maxLineBytes is a too-long bad row and the stream goes on', async () => {
  const telemetry = new Telemetry();
  const { ev, stop } = collect(telemetry);
  const p = file('long.json', `[{"a":1},{"a":"${'z'.repeat(5000)}"},{"a":3}]`);
  const bs = await lastValueFrom(fromJson(p, { maxLineBytes: 1000, chunkSize: 300, telemetry }).pipe(toArray()));
  stop();
  assert.equal(rows(bs), [{ a: 1 }, { a: 3 }]);
  assert.equal(skipped(ev), [['too-long', 1]]);
});

test('a large compact array streams: rows come out before the end of the file; flights-200k.json, 200,000 rows on one line', async () => {
  const bytes = readFileSync('node_modules/vega-datasets/data/flights-200k.json');
  const seen: string[] = [];
  const reader = new JsonArrayReader({
    line: (text) => {
      seen.push(text);
    },
    bad: () => assert.unreachable(),
  });
  reader.push(bytes.subarray(0, 1 << 16));
  // One 64 KiB chunk of 9.9 MB already gives its whole elements, at most one held back.
  assert.ok(seen.length > 1000, String(seen.length));
  assert.equal(JSON.parse(seen[0]!), { delay: 0, distance: 1452, time: 0 });
  let n = 0,
    batches = 0;
  const source = fromJson('node_modules/vega-datasets/data/flights-200k.json', { batchSize: 8192, chunkSize: 1 << 16 });
  await new Promise<void>((done, fail) =>
    source.subscribe({
      next: (b) => {
        n += b.length;
        batches++;
      },
      error: fail,
      complete: done,
    }),
  );
  assert.is(n, 200_000);
  assert.is(batches, Math.ceil(200_000 / 8192));
});

test.run();
