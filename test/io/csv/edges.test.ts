import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Batch, SourceError, SpecError, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { csvBatches } from '../../../src/io/index.js';
import { fromCsv } from '../../../src/operators/index.js';
import { parseBytes, rowsOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-csv-edge-'));
const root = resolve(import.meta.dirname, '../../..');

async function read(text: string | Buffer, options: Parameters<typeof fromCsv>[1] = {}) {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, text);
  const events: TelemetryEvent[] = [];
  const telemetry = new Telemetry();
  telemetry.events$.subscribe((e) => events.push(e));
  const batches: Batch[] = await lastValueFrom(fromCsv(path, { telemetry, ...options }).pipe(toArray()));
  const account = events.filter((e) => e.type === 'account').at(-1);
  return { path, batches, events, account: account?.type === 'account' ? account : undefined };
}

test('truncated last line: a short last row is a field-count bad row at its line', async () => {
  const { batches, account, events } = await read('a,b,c\n1,2,3\n4,5');
  assert.equal(rowsOf(batches), [[1, 2, 3]]);
  assert.is(account?.read, 2);
  assert.is(account?.skipped, 1);
  assert.equal(account?.skippedByReason, { 'field-count': 1 });
  const skipped = events.find((e) => e.type === 'skipped');
  assert.is(skipped?.type === 'skipped' && skipped.line, 3);
});

test('a complete last row without a newline is an ordinary row', async () => {
  const { batches, account } = await read('a,b\n1,2\n3,4');
  assert.equal(rowsOf(batches), [
    [1, 2],
    [3, 4],
  ]);
  assert.is(account?.skipped, 0);
});

test('case 5: unterminated quote: its row is one field-count bad row, cut at the first newline after the quote; later rows are read', async () => {
  const { batches, account } = await read('a,b\n1,x\n2,"open\n3,y\n4,z\n', { schema: { a: 'integer', b: 'category' } });
  assert.equal(rowsOf(batches), [
    [1, 'x'],
    [3, 'y'],
    [4, 'z'],
  ]);
  assert.is(account?.read, 4);
  assert.equal(account?.skippedByReason, { 'field-count': 1 });
  try {
    parseBytes(Buffer.from('a,b\n1,x\n2,"open\n3,y\n'), { badRows: 'fail', schema: { a: 'integer', b: 'category' } }, 4);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /mem\.csv:3:2: column "b": field-count: unterminated quoted field/);
  }
});

test('empty file: no schema, no batch, books of zero', async () => {
  const { batches, account } = await read('');
  assert.is(batches.length, 0);
  assert.equal(account && [account.read, account.passed, account.skipped, account.done], [0, 0, 0, true]);
  assert.is(parseBytes(Buffer.alloc(0)).parser.schema, null);
});

test('case 8: a header-only file gives its schema as one empty batch (so the target is checked against it)', async () => {
  for (const text of ['a,b\n', 'a,b']) {
    const { batches, account } = await read(text);
    assert.is(batches.length, 1);
    assert.is(batches[0]!.length, 0);
    assert.equal(batches[0]!.names, ['a', 'b']);
    assert.is(account?.read, 0);
    assert.equal(parseBytes(Buffer.from(text)).parser.schema?.names, ['a', 'b']);
  }
});

test('a 10 MB single line parses with maxFieldBytes raised (maxRowBytes defaults to 64 MiB); by default its field is too large', async () => {
  const big = 'q'.repeat(10 * 1024 * 1024);
  const dflt = await read(`id,v\n1,${big}\n2,"small"\n`, { schema: { id: 'integer', v: 'text' } });
  assert.equal(rowsOf(dflt.batches), [[2, 'small']]);
  assert.equal(dflt.account?.skippedByReason, { 'field-too-large': 1 });
  const { batches, account } = await read(`id,v\n1,${big}\n2,"small"\n`, { schema: { id: 'integer', v: 'text' }, maxFieldBytes: 16 * 1024 * 1024 });
  const rows = rowsOf(batches);
  assert.is(rows.length, 2);
  assert.is((rows[0]![1] as string).length, big.length);
  assert.is(rows[0]![1], big);
  assert.equal(rows[1], [2, 'small']);
  assert.is(account?.skipped, 0);
});

test('a row over maxRowBytes is skipped as too-long without buffering it, and the next row keeps its line', () => {
  const huge = `"${'z\n'.repeat(1_500_000)}"`;
  const { batches, books, parser } = parseBytes(
    Buffer.from(`id,v\n1,a\n2,${huge}\n3,b\n`),
    { maxRowBytes: 100_000, schema: { id: 'integer', v: 'text' } },
    65536,
  );
  assert.equal(rowsOf(batches), [
    [1, 'a'],
    [3, 'b'],
  ]);
  assert.equal([...batches.flatMap((b) => [...b.lines!])], [2, 1_500_004]);
  assert.equal(books.byReason, { 'too-long': 1 });
  // The internal buffer stayed near maxRowBytes + one chunk, far below the 3 MB row.
  assert.ok((parser as unknown as { buf: Buffer }).buf.length <= 1 << 20);
});

test('gzip input gives the same rows as plain input', async () => {
  const text = `x,y,when\n${Array.from({ length: 5000 }, (_, i) => `${i},${i % 3 ? 'a' : 'b'},2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`).join('\n')}\n`;
  const plain = await read(text);
  const gz = await read(gzipSync(text));
  assert.equal(rowsOf(gz.batches), rowsOf(plain.batches));
  assert.is(rowsOf(gz.batches).length, 5000);
  assert.equal(
    gz.batches[0]!.schema.fields.map((f) => f.type),
    ['integer', 'category', 'datetime'],
  );
});

test('stdin (-) through a child process', () => {
  const script = join(dir, 'stdin.mts');
  writeFileSync(
    script,
    `
    import { fromCsv } from ${JSON.stringify(join(root, 'src/operators/index.ts'))};
    let rows = 0, sum = 0, types: string[] = [];
    fromCsv('-', { batchSize: 100 }).subscribe({
      next(b) { types = b.schema.fields.map((f) => f.type); for (let i = 0; i < b.length; i++) { rows++; sum += b.value('n', i) as number; } },
      complete() { process.stdout.write(JSON.stringify({ rows, sum, types })); },
    });
  `,
  );
  const input = `n,s\n${Array.from({ length: 1000 }, (_, i) => `${i},"s${i}"`).join('\r\n')}\r\n`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: root, input, encoding: 'utf8' });
  assert.equal(JSON.parse(out), { rows: 1000, sum: 499500, types: ['integer', 'category'] });
});

test('types: inferred from the first rows, declared ones override, required ones checked', () => {
  const text = 'a,b,c,d,e\n1,2.5,2024-01-01,true,x\n2,,2024-01-02,false,y\n';
  let r = parseBytes(Buffer.from(text));
  assert.equal(
    r.parser.schema?.fields.map((f) => f.type),
    ['integer', 'number', 'datetime', 'boolean', 'category'],
  );
  assert.equal(rowsOf(r.batches), [
    [1, 2.5, Date.UTC(2024, 0, 1), true, 'x'],
    [2, null, Date.UTC(2024, 0, 2), false, 'y'],
  ]);
  r = parseBytes(Buffer.from(text), { schema: { a: 'number', e: 'text' }, required: ['b'] });
  assert.equal(
    r.parser.schema?.fields.map((f) => [f.type, f.nullable]),
    [
      ['number', true],
      ['number', false],
      ['datetime', true],
      ['boolean', true],
      ['text', true],
    ],
  );
  assert.equal(r.books.byReason, { required: 1 });
  // Inference looks only at the first inferRows rows: a later non-integer widens the column (case 4).
  r = parseBytes(Buffer.from('a\n1\n2\n3.5\n'), { inferRows: 2 });
  assert.equal(rowsOf(r.batches), [[1], [2], [3.5]]);
  assert.equal(r.books.byReason, {});
  // Rows read for inference are parsed again, typed: their bad bytes are still caught.
  for (const chunk of [1, 5, 1 << 16]) {
    r = parseBytes(Buffer.concat([Buffer.from('a,b\n1,x\n2,y'), Buffer.from([0xff]), Buffer.from('\n3,"z"\n4,w\n')]), {}, chunk);
    assert.equal(rowsOf(r.batches), [
      [1, 'x'],
      [3, 'z'],
      [4, 'w'],
    ]);
    assert.equal(r.books.byReason, { utf8: 1 });
  }
  // Without a header: col1..colN.
  r = parseBytes(Buffer.from('1;x\n2;y\n'), { header: false, delimiter: ';' });
  assert.equal(r.parser.schema?.names, ['col1', 'col2']);
  assert.equal(rowsOf(r.batches), [
    [1, 'x'],
    [2, 'y'],
  ]);
});

test('csvBatches over any byte stream; flushOnChunk emits the complete rows of every chunk (sockets)', async () => {
  async function* lines() {
    yield Buffer.from('a,b\n1,x\n2,');
    yield Buffer.from('y\n3,z\n');
    yield Buffer.from('4,w\n');
  }
  const events: TelemetryEvent[] = [];
  const telemetry = new Telemetry();
  telemetry.on('account').subscribe((e) => events.push(e));
  const sizes: number[] = [];
  const rows: unknown[][] = [];
  for await (const { batch } of csvBatches(lines(), { name: 'tcp://x:1', flushOnChunk: true, schema: { a: 'integer', b: 'category' }, telemetry })) {
    sizes.push(batch.length);
    rows.push(...rowsOf([batch]));
  }
  assert.equal(sizes, [1, 2, 1]);
  assert.equal(rows, [
    [1, 'x'],
    [2, 'y'],
    [3, 'z'],
    [4, 'w'],
  ]);
  const last = events.at(-1);
  assert.ok(last?.type === 'account' && last.done && last.read === 4 && last.passed === 4 && last.source === 'tcp://x:1');
});

test('bad options fail at creation with SpecError naming the option; a missing file with SourceError', async () => {
  for (const [opts, key] of [
    [{ delimiter: ';;' }, 'delimiter'],
    [{ batchSize: 0 }, 'batchSize'],
    [{ capacity: 1.5 }, 'capacity'],
    [{ badRows: 'ignore' }, 'badRows'],
    [{ schema: { a: 'float' } }, 'schema.a'],
  ] as const) {
    try {
      fromCsv('x.csv', opts as never);
      assert.unreachable();
    } catch (e) {
      assert.instance(e, SpecError);
      assert.is((e as SpecError).path, key);
    }
  }
  try {
    await lastValueFrom(fromCsv(join(dir, 'missing.csv'), { telemetry: new Telemetry() }));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, /missing\.csv: no such file/);
  }
});

test.run();
