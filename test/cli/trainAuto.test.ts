import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { sluice } from './sluice.js';

// `sluice train --auto` (docs/tune.md): a race of candidate configurations on the stream, its
// record in the report, the saved artifact and `sluice inspect`; the flags' and spec's errors.

const dir = mkdtempSync(join(tmpdir(), 'sluice-auto-'));
const data = join(dir, 'data.csv');
{
  const rng = new Rng(4);
  const lines = ['a,b,c,kind,label'];
  for (let i = 0; i < 4000; i++) {
    const a = rng.normal(0, 1),
      b = rng.normal(0, 1),
      c = rng.uniform(0, 5),
      k = rng.int(4);
    const s = 1.5 * a - b + 0.4 * c - 1 + (k === 2 ? 1 : 0);
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${c.toFixed(3)},k${k},${rng.uniform(0, 1) < 1 / (1 + Math.exp(-s)) ? 1 : 0}`);
  }
  writeFileSync(data, `${lines.join('\n')}\n`);
}
const train = (...more: string[]) => sluice(['train', data, '--target', 'label', '--json', '--quiet', '--seed', '2', ...more]);

test('--auto races 16 candidates by default; the report, the saved artifact and inspect carry the race', async () => {
  const save = join(dir, 'auto');
  const r = await train('--auto', '--save', save);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const t = report.tune;
  assert.is(t.candidates, 16);
  assert.is(t.budget, 4);
  assert.is(t.mode, 'halving');
  assert.is(t.leaderboard.length, 16);
  assert.ok(t.finished, 'rung ends at 256, 768, 1,792 and 3,840 rows: one left within 4,000 rows');
  assert.is(t.leaderboard[0].id, t.winner.id);
  assert.is(t.leaderboard.filter((e: { dropped: number | null }) => e.dropped === null).length, 1);
  assert.ok(t.budgetUsed > 1 && t.budgetUsed < 16, String(t.budgetUsed));
  assert.ok(report.metrics.rocAuc > 0.7, JSON.stringify(report.metrics));
  const saved = JSON.parse(readFileSync(join(save, 'pipeline.json'), 'utf8'));
  assert.equal(saved.report.tune.winner, t.winner);
  assert.equal(saved.model.tune.winner, t.winner);
  const shown = await sluice(['inspect', save]);
  assert.is(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, new RegExp(`tuning +won #${t.winner.id} .* of 16 candidates`));
  assert.match(shown.stdout, /leaderboard \(racing best first/);
  assert.match(shown.stdout, /dropped at row/);
  const j = JSON.parse((await sluice(['inspect', save, '--json'])).stdout);
  assert.equal(j.tune.winner, t.winner);
  // The saved model is the winner alone: predict serves it.
  const p = await sluice(['predict', save, data, '--quiet']);
  assert.is(p.code, 0, p.stderr);
});

test('a space of plain values with --candidates 1 is that configuration alone', async () => {
  const alone = await train('--optimizer', 'ftrl', '--lr', '0.2', '--model', 'logistic');
  const raced = await train('--auto', '--candidates', '1', '--space', '{"kind":"logistic","optimizer":"ftrl","lr":0.2}');
  assert.is(alone.code, 0, alone.stderr);
  assert.is(raced.code, 0, raced.stderr);
  assert.equal(JSON.parse(raced.stdout).metrics, JSON.parse(alone.stdout).metrics);
  const space = join(dir, 'space.yaml');
  writeFileSync(space, 'kind: logistic\noptimizer: normalized\nlr: [0.1, 1, 3]\n');
  const fromFile = await train('--auto', '--candidates', '3', '--space', space);
  assert.is(fromFile.code, 0, fromFile.stderr);
  assert.equal(
    JSON.parse(fromFile.stdout)
      .tune.leaderboard.map((e: { config: { lr: number } }) => e.config.lr)
      .sort(),
    [0.1, 1, 3].sort(),
  );
});

test('the flags and the spec refuse what a race cannot do, naming the key', async () => {
  const alone = await train('--budget', '3');
  assert.is(alone.code, 2);
  assert.match(alone.stderr, /--budget tunes: give it with --auto/);
  const badSpace = await train('--auto', '--space', '{"lr":{"logUniform":[0,1]}}');
  assert.is(badSpace.code, 2);
  assert.match(badSpace.stderr, /tune\.space\.lr: logUniform needs a positive low end/);
  const notJson = await train('--auto', '--space', '{lr:');
  assert.is(notJson.code, 2);
  assert.match(notJson.stderr, /--space: not valid JSON/);
  const ck = await train('--auto', '--checkpoint', join(dir, 'ck'));
  assert.is(ck.code, 2);
  assert.match(ck.stderr, /checkpoints do not cover a hyperparameter race/);
  const drift = await train('--auto', '--drift', 'adwin');
  assert.is(drift.code, 2);
  assert.match(drift.stderr, /tune: cannot be used with drift yet/);
  const spec = join(dir, 'spec.yaml');
  writeFileSync(spec, [`source: { csv: ${JSON.stringify(data)} }`, 'target: label', 'tune: { candidates: 4, rung: 100, bogus: 1 }'].join('\n'));
  const r = await sluice(['run', spec, '--json', '--quiet']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /tune\.bogus/);
  writeFileSync(
    spec,
    [`source: { csv: ${JSON.stringify(data)} }`, 'target: label', 'steps: [{ oneHot: [kind] }]', 'tune: { candidates: 4, rung: 100 }'].join('\n'),
  );
  const ok = await sluice(['run', spec, '--json', '--quiet']);
  assert.is(ok.code, 0, ok.stderr);
  assert.is(JSON.parse(ok.stdout).tune.candidates, 4);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
