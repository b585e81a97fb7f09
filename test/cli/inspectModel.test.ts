import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../../src/cli/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-inspect-model-'));
const csv = join(dir, 'data.csv');
// The class is x > 0.2; y is noise, and so is the category c.
writeFileSync(
  csv,
  `x,y,c,label\n${Array.from({ length: 2000 }, (_, i) => {
    const x = ((i * 37) % 1000) / 1000,
      y = ((i * 61) % 997) / 997;
    return `${x},${y},${'abc'[i % 3]},${x > 0.2 ? 'yes' : 'no'}`;
  }).join('\n')}\n`,
);

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [],
    err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('sluice inspect MODEL_DIR: a saved forest, its size and options, features by importance', async () => {
  const save = join(dir, 'arf');
  const t = await cli(['train', csv, '--target', 'label', '--model', 'arf', '--trees', '3', '--save', save, '--no-tui', '--quiet', '--json']);
  assert.is(t.code, 0, t.err);
  const report = JSON.parse(t.out);
  assert.is(report.trees.kind, 'arf');
  assert.is(report.trees.trees, 3);
  assert.is(report.trees.rows, 2000);
  const text = await cli(['inspect', save]);
  assert.is(text.code, 0, text.err);
  assert.match(text.out, /^model {5}arf \(binary: no, yes\), \d+ inputs, 2000 rows learned/);
  assert.match(text.out, /options .*trees 3, maxFeatures \d+, lambda 6/);
  assert.not.match(text.out, /optimizer|momentum/);
  assert.match(text.out, /trees {5}3 trees, [\d,]+ nodes, [\d,]+ leaves, depth \d+, 0 drift resets/);
  assert.match(text.out, /feature importances/);
  // One Hoeffding tree sees every feature (an arf member only its random subspace): x decides the class and leads.
  const ht = join(dir, 'hoeffding');
  assert.is((await cli(['train', csv, '--target', 'label', '--model', 'hoeffding', '--save', ht, '--no-tui', '--quiet'])).code, 0);
  assert.match((await cli(['inspect', ht])).out, /feature importances \(top 1 of \d+\)\n {2}x /);
  const json = JSON.parse((await cli(['inspect', ht, '--json'])).out);
  const imp = json.model.importances as Array<{ feature: string; importance: number }>;
  assert.is(imp[0]!.feature, 'x');
  assert.ok(Math.abs(imp.reduce((a, f) => a + f.importance, 0) - 1) < 1e-9);
  for (let i = 1; i < imp.length; i++) assert.ok(imp[i - 1]!.importance >= imp[i]!.importance);
  assert.equal(json.model.classes, ['no', 'yes']);
  // A pipeline.json works too; data-file flags do not apply to a model.
  assert.is((await cli(['inspect', join(save, 'pipeline.json'), '--json'])).code, 0);
  const bad = await cli(['inspect', save, '--target', 'label']);
  assert.is(bad.code, 2);
  assert.match(bad.err, /--target: applies to data files, not to a saved model/);
});

test('sluice inspect MODEL_DIR of a linear model: kind and options, no tree lines', async () => {
  const save = join(dir, 'logistic');
  assert.is((await cli(['train', csv, '--target', 'label', '--save', save, '--no-tui', '--quiet'])).code, 0);
  const r = await cli(['inspect', save]);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^model {5}logistic \(binary: no, yes\)/);
  assert.match(r.out, /optimizer normalized/);
  assert.not.match(r.out, /feature importances|trees /);
});

test.run();
