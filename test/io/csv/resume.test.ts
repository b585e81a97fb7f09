import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Batch, Telemetry } from '../../../src/core/index.js';
import { type FromCsvOptions, fromCsv } from '../../../src/operators/index.js';

// A CSV read that goes on from a batch's sourceAt (a checkpoint's byte offset) gives the batches the
// whole read gave after it: same rows, values, types, row ids, lines, books and dead-letter records.

const dir = mkdtempSync(join(tmpdir(), 'sluice-csv-resume-'));
const lines = ['id,city,n,note'];
for (let i = 0; i < 5000; i++) {
  // Quoted newlines, an integer column that widens to number late, bad rows (field count), blank lines.
  const note = i % 37 === 0 ? `"two\nlines ${i}"` : `n${i % 11}`;
  const n = i === 4321 ? '2.5' : String(i % 97);
  if (i % 501 === 7) lines.push(`${i},c${i % 13},${n},${note},extra`);
  else lines.push(`${i},c${i % 13},${n},${note}`);
  if (i % 999 === 3) lines.push('');
}
const plainPath = join(dir, 'data.csv');
writeFileSync(plainPath, `${lines.join('\n')}\n`);
// A gzip file goes on from an offset in its decompressed bytes.
const gzPath = join(dir, 'data.csv.gz');
writeFileSync(gzPath, gzipSync(`${lines.join('\n')}\n`));

const plain = (b: Batch) => ({ rows: b.toRows(), rowIds: Array.from(b.rowIds), lines: Array.from(b.lines ?? []), types: b.schema.fields.map((f) => f.type) });

for (const [path, parseThread] of [
  [plainPath, false],
  [plainPath, true],
  [gzPath, false],
] as const) {
  test(`resuming after batch k gives the rest of the batches as one read did (${path.endsWith('.gz') ? 'gzip, ' : ''}parseThread: ${parseThread})`, async () => {
    const read = async (resume?: FromCsvOptions['resume'], deadLetter?: string) => {
      const telemetry = new Telemetry();
      const books: unknown[] = [];
      telemetry.on('account').subscribe((e) => books.push({ read: e.read, skipped: e.skipped, byReason: e.skippedByReason }));
      const batches = await lastValueFrom(
        fromCsv(path, { batchSize: 700, parseThread, telemetry, ...(resume ? { resume } : {}), ...(deadLetter ? { deadLetter } : {}) }).pipe(toArray()),
      );
      return { batches, books };
    };
    const whole = await read(undefined, join(dir, `whole-${parseThread}-${path.length}.csv`));
    assert.ok(whole.batches.length >= 7);
    assert.is(whole.batches.at(-1)!.schema.field('n').type, 'number', 'n widened late');
    for (const k of [0, 3, whole.batches.length - 2]) {
      const b = whole.batches[k]!;
      const at = b.sourceAt!;
      assert.ok(at && at.offset > 0 && at.books, `batch ${k} says where to go on`);
      const rest = await read(
        { ...at, names: b.names, types: Object.fromEntries(b.schema.fields.map((f) => [f.name, f.type])) },
        join(dir, `rest-${parseThread}-${path.length}-${k}.csv`),
      );
      assert.equal(rest.batches.map(plain), whole.batches.slice(k + 1).map(plain), `after batch ${k}`);
      assert.equal(rest.books.at(-1), whole.books.at(-1), 'the books end where one read ends');
      // The dead letter of the rest holds exactly the whole read's records after the offset's line (no file: none).
      const recs = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').slice(1) : []);
      const after = recs(join(dir, `whole-${parseThread}-${path.length}.csv`)).filter((r) => Number(r.split(',')[0]) >= at.line);
      assert.equal(recs(join(dir, `rest-${parseThread}-${path.length}-${k}.csv`)), after);
      if (k === 0) assert.ok(after.length > 0, 'the check covers records');
    }
  });
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
