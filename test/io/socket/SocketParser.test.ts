import { connect } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Batch, type PullChunk, SpecError, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { SocketParser } from '../../../src/io/index.js';
import { fromTcp } from '../../../src/operators/index.js';

const HOST = '127.0.0.1';

/** `rows` CSV lines `i,name_i,score` after a header; every `every`-th row has a stray quote opening its name. */
function csvLines(rows: number, every: number): { text: string; stray: number } {
  const parts = ['id,name,score\n'];
  let stray = 0;
  for (let i = 1; i <= rows; i++) {
    if (i % every === 0) {
      parts.push(`${i},"bad ${i},${i / 4}\n`);
      stray++;
    } else parts.push(`${i},name${i},${i / 4}\n`);
  }
  return { text: parts.join(''), stray };
}

async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function drain(g: AsyncGenerator<PullChunk>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const c of g) out.push(c.batch);
  return out;
}

test('case 5: CSV over a socket: each line is one record; 50 stray quotes among 50,000 rows lose exactly 50 (SocketParser)', async () => {
  const { text, stray } = csvLines(50_000, 1000);
  assert.is(stray, 50);
  for (const size of [1 << 16, 1500]) {
    const telemetry = new Telemetry();
    const skipped: TelemetryEvent[] = [];
    telemetry.events$.subscribe((e) => {
      if (e.type === 'skipped') skipped.push(e);
    });
    const parser = new SocketParser('tcp://test', { format: 'csv', telemetry });
    const batches = await drain(parser.parse(chunksOf(text, size), 'tcp://test#1', 1));
    const ids = batches.flatMap((b) => b.toRows().map((r) => r.id));
    assert.is(ids.length, 50_000 - 50, `chunks of ${size}`);
    assert.ok(ids.every((id) => (id as number) % 1000 !== 0));
    const a = parser.account();
    assert.equal([a.read, a.passed, a.skipped], [50_000, 49_950, 50]);
    assert.equal(a.skippedByReason, { 'field-count': 50 });
    assert.equal(
      skipped.slice(0, 2).map((e) => e.type === 'skipped' && e.line),
      [1001, 2001],
    );
  }
});

test('case 5: CSV over a socket with quotedNewlines: true keeps RFC 4180 quoting; maxFieldBytes still bounds a stray quote', async () => {
  const parser = new SocketParser('tcp://test', { format: 'csv', quotedNewlines: true, maxFieldBytes: 64, telemetry: new Telemetry() });
  const text = `a,b\n1,"two\nlines"\n2,"stray${'x'.repeat(100)}\n3,z\n`;
  const rows = (await drain(parser.parse(chunksOf(text, 5), 'tcp://test#1', 1))).flatMap((b) => b.toRows());
  assert.equal(rows, [
    { a: 1, b: 'two\nlines' },
    { a: 3, b: 'z' },
  ]);
  assert.equal(parser.account().skippedByReason, { 'field-too-large': 1 });
});

test('case 5 (guard): NDJSON over a socket: a stray quote costs its own line only', async () => {
  const lines: string[] = [];
  for (let i = 1; i <= 5000; i++) lines.push(i % 500 === 0 ? `{"id":${i},"name":"bad}` : JSON.stringify({ id: i, name: `n${i}` }));
  const parser = new SocketParser('tcp://test', { telemetry: new Telemetry() });
  const batches = await drain(parser.parse(chunksOf(`${lines.join('\n')}\n`, 4096), 'tcp://test#1', 1));
  assert.is(
    batches.reduce((s, b) => s + b.length, 0),
    4990,
  );
  const a = parser.account();
  assert.equal([a.read, a.skipped, a.skippedByReason], [5000, 10, { json: 10 }]);
});

test('case 5: through fromTcp: 50 stray quotes among 50,000 CSV rows from a local producer lose exactly 50', async () => {
  const { text } = csvLines(50_000, 1000);
  const telemetry = new Telemetry();
  let account: Extract<TelemetryEvent, { type: 'account' }> | undefined;
  telemetry.events$.subscribe((e) => {
    if (e.type === 'account' && e.done) account = e;
  });
  let resolvePort!: (p: number) => void;
  const port = new Promise<number>((r) => {
    resolvePort = r;
  });
  const done = lastValueFrom(
    fromTcp({ listen: 0, host: HOST, maxConnections: 1, format: 'csv', telemetry, onListening: (a) => resolvePort(a.port) }).pipe(toArray()),
  );
  const p = await port;
  await new Promise<void>((resolve, reject) => {
    const s = connect(p, HOST, () => {
      s.end(text, () => resolve());
    });
    s.on('error', reject);
  });
  const batches = await done;
  assert.is(
    batches.reduce((s, b) => s + b.length, 0),
    49_950,
  );
  assert.ok(account !== undefined);
  assert.equal([account!.read, account!.passed, account!.skipped], [50_000, 49_950, 50]);
});

test('case 5: socket CSV options are checked at creation; they are CSV-only', () => {
  assert.throws(
    () => SocketParser.validate({ format: 'csv', maxFieldBytes: 0 }),
    (e: unknown) => e instanceof SpecError && e.path === 'maxFieldBytes',
  );
  assert.throws(
    () => SocketParser.validate({ format: 'csv', quotedNewlines: 'yes' as never }),
    (e: unknown) => e instanceof SpecError && e.path === 'quotedNewlines',
  );
  assert.throws(
    () => SocketParser.validate({ maxFieldBytes: 100 }),
    (e: unknown) => e instanceof SpecError && e.path === 'maxFieldBytes',
  );
  assert.throws(
    () => fromTcp({ listen: 0, format: 'csv', maxFieldBytes: -1 }),
    (e: unknown) => e instanceof SpecError,
  );
});

test.run();
