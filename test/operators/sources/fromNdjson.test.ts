import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, type Batch, Schema, SourceError, SpecError, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { ndjsonBatches } from '../../../src/io/index.js';
import { fromNdjson } from '../../../src/operators/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-ndjson-'));
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

test('declared schema: values, nulls, extra keys ignored, rowIds and lines across batches', async () => {
  const lines = Array.from({ length: 25 }, (_, i) =>
    JSON.stringify({ x: i * 1.5, n: i, c: ['a', 'b', 'c'][i % 3], ok: i % 2 === 0, when: `2024-01-0${1 + (i % 9)}T00:00:00Z`, extra: { deep: i } }),
  );
  lines[3] = JSON.stringify({ x: null, n: 3, c: 'a', ok: true, when: null });
  const p = file('decl.ndjson', `${lines.join('\n')}\n`);
  const bs = await lastValueFrom(
    fromNdjson(p, { schema: { x: 'number', n: 'integer', c: 'category', ok: 'boolean', when: 'datetime' }, batchSize: 10, chunkSize: 17 }).pipe(toArray()),
  );
  assert.equal(
    bs.map((b) => b.length),
    [10, 10, 5],
  );
  const r = rows(bs);
  assert.is(r.length, 25);
  assert.equal(r[5], { x: 7.5, n: 5, c: 'c', ok: false, when: Date.UTC(2024, 0, 6) });
  assert.equal(r[3], { x: null, n: 3, c: 'a', ok: true, when: null });
  assert.equal(
    [...bs[1]!.rowIds],
    Array.from({ length: 10 }, (_, i) => 10 + i),
  );
  assert.equal([...bs[2]!.lines!], [21, 22, 23, 24, 25]);
  // One dictionary for the whole stream: codes stay stable across batches.
  const c0 = bs[0]!.column('c'),
    c2 = bs[2]!.column('c');
  assert.ok('dictionary' in c0 && 'dictionary' in c2 && c0.dictionary === c2.dictionary);
});

test('infers the schema from the first rows; CRLF, BOM, blank lines and a final line without newline', async () => {
  const p = file(
    'infer.ndjson',
    '\ufeff{"a":1,"b":"x","t":"2024-05-01T10:00:00Z","f":true}\r\n\r\n{"a":2,"b":"y","t":"2024-05-02T10:00:00Z","f":false,"o":{"k":1}}\r\n{"a":3,"b":null,"t":null,"f":true}',
  );
  const bs = await lastValueFrom(fromNdjson(p).pipe(toArray()));
  const b = bs[0]!;
  assert.equal(
    b.schema.fields.map((f) => [f.name, f.type]),
    [
      ['a', 'integer'],
      ['b', 'category'],
      ['t', 'datetime'],
      ['f', 'boolean'],
    ],
  );
  assert.equal(rows(bs), [
    { a: 1, b: 'x', t: Date.UTC(2024, 4, 1, 10), f: true },
    { a: 2, b: 'y', t: Date.UTC(2024, 4, 2, 10), f: false },
    { a: 3, b: null, t: null, f: true },
  ]);
  assert.equal([...b.lines!], [1, 3, 4]);
});

test('bad rows are skipped with reason, line, field and column; books balance; dead letter written', async () => {
  const bad = Buffer.concat([
    Buffer.from('{"x":1,"n":1,"d":"2024-01-01"}\n'), // 1 ok
    Buffer.from('{"x":2,"n":2,\n'), // 2 json (malformed)
    Buffer.from('[1,2]\n'), // 3 json (not an object)
    Buffer.from('{"x":"abc","n":3,"d":"2024-01-01"}\n'), // 4 number
    Buffer.from('{"x":4,"n":4.5,"d":"2024-01-01"}\n'), // 5 type
    Buffer.from('{"x":5,"n":5,"d":"yesterday"}\n'), // 6 date
    Buffer.from('{"x":6,"d":"2024-01-01"}\n'), // 7 required (n missing)
    Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0xff, 0x7d, 0x0a]), // 8 utf8
    Buffer.from('{"x":9,"n":9,"d":"2024-01-09"}\n'), // 9 ok
  ]);
  const p = file('bad.ndjson', bad);
  const dl = join(dir, 'bad.dead.csv');
  const telemetry = new Telemetry();
  const { ev, stop } = collect(telemetry);
  const schema = new Schema([
    { name: 'x', type: 'number', nullable: true },
    { name: 'n', type: 'integer', nullable: false },
    { name: 'd', type: 'datetime', nullable: true },
  ]);
  const bs = await lastValueFrom(fromNdjson(p, { schema, deadLetter: dl, telemetry }).pipe(toArray()));
  stop();
  assert.equal(
    rows(bs).map((r) => r.x),
    [1, 9],
  );
  const skipped = ev.filter((e) => e.type === 'skipped').map((e) => (e.type === 'skipped' ? [e.line, e.reason] : []));
  assert.equal(skipped, [
    [2, 'json'],
    [3, 'json'],
    [4, 'number'],
    [5, 'type'],
    [6, 'date'],
    [7, 'required'],
    [8, 'utf8'],
  ]);
  const acc = ev.filter((e) => e.type === 'account').at(-1);
  assert.ok(acc && acc.type === 'account');
  if (acc?.type === 'account') {
    assert.is(acc.read, 9);
    assert.is(acc.passed, 2);
    assert.is(acc.skipped, 7);
    assert.ok(acc.done);
    assert.equal(acc.skippedByReason, { json: 2, number: 1, type: 1, date: 1, required: 1, utf8: 1 });
  }
  const dead = readFileSync(dl, 'utf8').trim().split('\n');
  assert.is(dead[0], 'line,reason,column,value,detail,raw');
  assert.is(dead.length, 8);
  assert.match(dead[3]!, /^4,number,x,abc,/);
  assert.match(dead[6]!, /^7,required,n,,/);
});

test('fail policy: BadInputError with file:line:column and the field', async () => {
  const p = file('fail.ndjson', '{"x":1}\n{"x":2}\n{"y":0, "x": "oops"}\n');
  try {
    await lastValueFrom(fromNdjson(p, { schema: { x: 'number' }, badRows: 'fail' }).pipe(toArray()));
    assert.unreachable('should fail');
  } catch (e) {
    assert.instance(e, BadInputError);
    const err = e as BadInputError;
    assert.is(err.reason, 'number');
    assert.equal(err.location.line, 3);
    assert.equal(err.location.column, 14);
    assert.ok(err.message.startsWith(`${p}:3:14: column "x" value "oops"`), err.message);
  }
  const q = file('fail2.ndjson', '{"x":1}\n{"x": }\n');
  try {
    await lastValueFrom(fromNdjson(q, { badRows: 'fail' }).pipe(toArray()));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, BadInputError);
    assert.ok((e as Error).message.startsWith(`${q}:2:7:`), (e as Error).message);
  }
});

test('too-long lines are bad rows and do not stop the stream', async () => {
  const p = file('long.ndjson', `{"a":1}\n{"a":"${'z'.repeat(5000)}"}\n{"a":3}\n`);
  const telemetry = new Telemetry();
  const { ev, stop } = collect(telemetry);
  const bs = await lastValueFrom(fromNdjson(p, { maxLineBytes: 1000, chunkSize: 300, schema: { a: 'number' }, telemetry }).pipe(toArray()));
  stop();
  assert.equal(rows(bs), [{ a: 1 }, { a: 3 }]);
  assert.equal([...bs[0]!.lines!], [1, 3]);
  assert.equal(
    ev.filter((e) => e.type === 'skipped').map((e) => e.type === 'skipped' && [e.reason, e.line]),
    [['too-long', 2]],
  );
});

test('gzip input and progress telemetry', async () => {
  const text = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i })).join('\n');
  const p = file('z.ndjson.gz', gzipSync(text));
  const telemetry = new Telemetry();
  const { ev, stop } = collect(telemetry);
  const bs = await lastValueFrom(fromNdjson(p, { telemetry, batchSize: 300 }).pipe(toArray()));
  stop();
  assert.equal(
    rows(bs).map((r) => r.i),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  const done = ev.filter((e) => e.type === 'progress' && e.done);
  assert.is(done.length, 1);
  if (done[0]?.type === 'progress') {
    assert.is(done[0].rows, 1000);
    assert.is(done[0].bytes, Buffer.byteLength(text));
  }
});

test('ndjsonBatches works on any byte iterable and keeps its own books', async () => {
  async function* chunks() {
    for (const s of ['{"a":', '1}\n{"a"', ':2}\n']) yield Buffer.from(s);
  }
  const out: Batch[] = [];
  for await (const c of ndjsonBatches(chunks(), { source: 'mem', schema: { a: 'integer' }, flushEachChunk: true, firstRowId: 100 })) out.push(c.batch);
  assert.equal(rows(out), [{ a: 1 }, { a: 2 }]);
  assert.equal(
    out.map((b) => [...b.rowIds]),
    [[100], [101]],
  );
});

test("case 4: movies NDJSON: Avatar's Worldwide Gross 2767891499 (past the inference window) arrives intact, no row skipped", async () => {
  const movies = JSON.parse(readFileSync(resolve('node_modules/vega-datasets/data/movies.json'), 'utf8')) as Record<string, unknown>[];
  const p = file('movies.ndjson', `${movies.map((m) => JSON.stringify(m)).join('\n')}\n`);
  const telemetry = new Telemetry();
  const { ev, stop } = collect(telemetry);
  const bs = await lastValueFrom(fromNdjson(p, { batchSize: 1000, telemetry }).pipe(toArray()));
  stop();
  const acc = ev.filter((e) => e.type === 'account').at(-1);
  assert.ok(acc?.type === 'account' && acc.read === movies.length && acc.skipped === 0, JSON.stringify(acc));
  const r = rows(bs);
  assert.is(r.length, movies.length);
  assert.is(r.find((x) => x.Title === 'Avatar')!['Worldwide Gross'], 2767891499);
  r.forEach((x, i) => assert.is(x['Worldwide Gross'], movies[i]!['Worldwide Gross'] ?? null, `row ${i}`));
  assert.is(bs[0]!.schema.field('Worldwide Gross').type, 'integer');
  assert.ok(bs.slice(1).every((b) => b.schema.field('Worldwide Gross').type === 'number'));
  // case 11: "Jun 12 1998" release dates are datetimes
  assert.is(bs[0]!.schema.field('Release Date').type, 'datetime');
  assert.is(r[0]!['Release Date'], Date.UTC(1998, 5, 12));
});

test('case 4: NDJSON -3e9 and 12.5 after a window of small integers widen the column; a declared integer stays strict', async () => {
  const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ n: i }));
  lines.push('{"n":-3e9}', '{"n":"12.5"}', '{"n":12.5}', '{"n":"abc"}', '{"n":7}');
  const p = file('widen.ndjson', `${lines.join('\n')}\n`);
  const telemetry = new Telemetry();
  const { ev, stop } = collect(telemetry);
  const bs = await lastValueFrom(fromNdjson(p, { inferRows: 10, batchSize: 8, telemetry }).pipe(toArray()));
  stop();
  assert.equal(
    rows(bs).map((x) => x.n),
    [...Array.from({ length: 12 }, (_, i) => i), -3e9, 12.5, 12.5, 7],
  );
  assert.equal(
    bs.map((b) => b.schema.field('n').type),
    ['integer', 'number'],
  );
  assert.equal(
    ev.filter((e) => e.type === 'skipped').map((e) => e.type === 'skipped' && [e.line, e.reason]),
    [[16, 'number']],
  );
  const strict = await lastValueFrom(fromNdjson(p, { schema: { n: 'integer' } }).pipe(toArray()));
  assert.equal(
    rows(strict).map((x) => x.n),
    [...Array.from({ length: 12 }, (_, i) => i), 7],
  );
});

test('options are checked at creation; a missing file is a SourceError', async () => {
  assert.throws(
    () => fromNdjson('x', { batchSize: 0 }),
    (e: unknown) => e instanceof SpecError && /batchSize/.test((e as Error).message),
  );
  assert.throws(
    () => fromNdjson('x', { badRows: 'maybe' as never }),
    (e: unknown) => e instanceof SpecError && /badRows/.test((e as Error).message),
  );
  try {
    await lastValueFrom(fromNdjson(join(dir, 'nope.ndjson')));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, /nope\.ndjson: no such file/);
  }
  assert.not.ok(existsSync(join(dir, 'nope.ndjson')));
});

test('stdin via "-" in a child process', () => {
  const script = file(
    'stdin.mts',
    `
import { fromNdjson } from ${JSON.stringify(resolve('src/operators/index.ts'))};
const out: unknown[] = [];
fromNdjson('-', { schema: { a: 'integer', b: 'category' } }).subscribe({
  next: (b) => out.push(...b.toRows()),
  complete: () => process.stdout.write(JSON.stringify(out)),
  error: (e) => { console.error(e); process.exit(2); },
});
`,
  );
  const input = '{"a":1,"b":"p"}\n{"a":2,"b":"q"}\nnot json\n{"a":4,"b":"p"}\n';
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { input, encoding: 'utf8', cwd: resolve('.'), timeout: 30_000 });
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), [
    { a: 1, b: 'p' },
    { a: 2, b: 'q' },
    { a: 4, b: 'p' },
  ]);
});

test.run();
