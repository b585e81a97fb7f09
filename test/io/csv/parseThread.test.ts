import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lastValueFrom, take, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BadInputError,
  type Batch,
  type Column,
  Rng,
  Schema,
  SchemaError,
  SourceError,
  SpecError,
  Telemetry,
  type TelemetryEvent,
} from '../../../src/core/index.js';
import { CsvParseThread } from '../../../src/io/index.js';
import { type FromCsvOptions, fromCsv } from '../../../src/operators/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-csv-thread-'));
const root = resolve(import.meta.dirname, '../../..');
let seq = 0;
const file = (data: string | Buffer, ext = 'csv') => {
  const p = join(dir, `f${seq++}.${ext}`);
  writeFileSync(p, data);
  return p;
};

/** Everything observable about one read: batches as plain data, telemetry (no times), dead letter, error. */
async function observe(path: string, options: FromCsvOptions, parseThread: boolean) {
  const events: unknown[] = [];
  const telemetry = new Telemetry();
  telemetry.events$.subscribe(({ t: _t, ...e }: TelemetryEvent) => {
    // Throughput events are time-based (one per 500 ms), not part of the stream's behaviour.
    if (e.type === 'throughput') return;
    events.push(e.type === 'error' ? { type: 'error', source: e.source, message: e.message, cls: (e.error as Error).constructor.name } : e);
  });
  const deadLetter = options.deadLetter ? `${options.deadLetter}.${parseThread}` : undefined;
  const batches: Batch[] = [];
  let error: unknown = null;
  const liveBefore = CsvParseThread.live;
  let sawThread = false;
  try {
    await lastValueFrom(fromCsv(path, { ...options, ...(deadLetter ? { deadLetter } : {}), telemetry, parseThread }).pipe(toArray())).then((b) =>
      batches.push(...b),
    );
  } catch (e) {
    error = e;
  }
  sawThread = CsvParseThread.live > liveBefore || parseThread;
  const dicts = new Map<number, string[]>();
  const plain = batches.map((b) => ({
    fields: b.schema.fields,
    length: b.length,
    rowIds: [...b.rowIds],
    lines: b.lines && [...b.lines],
    columns: b.columns.map((c: Column, k) => {
      if (c.type === 'category' || c.type === 'text') {
        dicts.set(k, c.dictionary.values.slice());
        return {
          type: c.type,
          codes: [...c.codes],
          validity: c.validity && [...c.validity],
          strings: [...c.codes].map((x) => (x < 0 ? null : c.dictionary.get(x))),
        };
      }
      if (c.type === 'vector') throw new Error('no vector columns from CSV');
      return { type: c.type, values: [...c.values].map((v) => (Number.isNaN(v) ? 'NaN' : v)), validity: c.validity && [...c.validity] };
    }),
  }));
  // One dictionary instance per category column across batches, as on one thread.
  const shared =
    batches.length > 1
      ? batches[0]!.columns.map((c, k) => c.type === 'category' && batches.every((b) => (b.columns[k] as typeof c).dictionary === c.dictionary))
      : [];
  return {
    batches: plain,
    shared,
    dictionaries: [...dicts.entries()],
    events,
    sawThread,
    deadLetter: deadLetter && existsSync(deadLetter) ? readFileSync(deadLetter, 'utf8') : null,
    error:
      error === null
        ? null
        : { cls: (error as Error).constructor.name, name: (error as Error).name, message: (error as Error).message, fields: { ...(error as object) } },
    errorObject: error,
  };
}

async function same(path: string, options: FromCsvOptions = {}) {
  const one = await observe(path, options, false);
  const two = await observe(path, options, true);
  const { errorObject: e1, sawThread: _a, ...a } = one;
  const { errorObject: e2, sawThread: _b, ...b } = two;
  assert.equal(b, a);
  if (e1 !== null) assert.is(Object.getPrototypeOf(e2), Object.getPrototypeOf(e1));
  return one;
}

// A file larger than several batches: categories that first appear late, text, nulls, quotes,
// and ~3% bad rows of every kind a CSV source knows.
function dirty(rows: number, seed: number): string {
  const rng = new Rng(seed);
  const lines = ['id,when,city,score,flag,note'];
  for (let i = 0; i < rows; i++) {
    const city = i > rows * 0.7 && rng.bernoulli(0.3) ? `late${rng.int(50)}` : ['Paris', 'Zürich', '東京', 'NA', ''][rng.int(5)]!;
    const note = rng.bernoulli(0.1) ? '"q ""x"",\nnext"' : rng.bernoulli(0.1) ? '' : `n${rng.int(1000)}`;
    let f = [
      String(i),
      `2024-0${1 + rng.int(9)}-1${rng.int(10)}T0${rng.int(10)}:00:00Z`,
      city,
      rng.bernoulli(0.05) ? 'NA' : rng.normal(0, 10).toFixed(3),
      rng.bernoulli(0.5) ? 'true' : 'false',
      note,
    ];
    const u = rng.float();
    if (u < 0.005) f = f.slice(0, 4);
    else if (u < 0.01) f[3] = 'abc';
    else if (u < 0.015) f[1] = 'yesterday';
    else if (u < 0.02) f[4] = 'maybe';
    else if (u < 0.025) f[5] = 'x'.repeat(3000);
    lines.push(f.join(','));
  }
  return `${lines.join(rows % 2 ? '\r\n' : '\n')}\n`;
}

const big = dirty(40_000, 7);
const bigPath = file(big);
const schema = { id: 'integer', when: 'datetime', city: 'category', score: 'number', flag: 'boolean', note: 'text' } as const;

test('differential: a dirty file of many batches (late categories, text, bad rows, dead letter) gives the same batches, telemetry and dead letter', async () => {
  const r = await same(bigPath, { batchSize: 2048, chunkSize: 65536, maxRowBytes: 2048, deadLetter: join(dir, 'big.bad.csv'), capacity: 3 });
  assert.ok(r.batches.length >= 10, `${r.batches.length} batches`);
  assert.ok(r.deadLetter !== null && r.deadLetter.split('\n').length > 300, 'dead letter written');
  assert.ok(r.events.some((e) => (e as TelemetryEvent).type === 'skipped'));
  const cities = r.dictionaries.find(([k]) => k === 2)![1];
  assert.ok(cities.some((c) => c.startsWith('late')));
  assert.ok(r.shared[2], 'one city dictionary for all batches');
  // Declared schema, inferred schema, a Schema instance with a required column: all the same.
  const typed = await same(bigPath, { batchSize: 4096, schema, maxRowBytes: 2048, deadLetter: join(dir, 'big2.bad.csv') });
  const account = typed.events.filter((e) => (e as TelemetryEvent).type === 'account').at(-1) as Extract<TelemetryEvent, { type: 'account' }>;
  assert.equal(Object.keys(account.skippedByReason).sort(), ['date', 'field-count', 'number', 'too-long', 'type']);
  await same(bigPath, {
    batchSize: 5000,
    schema: new Schema([
      { name: 'id', type: 'integer', nullable: false },
      { name: 'when', type: 'datetime', nullable: true },
      { name: 'city', type: 'category', nullable: false },
      { name: 'score', type: 'number', nullable: true },
      { name: 'flag', type: 'boolean', nullable: true },
      { name: 'note', type: 'text', nullable: true },
    ]),
    deadLetter: join(dir, 'big3.bad.csv'),
  });
});

test('differential: gzip, quoted fields with CRLF, a BOM, no header, header-only and empty files', async () => {
  const g = await same(file(gzipSync(big), 'csv.gz'), { batchSize: 3000, deadLetter: join(dir, 'gz.bad.csv') });
  assert.ok(g.batches.length > 5);
  const quoted = '\ufeffa;b;c\r\n"x;1" ; 2 ;"he said ""hi""\r\nbye"\r\n  "y",3,\r\nz;;\r\n';
  const q = await same(file(quoted), { delimiter: ';', schema: { a: 'category', b: 'integer', c: 'text' } });
  assert.is(q.batches.length, 1);
  await same(file('1|x\n2|y\n3|\n'), { header: false, delimiter: '|' });
  await same(file('1,x\n2,y\n'), {
    header: false,
    schema: new Schema([
      { name: 'n', type: 'integer', nullable: true },
      { name: 's', type: 'category', nullable: true },
    ]),
  });
  for (const text of ['a,b\n', 'a,b', '', '\n\n']) {
    const r = await same(file(text));
    // A header gives one empty batch with its schema; no header, none.
    assert.equal(
      r.batches.map((b) => b.length),
      text.startsWith('a') ? [0] : [],
    );
    assert.ok(r.events.some((e) => (e as TelemetryEvent).type === 'account'));
  }
});

test('differential: errors under fail, schema errors and a missing file are the same classes and messages', async () => {
  const r = await same(bigPath, { batchSize: 2048, badRows: 'fail', maxRowBytes: 2048 });
  assert.is(r.error?.cls, 'BadInputError');
  const e = (await observe(bigPath, { batchSize: 2048, badRows: 'fail', maxRowBytes: 2048 }, true)).errorObject;
  assert.instance(e, BadInputError);
  assert.match((e as Error).message, `${bigPath}:`);
  assert.ok((e as BadInputError).location.line > 1);
  const s = await same(bigPath, { schema: { nope: 'number' } });
  assert.is(s.error?.cls, 'SchemaError');
  assert.instance((await observe(bigPath, { schema: { nope: 'number' } }, true)).errorObject, SchemaError);
  await same(file('a,a\n1,2\n'));
  const m = await same(join(dir, 'missing.csv'));
  assert.is(m.error?.cls, 'SourceError');
  const me = (await observe(join(dir, 'missing.csv'), {}, true)).errorObject;
  assert.instance(me, SourceError);
  assert.match((me as Error).message, /missing\.csv: no such file/);
});

test('backpressure: with a slow consumer the thread is never more than capacity batches ahead', async () => {
  const capacity = 3;
  const t = new CsvParseThread(bigPath, { batchSize: 1000 }, capacity, new Telemetry());
  let n = 0;
  for await (const c of t.batches()) {
    n += c.batch.length;
    await new Promise((r) => setTimeout(r, 15));
    assert.ok(t.stats.maxAhead <= capacity, `ahead by ${t.stats.maxAhead}`);
  }
  assert.ok(n > 30_000);
  // The consumer was slow enough for the bound to matter.
  assert.is(t.stats.maxAhead, capacity);
  assert.is(t.stats.handed, t.stats.received);
});

async function noThreadWithin(ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (CsvParseThread.live > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return CsvParseThread.live === 0;
}

test('cancellation: take(n) stops the thread promptly; completion and errors leave no thread', async () => {
  const got = await lastValueFrom(fromCsv(bigPath, { batchSize: 1000, parseThread: true, telemetry: new Telemetry() }).pipe(take(2), toArray()));
  assert.is(got.length, 2);
  assert.ok(await noThreadWithin(1500), 'thread still running after take(2)');
  await lastValueFrom(fromCsv(bigPath, { parseThread: true, telemetry: new Telemetry() }).pipe(toArray()));
  assert.ok(await noThreadWithin(1500));
  await lastValueFrom(fromCsv(bigPath, { parseThread: true, badRows: 'fail', telemetry: new Telemetry() })).catch(() => undefined);
  assert.ok(await noThreadWithin(1500));
});

test('the process exits by itself after reading through the thread (whole file, and take(1))', () => {
  const script = join(dir, 'exit.mts');
  writeFileSync(
    script,
    `
    import { fromCsv } from ${JSON.stringify(join(root, 'src/operators/sources/index.ts'))};
    let rows = 0;
    const sub = fromCsv(process.argv[2], { parseThread: true, batchSize: 1000 }).subscribe({
      next(b) {
        rows += b.length;
        // take(1), without importing rxjs from a temp directory
        if (process.argv[3] === 'take' && rows === b.length) { process.stdout.write(String(rows)); setImmediate(() => sub.unsubscribe()); }
      },
      complete() { process.stdout.write(String(rows)); },
    });
  `,
  );
  for (const mode of ['all', 'take']) {
    const t0 = Date.now();
    const out = execFileSync(process.execPath, ['--import', 'tsx', script, bigPath, mode], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    assert.ok(Number(out) > 0, out);
    assert.ok(mode === 'take' ? Number(out) === 1000 : Number(out) > 30_000, out);
    // Start-up through tsx takes a few seconds on a loaded machine; a thread left running would hang it until the timeout.
    assert.ok(Date.now() - t0 < 25_000);
  }
});

test('auto: small files and stdin stay on this thread; options a thread cannot take fall back; bad values are a SpecError', async () => {
  const small = file('a,b\n1,2\n');
  let during = -1;
  await lastValueFrom(fromCsv(small, { telemetry: new Telemetry() }).pipe(toArray())).then(() => undefined);
  const src = fromCsv(bigPath, { telemetry: new Telemetry() });
  await new Promise<void>((done) =>
    src.subscribe({
      next() {
        during = Math.max(during, CsvParseThread.live);
      },
      complete: done,
    }),
  );
  assert.is(during, 0, 'a 2 MB file is below the auto threshold');
  const odd = { parseThread: true, telemetry: new Telemetry(), extra: () => 1 } as unknown as FromCsvOptions;
  during = -1;
  await new Promise<void>((done) =>
    fromCsv(bigPath, odd).subscribe({
      next() {
        during = Math.max(during, CsvParseThread.live);
      },
      complete: done,
    }),
  );
  assert.is(during, 0, 'a function in the options keeps the parse on this thread');
  try {
    fromCsv(small, { parseThread: 'yes' as never });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SpecError);
    assert.is((e as SpecError).path, 'parseThread');
  }
});

test('auto: a file over the threshold is parsed on a thread, with the same rows', async () => {
  const rows = 1_800_000; // ~17 MB, over the 16 MiB threshold
  const parts: string[] = ['k,v\n'];
  for (let i = 0; i < rows; i++) parts.push(`${i % 97},${i}\n`);
  const path = file(parts.join(''));
  let during = 0,
    n = 0;
  await new Promise<void>((done, fail) =>
    fromCsv(path, { telemetry: new Telemetry() }).subscribe({
      next(b) {
        n += b.length;
        during = Math.max(during, CsvParseThread.live);
      },
      complete: done,
      error: fail,
    }),
  );
  assert.is(n, rows);
  assert.ok(during >= 1, 'parsed on a thread');
});

test.run();
