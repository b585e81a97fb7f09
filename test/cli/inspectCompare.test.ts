import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { jensenShannonDivergence } from '../../src/drift/index.js';
import { sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-inspect-compare-'));

/**
 * n rows: x ~ Normal(shift, 1), k uniform on 0..9 (never shifts), c cycling through `cats`
 * (exact counts), and one column only this file has.
 */
function csv(name: string, seed: number, n: number, shift: number, cats: string, only: string): string {
  const rng = new Rng(seed);
  const lines = [`x,k,c,${only}`];
  for (let i = 0; i < n; i++) lines.push(`${rng.normal(shift, 1).toFixed(5)},${rng.int(10)},${cats[i % cats.length]},${i}`);
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

// c: a 60%, b 30%, c 10% in A; a 20%, b 30%, c 50% in B.
const A = csv('a.csv', 1, 3000, 0, 'aaaaaabbbc', 'onlyA');
const B = csv('b.csv', 2, 2000, 1, 'aabbbccccc', 'onlyB');

test('inspect A --compare B: a row per shared column with its measures and verdict, the one-sided columns listed', async () => {
  const r = await sluice(['inspect', A, '--compare', B, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const rows = Object.fromEntries(
    r.stdout
      .split('\n')
      .filter((l) => /^(x|k|c) /.test(l))
      .map((l) => [l.split(/\s+/)[0], l.trim().split(/\s+/)]),
  );
  // column, type, rows A, rows B, psi, ks, js, verdict
  assert.equal(rows.x!.slice(0, 4), ['x', 'number', '3000', '2000']);
  assert.is(rows.x!.at(-1), 'major');
  assert.is(rows.k!.at(-1), 'none');
  assert.equal([rows.c![1], rows.c![4], rows.c!.at(-1)], ['category', '-', 'major']);
  assert.match(r.stdout, `${B} against ${A} (the reference), per column:`);
  assert.match(r.stdout, 'Drifted: x (major), c (major).');
  assert.match(r.stdout, `Only in ${A}: onlyA.`);
  assert.match(r.stdout, `Only in ${B}: onlyB.`);
  // The table and its legend fit 80 columns (lines naming the files are as long as their paths).
  for (const l of r.stdout.split('\n').filter((l) => !l.includes(dir))) assert.ok(l.length <= 80, `over 80 columns: ${l}`);
});

test('inspect A --compare B --json: the same as an object; c has the exact JS of its counts, x a KS near 2Φ(½) − 1', async () => {
  const r = await sluice(['inspect', A, '--compare', B, '--quiet', '--json']);
  assert.is(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal([j.reference, j.compared], [A, B]);
  assert.equal(j.drifted, ['x', 'c']);
  assert.equal([j.onlyReference, j.onlyLive, j.notCompared], [['onlyA'], ['onlyB'], {}]);
  const js = j.columns.c.measures[0];
  assert.equal([js.measure, js.verdict], ['js', 'major']);
  assert.is(js.value, jensenShannonDivergence([1800, 900, 300], [400, 600, 1000]));
  const [psi, ks] = j.columns.x.measures;
  assert.equal([psi.measure, ks.measure, j.columns.x.verdict], ['psi', 'ks', 'major']);
  assert.ok(Math.abs(ks.value - 0.38292492254802624) <= ks.error + ks.critical, JSON.stringify(ks));
  assert.equal([j.columns.k.type, j.columns.k.verdict, j.columns.k.referenceRows, j.columns.k.liveRows], ['integer', 'none', 3000, 2000]);
});

test('a file against itself: every value 0, no column drifted', async () => {
  const r = await sluice(['inspect', A, '--compare', A, '--quiet', '--json']);
  assert.is(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.drifted, []);
  for (const c of Object.values(j.columns) as Array<{ measures: Array<{ value: number }> }>) for (const m of c.measures) assert.is(m.value, 0);
  const t = await sluice(['inspect', A, '--compare', A, '--quiet']);
  assert.match(t.stdout, 'No column drifted.');
});

test('errors: a missing file (either one, before reading), no shared column, --target with --compare', async () => {
  const missing = join(dir, 'missing.csv');
  const m = await sluice(['inspect', A, '--compare', missing, '--quiet']);
  assert.is(m.code, 1);
  assert.is(m.stderr.trim(), `sluice: ${missing}: no such file (--compare)`);
  const m2 = await sluice(['inspect', missing, '--compare', A, '--quiet']);
  assert.is(m2.code, 1);
  assert.is(m2.stderr.trim(), `sluice: ${missing}: no such file`);
  const other = join(dir, 'other.csv');
  writeFileSync(other, 'p,q\n1,2\n');
  const n = await sluice(['inspect', A, '--compare', other, '--quiet']);
  assert.is(n.code, 1);
  assert.is(n.stderr.trim(), `sluice: ${A} and ${other} share no column (${A}: x, k, c, onlyA; ${other}: p, q)`);
  const t = await sluice(['inspect', A, '--compare', B, '--target', 'x']);
  assert.is(t.code, 2);
  assert.match(t.stderr, 'sluice: --compare: compares the columns of two files; --target does not apply');
});

test('a column whose type differs is listed, not compared', async () => {
  const p = join(dir, 'typed.csv');
  writeFileSync(p, 'x,k,c\n1,u,a\n2,v,b\n');
  const r = await sluice(['inspect', A, '--compare', p, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'Not compared (types differ): k, integer in the reference, category live.');
  assert.match(r.stdout, `Only in ${A}: onlyA.`);
});

test('a column going dark: its missing share is a drift of its own, shown under the column', async () => {
  const rng = new Rng(9);
  const rows = (n: number, gapEvery: number) => {
    const out = ['x,k'];
    for (let i = 0; i < n; i++) out.push(`${i % gapEvery === 0 ? '' : rng.normal(0, 1).toFixed(4)},${rng.int(10)}`);
    return `${out.join('\n')}\n`;
  };
  const before = join(dir, 'before.csv'),
    after = join(dir, 'after.csv');
  writeFileSync(before, rows(3000, 100));
  writeFileSync(after, rows(3000, 2));
  const r = await sluice(['inspect', before, '--compare', after, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^x +number .* major$/m);
  assert.match(r.stdout, /^ {2}missing 1\.0% → 50\.0% of cells \(psi [\d.]+: major\)$/m);
  assert.match(r.stdout, /^k +integer .* none$/m);
  assert.match(r.stdout, /Drifted: x \(major\)\./);
  for (const line of r.stdout.split('\n').slice(1)) assert.ok(line.length <= 80, `over 80 columns: ${line}`);
});

test.run();
