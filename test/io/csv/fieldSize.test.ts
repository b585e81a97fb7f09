import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, type Batch, SpecError, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { type FromCsvOptions, fromCsv } from '../../../src/operators/index.js';
import { buildPipeline, validateSpec } from '../../../src/pipeline/index.js';
import { parseBytes, rowsOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-csv-field-'));
let seq = 0;
const file = (text: string | Buffer) => {
  const p = join(dir, `f${seq++}.csv`);
  writeFileSync(p, text);
  return p;
};
type Skipped = Extract<TelemetryEvent, { type: 'skipped' }>;
type Account = Extract<TelemetryEvent, { type: 'account' }>;

/** fromCsv on the calling thread and on the parse thread: the same rows, books and dead letter. */
async function both(path: string, options: FromCsvOptions = {}) {
  const out: { batches: Batch[]; account: Account | undefined; skipped: Skipped[]; dead: string | null }[] = [];
  for (const parseThread of [false, true]) {
    const telemetry = new Telemetry();
    const events: TelemetryEvent[] = [];
    telemetry.events$.subscribe((e) => events.push(e));
    const deadLetter = options.deadLetter ? `${options.deadLetter}.${parseThread}` : undefined;
    const batches = await lastValueFrom(fromCsv(path, { ...options, ...(deadLetter ? { deadLetter } : {}), telemetry, parseThread }).pipe(toArray()));
    const account = events.filter((e) => e.type === 'account').at(-1);
    out.push({
      batches,
      account: account?.type === 'account' ? account : undefined,
      skipped: events.filter((e): e is Skipped => e.type === 'skipped'),
      dead: deadLetter ? readFileSync(deadLetter, 'utf8') : null,
    });
  }
  assert.equal(rowsOf(out[1]!.batches), rowsOf(out[0]!.batches), 'parse thread = calling thread');
  assert.equal(
    out[1]!.skipped.map(({ t: _t, ...e }) => e),
    out[0]!.skipped.map(({ t: _t, ...e }) => e),
  );
  assert.equal(out[1]!.dead, out[0]!.dead);
  return out[0]!;
}

/** `rows` data rows `i,name_i,i*0.5` after a header; row `stray` (1-based) gets `"` opening its name. */
function withStray(rows: number, stray: number, pad = 0): string {
  const parts = ['id,name,score\n'];
  const filler = 'x'.repeat(pad);
  for (let i = 1; i <= rows; i++) parts.push(i === stray ? `${i},"oops ${filler},${i * 0.5}\n` : `${i},name${i}${filler},${i * 0.5}\n`);
  return parts.join('');
}

test('case 5: a stray quote on row 2 of a ~3 MB file costs one row, not the rest of the file (maxFieldBytes 64 KiB)', async () => {
  const rows = 60_000;
  const text = withStray(rows, 2, 30);
  assert.ok(text.length > 3_000_000, `${text.length} bytes`);
  const path = file(text);
  const { batches, account, skipped, dead } = await both(path, { maxFieldBytes: 64 * 1024, deadLetter: join(dir, 'stray.bad.csv') });
  assert.is(account?.read, rows);
  assert.is(account?.skipped, 1);
  assert.is(account!.passed + account!.skipped, account!.read);
  assert.equal(account?.skippedByReason, { 'field-too-large': 1 });
  assert.equal(
    skipped.map((e) => [e.line, e.reason]),
    [[3, 'field-too-large']],
  );
  const ids = batches.flatMap((b) => b.toRows().map((r) => r.id));
  assert.is(ids.length, rows - 1);
  assert.equal(ids.slice(0, 3), [1, 3, 4]);
  assert.is(ids.at(-1), rows);
  // The dead letter holds the cut row: from its start to the first newline after the quote.
  const deadLine = dead!.split('\n')[1]!;
  assert.match(deadLine, /^3,field-too-large,name,/);
  assert.ok(deadLine.includes('oops'), deadLine);
  // Lines stay right after the cut.
  assert.is(batches[0]!.lines![1], 4);
});

test('case 5: default cap (1 MiB): a stray quote early in a ~3 MB file costs one row', async () => {
  const rows = 100_000;
  const text = withStray(rows, 2, 10);
  const path = file(text);
  assert.ok(text.length > 3_000_000, `${text.length} bytes`);
  const { batches, account, skipped } = await both(path);
  assert.is(account?.read, rows);
  assert.equal(account?.skippedByReason, { 'field-too-large': 1 });
  assert.equal(
    skipped.map((e) => e.line),
    [3],
  );
  assert.is(
    batches.reduce((s, b) => s + b.length, 0),
    rows - 1,
  );
});

test('case 5: the cut is the same whatever the chunk sizes, and a quoted field with newlines under the cap still parses', () => {
  const text = Buffer.from(`a,b\n1,"two\nlines"\n2,"st${'r'.repeat(200)}\n3,y\n4,"ok ""q"""\n5,z\n`);
  for (const chunk of [1, 3, 17, 64, 1 << 16]) {
    const { batches, books, events } = parseBytes(text, { maxFieldBytes: 100 }, chunk);
    assert.equal(
      rowsOf(batches),
      [
        [1, 'two\nlines'],
        [3, 'y'],
        [4, 'ok "q"'],
        [5, 'z'],
      ],
      `chunk ${chunk}`,
    );
    assert.equal([...batches.flatMap((b) => [...b.lines!])], [2, 5, 6, 7]);
    assert.equal(
      events.filter((e) => e.type === 'skipped').map((e) => e.type === 'skipped' && [e.line, e.reason]),
      [[4, 'field-too-large']],
    );
    assert.is(books.read, 5);
  }
});

test('case 5: a terminated quoted field over the cap is cut at the first newline after its opening quote', () => {
  const big = `${'w'.repeat(50)}\nmore`;
  const { batches, events, books } = parseBytes(Buffer.from(`a,b\n1,"${big}"\n2,x\n`), { maxFieldBytes: 40 }, 7);
  // Row 1 is cut at its first newline; what follows that newline is read as a row again.
  assert.equal(
    events.filter((e) => e.type === 'skipped').map((e) => e.type === 'skipped' && [e.line, e.reason]),
    [
      [2, 'field-too-large'],
      [3, 'field-count'],
    ],
  );
  assert.equal(rowsOf(batches), [[2, 'x']]);
  assert.is(books.read, 3);
});

test('case 5: an unquoted field over maxFieldBytes is field-too-large; the next rows are read', () => {
  const { batches, events } = parseBytes(Buffer.from(`a,b\n1,${'u'.repeat(300)}\n2,x\n`), { maxFieldBytes: 256, schema: { a: 'integer', b: 'text' } });
  assert.equal(
    events.filter((e) => e.type === 'skipped').map((e) => e.type === 'skipped' && [e.line, e.reason]),
    [[2, 'field-too-large']],
  );
  assert.equal(rowsOf(batches), [[2, 'x']]);
});

test('case 5: an unterminated quote under the cap at the end of the input costs its row; later rows are read', async () => {
  const text = 'a,b\n1,x\n2,"open\n3,y\n4,z\n';
  const { batches, account, skipped } = await both(file(text), { schema: { a: 'integer', b: 'category' } });
  assert.equal(rowsOf(batches), [
    [1, 'x'],
    [3, 'y'],
    [4, 'z'],
  ]);
  assert.is(account?.read, 4);
  assert.equal(account?.skippedByReason, { 'field-count': 1 });
  assert.equal(
    skipped.map((e) => e.line),
    [3],
  );
});

test('case 5: under badRows fail the error names file:line of the row with the stray quote', async () => {
  const path = file(withStray(5000, 3, 40));
  for (const parseThread of [false, true]) {
    try {
      await lastValueFrom(fromCsv(path, { maxFieldBytes: 4096, badRows: 'fail', parseThread }).pipe(toArray()));
      assert.unreachable();
    } catch (e) {
      assert.instance(e, BadInputError);
      assert.is((e as BadInputError).reason, 'field-too-large');
      assert.match((e as Error).message, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:2: column "name": field-too-large: `));
    }
  }
});

test('case 5: quotedNewlines false: a newline always ends a row; an unterminated quote makes that row field-count', () => {
  const text = Buffer.from('a,b\n1,"x\ny"\n2,"ok"\n3,"open\r\n4,z\n');
  for (const chunk of [1, 4, 1 << 16]) {
    const { batches, events, books } = parseBytes(text, { quotedNewlines: false, schema: { a: 'integer', b: 'category' } }, chunk);
    assert.equal(
      events.filter((e) => e.type === 'skipped').map((e) => e.type === 'skipped' && [e.line, e.reason]),
      [
        [2, 'field-count'],
        [3, 'field-count'],
        [5, 'field-count'],
      ],
      `chunk ${chunk}`,
    );
    assert.equal(rowsOf(batches), [
      [2, 'ok'],
      [4, 'z'],
    ]);
    assert.equal([...batches[0]!.lines!], [4, 6]);
    assert.is(books.read, 5);
    assert.is(books.read, books.passed + books.skipped);
  }
  try {
    parseBytes(text, { quotedNewlines: false, badRows: 'fail', schema: { a: 'integer', b: 'category' } });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /^mem\.csv:2:2: column "b": field-count: unterminated quoted field/);
  }
});

test('case 5: maxFieldBytes and quotedNewlines are checked at creation', () => {
  for (const [options, key] of [
    [{ maxFieldBytes: 0 }, 'maxFieldBytes'],
    [{ maxFieldBytes: 1.5 }, 'maxFieldBytes'],
    [{ quotedNewlines: 'no' }, 'quotedNewlines'],
  ] as const) {
    try {
      fromCsv('x.csv', options as FromCsvOptions);
      assert.unreachable();
    } catch (e) {
      assert.instance(e, SpecError);
      assert.is((e as SpecError).path, key);
    }
  }
});

test("case 5: a spec's csv source takes maxFieldBytes and quotedNewlines, and they are checked", async () => {
  const path = file(withStray(3000, 2, 40));
  const telemetry = new Telemetry();
  let account: Account | undefined;
  telemetry.events$.subscribe((e) => {
    if (e.type === 'account' && e.done) account = e;
  });
  const spec = { source: { csv: path, maxFieldBytes: 4096, quotedNewlines: true, parseThread: false } };
  assert.equal(validateSpec(spec), []);
  const built = buildPipeline(spec, { telemetry });
  const batches = await lastValueFrom(built.source().pipe(toArray()));
  assert.is(
    batches.reduce((n, b) => n + b.length, 0),
    2999,
  );
  assert.equal(account?.skippedByReason, { 'field-too-large': 1 });
  const lines = await lastValueFrom(
    buildPipeline({ source: { csv: file('a,b\n1,"x\ny"\n2,z\n'), quotedNewlines: false } }, { telemetry: new Telemetry() })
      .source()
      .pipe(toArray()),
  );
  assert.equal(rowsOf(lines), [[2, 'z']]);
  assert.equal(
    validateSpec({ source: { csv: path, maxFieldBytes: 0 } }).map((e) => e.path),
    ['source.maxFieldBytes'],
  );
  assert.equal(
    validateSpec({ source: { arrow: 'x.arrow', quotedNewlines: false } }).map((e) => e.path),
    ['source.quotedNewlines'],
  );
});

test.run();
