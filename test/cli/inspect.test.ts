import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-inspect-'));
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

const zipcodes = 'node_modules/vega-datasets/data/zipcodes.csv';

/** Exact counts of one CSV column (zipcodes has no quoted fields). */
function trueCounts(file: string, column: string): Map<string, number> {
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const i = head!.split(',').indexOf(column);
  const counts = new Map<string, number>();
  for (const r of rows) {
    const v = r.split(',')[i]!;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

/** The top items printed below a column's row: `value (n)` exact, `value lo–hi` a range. */
function printedTop(table: string, column: string): Array<{ value: string; lo: number; hi: number }> {
  const lines = table.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${column} `));
  const m = /^ {2}top[^:]*: (.*)$/.exec(lines[at + 1] ?? '');
  assert.ok(m, `no top line below ${column}:\n${table}`);
  return m[1]!.split(', ').map((item) => {
    const exact = /^(.*) \((\d+)\)$/.exec(item);
    if (exact) return { value: exact[1]!, lo: Number(exact[2]), hi: Number(exact[2]) };
    const range = /^(.*) (\d+)–(\d+)$/.exec(item);
    assert.ok(range, `unreadable top item "${item}"`);
    return { value: range[1]!, lo: Number(range[2]), hi: Number(range[3]) };
  });
}

test("case 9: inspect zipcodes: the city column's top value is Washington, every printed count within its printed bound", async () => {
  const truth = trueCounts(zipcodes, 'city');
  const r = await sluice(['inspect', zipcodes, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const top = printedTop(r.stdout, 'city');
  assert.is(top[0]!.value, 'Washington', r.stdout);
  for (const t of top) {
    const real = truth.get(t.value)!;
    assert.ok(t.lo <= real && real <= t.hi, `${t.value}: printed ${t.lo}–${t.hi}, true ${real}`);
  }
  // Ordered by the guaranteed (lower) count.
  for (let i = 1; i < top.length; i++) assert.ok(top[i - 1]!.lo >= top[i]!.lo, JSON.stringify(top));
  // The state column (59 values) fits the sketch: exact counts, the truth's top 3.
  const states = trueCounts(zipcodes, 'state');
  const expected = [...states]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([value, n]) => ({ value, lo: n, hi: n }));
  assert.equal(printedTop(r.stdout, 'state').slice(0, 3), expected);
  // --json: the same as fields; city has more distinct values than the sketch, so counts carry errors.
  const j = await sluice(['inspect', zipcodes, '--quiet', '--json']);
  assert.is(j.code, 0, j.stderr);
  const city = JSON.parse(j.stdout).city;
  assert.equal([city.topExact, city.top[0].value], [false, 'Washington']);
  assert.ok(city.topFloor > 0);
  for (const t of city.top) {
    const real = truth.get(t.value)!;
    assert.ok(t.count - t.error <= real && real <= t.count, `${t.value}: ${t.count - t.error}–${t.count}, true ${real}`);
  }
  assert.is(JSON.parse(j.stdout).state.topExact, true);
});

test('case 11: inspect --delimiter and --null-values: a semicolon file with ? and - for missing', async () => {
  const p = file('semi.csv', 'x;y;c\n1;2.5;a\n-;3;b\n4;?;a\n5;6;?\n');
  const r = await sluice(['inspect', p, '--quiet', '--json', '--delimiter', ';', '--null-values', '?,-']);
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(Object.keys(s), ['x', 'y', 'c']);
  assert.equal([s.x.type, s.x.missing, s.x.mean], ['integer', 1, 10 / 3]);
  assert.equal([s.y.type, s.y.missing, s.y.max], ['number', 1, 6]);
  assert.equal(
    s.c.top.map((t: { value: string; count: number }) => [t.value, t.count]),
    [
      ['a', 2],
      ['b', 1],
    ],
  );
  // Tab as \t (or "tab"): one column per field.
  const t = await sluice(['inspect', file('tabs.csv', 'a\tb\n1\tx\n'), '--quiet', '--json', '--delimiter', '\\t']);
  assert.equal(Object.keys(JSON.parse(t.stdout)), ['a', 'b']);
});

test('case 11: inspect reads a .json array as rows (cars.json: 406 rows); a bad element is counted on stderr and dead-lettered', async () => {
  const cars = await sluice(['inspect', 'node_modules/vega-datasets/data/cars.json', '--quiet', '--json']);
  assert.is(cars.code, 0, cars.stderr);
  const s = JSON.parse(cars.stdout);
  assert.equal([s.Name.count, s.Horsepower.type, s.Horsepower.missing, s.Origin.top[0]], [406, 'integer', 6, { value: 'USA', count: 254, error: 0 }]);
  assert.not.match(cars.stderr, /skipped/);
  const bad = file('bad.json', '[\n  {"a": 1},\n  "oops",\n  {"a": 2}\n]\n');
  const dl = join(dir, 'bad.dead.csv');
  const r = await sluice(['inspect', bad, '--quiet', '--dead-letter', dl]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^a\s+integer\s+2\s+0\s/m);
  assert.match(r.stderr, new RegExp(`${bad}: skipped 1 of 3 rows \\(json 1\\); written to ${dl}`));
  assert.match(readFileSync(dl, 'utf8'), /^3,json,3,,"expected a JSON object, got string",/m);
  const fail = await sluice(['inspect', bad, '--quiet', '--bad-rows', 'fail']);
  assert.is(fail.code, 1);
  assert.match(fail.stderr, new RegExp(`${bad}:3:3: json: expected a JSON object, got string`));
});

test('case 11: inspect rejects bad input flags with exit 2 naming the flag', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--delimiter', ';;'], /--delimiter: expected one ASCII character/],
    [['--delimiter', '"'], /--delimiter: expected one ASCII character/],
    [['--bad-rows', 'ignore'], /--bad-rows: expected one of skip\|fail, got "ignore"/],
    [['--dead-letter', join(dir, 'no/such/dir/dl.csv')], /--dead-letter .*: directory .*no\/such\/dir does not exist/],
    [['--dead-letter', join(dir, 'dl.csv'), '--bad-rows', 'fail'], /--dead-letter: --bad-rows fail stops at the first bad row/],
  ];
  for (const [flags, message] of cases) {
    const r = await sluice(['inspect', 'node_modules/vega-datasets/data/seattle-weather.csv', '--quiet', ...flags]);
    assert.is(r.code, 2, flags.join(' '));
    assert.match(r.stderr, message);
  }
  const arrow = await sluice(['inspect', 'node_modules/vega-datasets/data/flights-200k.arrow', '--null-values', 'NA']);
  assert.is(arrow.code, 2);
  assert.match(arrow.stderr, /--null-values applies to text input .*flights-200k\.arrow is read as arrow/);
  const json = await sluice(['inspect', 'node_modules/vega-datasets/data/cars.json', '--delimiter', ';']);
  assert.is(json.code, 2);
  assert.match(json.stderr, /--delimiter applies to CSV input; .*cars\.json is read as json/);
  assert.not.ok(existsSync(join(dir, 'dl.csv')));
});

test.run();
