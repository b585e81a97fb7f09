import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadRows, Batch, Schema, SpecError, Telemetry } from '../../src/core/index.js';
import { Dedupe } from '../../src/features/index.js';

const s = Schema.from({ k: 'category', n: 'integer', t: 'datetime' });
const rows = (r: Array<[string | null, number | null, number | null]>) =>
  Batch.fromRows(
    r.map(([k, n, t]) => ({ k, n, t })),
    s,
  );

test('count window: duplicates within the last N rows (across batches); missing is a key value', () => {
  const d = new Dedupe({ keys: ['k', 'n'], count: 3 });
  const a = d.process(
    rows([
      ['a', 1, 0],
      ['a', 1, 0],
      ['a', 2, 0],
      [null, 1, 0],
    ]),
  );
  assert.equal(
    a.toRows().map((r) => [r.k, r.n]),
    [
      ['a', 1],
      ['a', 2],
      [null, 1],
    ],
  );
  // Ring now holds rows 2..4: (a,1) (a,2) (null,1). (a,1) is still inside; (b,1) is new.
  const b = d.process(
    rows([
      ['a', 1, 0],
      ['b', 1, 0],
      [null, 1, 0],
      ['', 1, 0],
    ]),
  );
  assert.equal(
    b.toRows().map((r) => [r.k, r.n]),
    [
      ['b', 1],
      ['', 1],
    ],
  );
  assert.equal([...b.rowIds], [1, 3]);
  assert.is(d.dropped, 3);
  const e = Dedupe.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
  assert.equal(
    e.process(
      rows([
        ['', 1, 0],
        ['a', 1, 0],
      ]),
    ).length,
    d.process(
      rows([
        ['', 1, 0],
        ['a', 1, 0],
      ]),
    ).length,
  );
});

test('time window: keys within ms of their last sighting; missing time kept', () => {
  const d = new Dedupe({ keys: ['k'], ms: 1000, time: 't' });
  const out = d.process(
    rows([
      ['a', 0, 0],
      ['a', 0, 500],
      ['a', 0, 1600],
      ['b', 0, 1700],
      ['a', 0, null],
      ['a', 0, 2700],
    ]),
  );
  // a@500 is within 1000 of a@0; a@1600 is 1100 after a@500 (its last sighting); a@2700 is 1100 after 1600.
  assert.equal(
    out.toRows().map((r) => [r.k, r.t]),
    [
      ['a', 0],
      ['a', 1600],
      ['b', 1700],
      ['a', null],
      ['a', 2700],
    ],
  );
});

test('bounded memory over a long stream of distinct keys', () => {
  const d = new Dedupe({ keys: ['n'], count: 1000 });
  const t = new Dedupe({ keys: ['n'], ms: 50, time: 't', maxKeys: 500 });
  let maxC = 0,
    maxT = 0,
    kept = 0;
  for (let j = 0; j < 100; j++) {
    const r: Array<[string | null, number | null, number | null]> = [];
    for (let i = 0; i < 2000; i++) {
      const x = j * 2000 + i;
      r.push(['k', x % 7919 === 0 ? x - 1 : x, x]);
    }
    const b = rows(r);
    kept += d.process(b).length;
    t.process(b);
    maxC = Math.max(maxC, d.size);
    maxT = Math.max(maxT, t.size);
  }
  assert.ok(maxC <= 1000, `count window holds ${maxC} keys`);
  assert.ok(maxT <= 51, `time window holds ${maxT} keys`);
  assert.ok(kept > 199_900 && kept < 200_000, 'the planted duplicates were dropped');
  assert.throws(
    () => new Dedupe({ keys: ['k'] }),
    (e: unknown) => e instanceof SpecError && e.path === 'dedupe',
  );
  assert.throws(
    () => new Dedupe({ keys: ['k'], count: 0 }),
    (e: unknown) => e instanceof SpecError && e.path === 'dedupe.count',
  );
});

test('case 2: with books, every dropped repeat is counted under `duplicate` and dead-lettered with its line', () => {
  const dl = join(mkdtempSync(join(tmpdir(), 'dedupe-')), 'bad.csv');
  const d = new Dedupe({ keys: ['k'], count: 10 });
  d.badRows = new BadRows('steps[0].dedupe', { badRows: 'skip', deadLetter: dl, telemetry: new Telemetry() });
  const b = rows([
    ['a', 1, 0],
    ['a', 2, 0],
    ['b', 3, 0],
    ['a', 4, 0],
  ]);
  const withLines = new Batch(b.schema, b.columns, b.length, b.rowIds, Float64Array.from([2, 3, 4, 5]));
  const out = d.process(withLines);
  assert.is(out.length, 2);
  assert.equal([d.badRows.read, d.badRows.skipped, d.badRows.byReason], [4, 2, { duplicate: 2 }]);
  d.badRows.close();
  const lines = readFileSync(dl, 'utf8').trim().split('\n');
  assert.equal(
    lines.slice(1).map((l) => l.split(',').slice(0, 4).join(',')),
    ['3,duplicate,k,a', '5,duplicate,k,a'],
  );
  // Without books it only filters, as before.
  const plain = new Dedupe({ keys: ['k'], count: 10 });
  assert.is(
    plain.process(
      rows([
        ['a', 1, 0],
        ['a', 1, 0],
      ]),
    ).length,
    1,
  );
  assert.ok(existsSync(dl));
});

test.run();
