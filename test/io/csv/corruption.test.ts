import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, type BadRowReason, type Batch, Rng, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { fromCsv } from '../../../src/operators/index.js';
import { fastCsvRows } from './helpers.js';

// 100k rows; each row is corrupted with probability 6%, 1% for each reason a CSV source knows,
// at seeded random places. Good rows must arrive unchanged, bad ones be counted and dead-lettered.
const dir = mkdtempSync(join(tmpdir(), 'sluice-csv-bad-'));
const ROWS = 100_000;
const REASONS: BadRowReason[] = ['field-count', 'number', 'date', 'required', 'utf8', 'too-long'];
const MAX_ROW = 2048;
const CITIES = ['Paris', 'Zürich', 'Kraków', 'São Paulo', '東京', 'Oslo', 'Lima', 'Cork', 'Nairobi', 'Perth'];
const schema = { id: 'integer', when: 'datetime', city: 'category', score: 'number', qty: 'integer', note: 'text' } as const;

interface Good {
  id: number;
  when: number;
  city: string;
  score: number | null;
  qty: number;
  note: string;
  line: number;
}
const good: Good[] = [];
const bad: Array<{ line: number; reason: BadRowReason }> = [];
const pad = (n: number) => String(n).padStart(2, '0');

function generate(): string {
  const rng = new Rng(2024);
  const parts: Buffer[] = [Buffer.from('id,when,city,score,qty,note\n')];
  let line = 2;
  for (let i = 0; i < ROWS; i++) {
    const t = Date.UTC(2023, 0, 1) + rng.int(365 * 24 * 60) * 60_000;
    const d = new Date(t);
    let when = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00Z`;
    let city = CITIES[rng.int(CITIES.length)]!;
    const missingScore = rng.float() < 0.02;
    let score = missingScore ? (rng.bernoulli(0.5) ? '' : 'NA') : rng.normal(0, 100).toFixed(rng.int(4));
    const qty = String(rng.int(1000) - 500);
    let note = rng.float() < 0.1 ? `"said ""hi"", then\nleft"` : `n${rng.int(1e6)}`;
    let fields: string[] | null = null;
    const u = rng.float();
    const reason = u < 0.06 ? REASONS[Math.floor(u / 0.01)]! : null;
    switch (reason) {
      case 'field-count':
        fields = rng.bernoulli(0.5) ? [String(i), when, city, score, qty] : [String(i), when, city, score, qty, note, 'extra'];
        break;
      case 'number':
        score = rng.bernoulli(0.5) ? 'abc' : '1.2.3';
        break;
      case 'date':
        when = rng.bernoulli(0.5) ? '2023-13-01T00:00:00Z' : 'yesterday';
        break;
      case 'required':
        city = '';
        break;
      case 'too-long':
        note = 'x'.repeat(MAX_ROW + rng.int(4000));
        break;
      default:
    }
    fields ??= [String(i), when, city, score, qty, note];
    let bytes = Buffer.from(`${fields.join(',')}\n`);
    if (reason === 'utf8') {
      // A lone continuation byte inside the note: invalid UTF-8.
      bytes = Buffer.concat([bytes.subarray(0, bytes.length - 2), Buffer.from([0x80]), bytes.subarray(bytes.length - 2)]);
    }
    parts.push(bytes);
    if (reason) bad.push({ line, reason });
    else
      good.push({
        id: i,
        when: t,
        city,
        score: missingScore ? null : Number(score),
        qty: Number(qty),
        note: note.startsWith('"') ? 'said "hi", then\nleft' : note,
        line,
      });
    for (const x of bytes) if (x === 10) line++;
  }
  const path = join(dir, 'dirty.csv');
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

const path = generate();

test('skip: exact counts per reason, read = passed + skipped, good rows unchanged, dead letter lists the bad lines', async () => {
  const events: TelemetryEvent[] = [];
  const telemetry = new Telemetry();
  telemetry.events$.subscribe((e) => {
    if (e.type === 'account') events.push(e);
  });
  const deadLetter = join(dir, 'dirty.bad.csv');
  const batches: Batch[] = await lastValueFrom(
    fromCsv(path, { schema, required: ['city'], maxRowBytes: MAX_ROW, deadLetter, telemetry, batchSize: 8192 }).pipe(toArray()),
  );

  const expectCounts: Record<string, number> = {};
  for (const b of bad) expectCounts[b.reason] = (expectCounts[b.reason] ?? 0) + 1;
  for (const r of REASONS) assert.ok(expectCounts[r]! >= 300, `${r} generated ${expectCounts[r]} times`);

  const final = events.at(-1)!;
  assert.ok(final.type === 'account' && final.done);
  if (final.type !== 'account') return;
  assert.is(final.read, ROWS);
  assert.is(final.skipped, bad.length);
  assert.is(final.passed, good.length);
  assert.is(final.read, final.passed + final.skipped);
  assert.equal(final.skippedByReason, expectCounts);

  let k = 0;
  for (const b of batches) {
    for (let i = 0; i < b.length; i++, k++) {
      const g = good[k]!;
      assert.is(b.value('id', i), g.id);
      assert.is(b.rowIds[i], g.id);
      assert.is(b.lines![i], g.line);
      assert.is(b.value('when', i), g.when);
      assert.is(b.value('city', i), g.city);
      assert.is(b.value('score', i), g.score);
      assert.is(b.value('qty', i), g.qty);
      assert.is(b.value('note', i), g.note);
    }
  }
  assert.is(k, good.length);

  const dead = await fastCsvRows(deadLetter, ',');
  assert.equal(dead[0], ['line', 'reason', 'column', 'value', 'detail', 'raw']);
  assert.equal(
    dead.slice(1).map((r) => [Number(r[0]), r[1]]),
    bad.map((b) => [b.line, b.reason]),
  );
  // Value and column are recorded for value errors.
  const num = dead.find((r) => r[1] === 'number')!;
  assert.is(num[2], 'score');
  assert.ok(num[3] === 'abc' || num[3] === '1.2.3');
});

test('fail: stops at the first bad row with file:line:column and the value', async () => {
  const first = bad[0]!;
  try {
    await lastValueFrom(fromCsv(path, { schema, required: ['city'], maxRowBytes: MAX_ROW, badRows: 'fail', telemetry: new Telemetry() }).pipe(toArray()));
    assert.unreachable('should have failed');
  } catch (e) {
    assert.instance(e, BadInputError);
    const err = e as BadInputError;
    assert.is(err.reason, first.reason);
    assert.is(err.location.line, first.line);
    assert.match(err.message, `${path}:${first.line}`);
  }
  // A value error names file:line:column, the column and the value.
  const small = join(dir, 'small.csv');
  writeFileSync(small, 'id,when,city,score,qty,note\n1,2024-01-01,Paris,3.5,2,a\n2,2024-01-02,Oslo,x9,3,"b\nc"\n3,2024-01-03,Lima,oops,4,d\n');
  try {
    await lastValueFrom(fromCsv(small, { schema, badRows: 'fail', telemetry: new Telemetry() }).pipe(toArray()));
    assert.unreachable('should have failed');
  } catch (e) {
    assert.instance(e, BadInputError);
    assert.match((e as Error).message, `${small}:3:4: column "score" value "x9": number`);
  }
});

test.run();
