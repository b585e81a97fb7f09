import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../../src/cli/index.js';
import { sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-errors-'));
const weather = 'node_modules/vega-datasets/data/seattle-weather.csv';

/** runCli in this process, with its stdout and stderr lines. */
async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [],
    err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(...l.split('\n')), err: (l) => err.push(...l.split('\n')) });
  return { code, out, err };
}

/** A spec that sets no maxRows anywhere: 1461 rows of weather, no model needed. */
const plain = join(dir, 'plain.yaml');
writeFileSync(plain, `source: { csv: ${weather} }\nsteps:\n  - drop: [date]\n`);

const polluted = () => ['maxRows', 'x', 'polluted'].filter((k) => k in Object.prototype);

test('case 7: --set __proto__.maxRows=7 is refused with its key path (exit 2), --check too, and Object.prototype stays clean', async () => {
  try {
    for (const set of [
      '__proto__.maxRows=7',
      'constructor.prototype.maxRows=7',
      'source.__proto__.maxRows=7',
      'steps.0.prototype.x=1',
      'training.constructor=1',
    ]) {
      const check = await cli(['run', plain, '--set', set, '--check']);
      assert.is(check.code, 2, `${set}: ${check.err.join('\n')}`);
      assert.equal(check.out, [], set);
      const key = set.slice(0, set.indexOf('='));
      assert.match(check.err[0]!, `sluice: --set ${set}: key path ${key}:`, set);
      assert.equal(polluted(), [], set);
    }
    // Without --check nothing runs: no 7-row report.
    const run = await cli(['run', plain, '--set', '__proto__.maxRows=7', '--json', '--quiet']);
    assert.is(run.code, 2, run.err.join('\n'));
    assert.equal(run.out, []);
    assert.equal(polluted(), []);
  } finally {
    for (const k of polluted()) delete (Object.prototype as Record<string, unknown>)[k];
  }
});

test('case 7: a spec with __proto__, constructor or prototype keys at any level fails --check, each with its key path and line', async () => {
  const spec = join(dir, 'proto.yaml');
  writeFileSync(
    spec,
    [
      '__proto__: { maxRows: 7 }', // 1
      `source: { csv: ${weather}, constructor: { maxRows: 7 } }`, // 2
      'steps:',
      '  - impute: { columns: { prototype: mean } }', // 4
      '  - drop: { columns: [date], toString: 1 }', // 5
      'training: { hasOwnProperty: 1 }', // 6
      '',
    ].join('\n'),
  );
  const r = await cli(['run', spec, '--check']);
  assert.is(r.code, 2, r.err.join('\n'));
  assert.equal(r.out, []);
  const text = r.err.join('\n');
  assert.match(r.err[0]!, /^sluice: .*proto\.yaml: 5 problems$/);
  assert.match(text, /^ {2}__proto__: "__proto__" cannot be a key .*\(.*proto\.yaml:1\)$/m);
  assert.match(text, /^ {2}source\.constructor: "constructor" cannot be a key .*\(.*proto\.yaml:2\)$/m);
  assert.match(text, /^ {2}steps\[0\]\.impute\.columns\.prototype: "prototype" cannot be a key .*\(.*proto\.yaml:4\)$/m);
  // Names Object.prototype has but the spec does not: unknown keys, not methods.
  assert.match(text, /^ {2}steps\[1\]\.drop\.toString: unknown key .*\(.*proto\.yaml:5\)$/m);
  assert.match(text, /^ {2}training\.hasOwnProperty: unknown key .*\(.*proto\.yaml:6\)$/m);
  assert.equal(polluted(), []);
});

test('case 7: --set values are checked too: a __proto__ key inside a value is refused', async () => {
  const r = await cli(['run', plain, '--check', '--set', 'source.synthetic={ sea: { __proto__: { function: 2 } } }']);
  assert.is(r.code, 2, r.err.join('\n'));
  assert.match(r.err.join('\n'), /source\.synthetic\.sea\.__proto__: "__proto__" cannot be a key/);
});

/** `sluice bench ...args`, killed as soon as a suite prints its first line (nothing may run). */
async function benchRefused(args: string[]): Promise<{ ran: boolean; code: number | null; stdout: string; stderr: string }> {
  let ran = false;
  const r = await sluice(['bench', ...args], (text, child) => {
    if (!ran && /^(ingest|kernels|features|train|tui):/m.test(text)) {
      ran = true;
      child.kill('SIGKILL');
    }
  });
  return { ran, ...r };
}

test('case 10: sluice bench --bogus exits 2 with usage before running anything', async () => {
  const r = await benchRefused(['--bogus']);
  assert.not.ok(r.ran, 'a benchmark started');
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /^sluice: .*--bogus/);
  assert.match(r.stderr, /Usage: sluice bench/);
  assert.is(r.stdout, '');
  // An unknown suite beside a known one: nothing runs either.
  const suite = await benchRefused(['kernels', 'nosuchsuite']);
  assert.not.ok(suite.ran, 'a benchmark started');
  assert.is(suite.code, 2, suite.stderr);
  assert.match(suite.stderr, /^sluice: unknown bench suite "nosuchsuite"; available: ingest, kernels, features, train, online, drift, tui, quality/);
  // A value flag's value is not a suite name.
  const rows = await benchRefused(['ingest', '--rows', 'many']);
  assert.not.ok(rows.ran, 'a benchmark started');
  assert.is(rows.code, 2, rows.stderr);
  assert.match(rows.stderr, /^sluice: --rows: expected an integer ≥ 1, got "many"/);
});

test('case 10: --metrics accuracy,rmse on a classification task exits 2 with one line', async () => {
  const r = await sluice(['train', weather, '--target', 'weather == "sun"', '--metrics', 'accuracy,rmse', '--no-tui']);
  assert.is(r.code, 2, r.stderr);
  const lines = r.stderr
    .trimEnd()
    .split('\n')
    .filter((l) => !/^\d\d:\d\d:\d\d /.test(l));
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^sluice: evaluation\.metrics(\[1\])?: .*rmse/);
  assert.not.match(r.stderr, /Error:/);
});

test('case 10: --task classification on a real-valued target exits 2 with one line', async () => {
  const r = await sluice(['train', weather, '--target', 'temp_max', '--task', 'classification', '--no-tui']);
  assert.is(r.code, 2, r.stderr);
  const lines = r.stderr
    .trimEnd()
    .split('\n')
    .filter((l) => !/^\d\d:\d\d:\d\d /.test(l));
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^sluice: --task: /);
  assert.not.match(r.stderr, /Error:/);
});

test('case 10: a YAML alias bomb fails fast with exit 2, naming the file', async () => {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  const bomb = join(dir, 'bomb.yaml');
  writeFileSync(bomb, `${lines.join('\n')}\nsource: { csv: a.csv }\n`);
  const t0 = performance.now();
  const r = await cli(['run', bomb, '--check']);
  assert.ok(performance.now() - t0 < 2000, 'took too long');
  assert.is(r.code, 2, r.err.join('\n'));
  assert.match(r.err.join('\n'), /bomb\.yaml.*aliases/);
  assert.not.match(r.err.join('\n'), /ReferenceError/);
});

test('case 10: --set training=[1 is a usage error naming the --set argument (exit 2)', async () => {
  const r = await cli(['run', plain, '--check', '--set', 'training=[1']);
  assert.is(r.code, 2, r.err.join('\n'));
  assert.match(r.err[0]!, /^sluice: --set training=\[1: the value is not valid YAML: /);
  assert.not.match(r.err.join('\n'), /YAMLParseError/);
  // Empty key path segments are usage errors too.
  const empty = await cli(['run', plain, '--check', '--set', 'training..maxRows=1']);
  assert.is(empty.code, 2);
  assert.match(empty.err[0]!, /^sluice: --set training\.\.maxRows=1: key path training\.\.maxRows: empty key/);
});

test('case 10: a runtime error is printed once, as sluice: <message>, without a class name', async () => {
  const spec = join(dir, 'missing.yaml');
  writeFileSync(spec, `source: { csv: ${join(dir, 'missing.csv')} }\n`);
  const r = await sluice(['run', spec, '--no-tui']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stderr, `sluice: ${join(dir, 'missing.csv')}: no such file\n`);
});

test('case 10: a bad row under badRows: fail prints file:line:column once, with no empty fields', async () => {
  const csv = join(dir, 'fields.csv');
  writeFileSync(csv, 'a,b\n1,2\n3,4,5\n5,6\n');
  const spec = join(dir, 'fields.yaml');
  writeFileSync(spec, `source: { csv: ${csv}, badRows: fail }\ntarget: b\nmodel: linear\n`);
  const r = await sluice(['run', spec, '--no-tui']);
  assert.is(r.code, 1, r.stderr);
  const lines = r.stderr
    .trimEnd()
    .split('\n')
    .filter((l) => !/^\d\d:\d\d:\d\d /.test(l));
  assert.equal(lines, [`sluice: ${csv}:3:3: field-count: expected 2 fields, got 3`]);
  assert.not.match(r.stderr, /::|BadInputError|ERROR/);
});

test('case 10: an unknown --target column found in the stream is a usage error (exit 2), printed once', async () => {
  const r = await cli(['train', weather, '--target', 'tempmax', '--no-tui']);
  assert.is(r.code, 2, r.err.join('\n'));
  const lines = r.err.filter((l) => !/^\d\d:\d\d:\d\d /.test(l));
  assert.is(lines.length, 1, r.err.join('\n'));
  assert.match(lines[0]!, /^sluice: --target: unknown column "tempmax"/);
});

test.run();
