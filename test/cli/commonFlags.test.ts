import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inputFlags } from '../../src/cli/commonFlags.js';
import { sourceFromPath } from '../../src/cli/index.js';
import { sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-flags-'));
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const weather = 'node_modules/vega-datasets/data/seattle-weather.csv';
const flags = (input: string, v: Parameters<typeof inputFlags>[0], options: Parameters<typeof sourceFromPath>[1] = {}) =>
  inputFlags(v, sourceFromPath(input, options), input);

test('case 11: input flags map onto source options, checked against the input kind', () => {
  assert.equal(flags('a.csv', { delimiter: ';', 'null-values': '?, -,', 'bad-rows': 'fail' }), { delimiter: ';', nullValues: ['?', '-', ''], badRows: 'fail' });
  assert.equal(flags('a.csv', { delimiter: '\\t' }), { delimiter: '\t' });
  assert.equal(flags('a.tsv', { delimiter: 'TAB' }), { delimiter: '\t' });
  assert.equal(flags('-', { 'null-values': '' }), { nullValues: [''] });
  assert.equal(flags('tcp://127.0.0.1:9000', { delimiter: '|' }, { format: 'csv' }), { delimiter: '|' });
  assert.equal(flags('a.json', { 'null-values': 'NA', 'dead-letter': join(dir, 'dl.csv') }), { nullValues: ['NA'], deadLetter: join(dir, 'dl.csv') });
  assert.equal(flags('a.parquet', { 'bad-rows': 'skip' }), { badRows: 'skip' });
  assert.throws(() => flags('a.ndjson', { delimiter: ';' }), /--delimiter applies to CSV input; a\.ndjson is read as ndjson/);
  assert.throws(() => flags('tcp://127.0.0.1:9000', { delimiter: ';' }), /--delimiter applies to CSV input; tcp:\/\/127\.0\.0\.1:9000 is read as tcp ndjson/);
  assert.throws(() => flags('a.parquet', { 'null-values': 'NA' }), /--null-values applies to text input/);
  assert.throws(() => flags('a.arrow', { 'dead-letter': 'x.csv' }), /--dead-letter applies to text input/);
  assert.throws(() => flags('a.csv', { delimiter: '' }), /--delimiter: expected one ASCII character other than a quote or newline \(or \\t\), got ""/);
  assert.throws(() => flags('a.csv', { delimiter: '→' }), /--delimiter: expected one ASCII character/);
  assert.throws(() => flags('a.csv', { 'bad-rows': 'drop' }), /--bad-rows: expected one of skip\|fail, got "drop"/);
  assert.throws(() => flags('a.csv', { 'dead-letter': ' ' }), /--dead-letter: expected a file path/);
});

test('case 11: train --delimiter and --null-values: a semicolon file with "?" for missing trains on every row', async () => {
  const rows = Array.from({ length: 300 }, (_, i) => `${i % 7 === 0 ? '?' : (i % 10) / 10};${i % 5 === 0 ? '-' : i % 3};${i % 10 >= 5 ? 1 : 0}`);
  const p = file('semi.csv', `${['x;z;y', ...rows].join('\n')}\n`);
  const r = await sluice(['train', p, '--target', 'y', '--task', 'classification', '--delimiter', ';', '--null-values', '?,-', '--json', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal([report.rows.read, report.rows.trained, report.rows.skipped], [300, 300, 0]);
  // Without the flags the file is one column and "y" is not in it.
  const plain = await sluice(['train', p, '--target', 'y', '--quiet']);
  assert.is(plain.code, 2);
  assert.match(plain.stderr, /--target: unknown column "y"; the data has x;z;y/);
});

test('case 11: train --bad-rows skip (default) with --dead-letter writes the bad rows; --bad-rows fail exits 1 at file:line', async () => {
  const lines = Array.from({ length: 100 }, (_, i) => `${i},${i % 2}`);
  lines[41] = '41,1,extra';
  const p = file('bad.csv', `${['x,y', ...lines].join('\n')}\n`);
  const dl = join(dir, 'bad.dead.csv');
  const r = await sluice(['train', p, '--target', 'y', '--task', 'classification', '--dead-letter', dl, '--json', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal([report.rows.read, report.rows.skipped, report.rows.skippedByReason], [100, 1, { 'field-count': 1 }]);
  assert.match(readFileSync(dl, 'utf8'), /^43,field-count,.*41,1,extra/m);
  const fail = await sluice(['train', p, '--target', 'y', '--bad-rows', 'fail', '--quiet']);
  assert.is(fail.code, 1);
  assert.match(fail.stderr, new RegExp(`${p}:43\\b.*field-count`));
});

test('case 11: train input flags with bad values exit 2 naming the flag, before any data is read', async () => {
  const bad = await sluice(['train', weather, '--target', 'wind', '--bad-rows', 'maybe']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--bad-rows: expected one of skip\|fail, got "maybe"/);
  const delim = await sluice(['train', 'node_modules/vega-datasets/data/cars.json', '--target', 'Cylinders', '--delimiter', ';']);
  assert.is(delim.code, 2);
  assert.match(delim.stderr, /--delimiter applies to CSV input; .*cars\.json is read as json/);
  assert.match((await sluice(['train', '--help'])).stdout, /--delimiter C[\s\S]*--null-values A,B[\s\S]*--bad-rows P[\s\S]*--dead-letter F/);
});

test("case 11: --drop nosuch exits 2 naming the unknown column and listing the data's columns", async () => {
  const r = await sluice(['train', weather, '--target', 'temp_max > 20', '--drop', 'nosuch', '--quiet']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--drop: unknown column "nosuch"; the data has date, precipitation, temp_max, temp_min, wind, weather$/m);
  const two = await sluice(['train', weather, '--target', 'wind', '--drop', 'weather,a,b', '--quiet']);
  assert.is(two.code, 2);
  assert.match(two.stderr, /--drop: unknown columns "a", "b"; the data has/);
});

test('case 11: train reads a .json array file as rows: cars.json, 406 rows, none skipped', async () => {
  const r = await sluice(['train', 'node_modules/vega-datasets/data/cars.json', '--target', 'Cylinders', '--drop', 'Name', '--json', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal([report.rows.read, report.rows.trained, report.rows.skipped], [406, 406, 0]);
});

test.run();
