import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ImputeStandardizeState } from '../../src/features/index.js';
import { type FeatureMatrix, fromCsv, modelFromState, Pipeline } from '../../src/index.js';
import { assertReport } from './assertReport.js';
import { sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-quick-'));

// 0/1 labels that follow x, in two row orders; a skewed amount, a category, a date.
function file(name: string, flip: boolean): string {
  const rows = ['x,amount,city,at,y'];
  for (let i = 0; i < 200; i++) {
    const j = flip ? 199 - i : i;
    const y = (j * 7) % 10 < 5 ? 1 : 0;
    rows.push(
      `${y ? 1 + (j % 5) * 0.1 : -1 - (j % 3) * 0.1},${j % 20 === 0 ? 5000 : j % 4},${['a', 'b', 'c'][j % 3]},2024-01-${String(1 + (j % 28)).padStart(2, '0')}T${String(j % 24).padStart(2, '0')}:00:00Z,${y}`,
    );
  }
  const path = join(dir, name);
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}
const a = file('a.csv', false),
  b = file('b.csv', true);

test('integer 0/1 labels train as binary classification; the task line and report.choices say so, whatever the row order', async () => {
  for (const path of [a, b]) {
    const r = await sluice(['train', path, '--target', 'y', '--json', '--no-tui']);
    assert.is(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /task: binary \(integer target with 2 distinct values in the first 200 rows.*\); classes 0, 1; positive class "1" \(the later label in sorted order; --positive changes it\)/,
    );
    const report = JSON.parse(r.stdout);
    assertReport(report);
    assert.ok('rocAuc' in report.metrics, 'classification metrics');
    assert.equal([report.choices.task, report.choices.classes, report.choices.positive], ['binary', ['0', '1'], '1']);
    assert.match(report.choices.columns.amount, /^log1p \(skewness/);
    assert.is(report.choices.columns.x, 'impute mean, standardize');
    assert.match(report.choices.columns.city, /^one-hot/);
    assert.match(report.choices.columns.at, /hour, dayOfWeek, month, each one-hot/);
    assert.equal(report.choices.interactions, []);
  }
});

test('--positive flips the positive class (rocAuc of the other class), --quiet drops the line; an unknown one exits 2 naming the classes', async () => {
  const one = JSON.parse((await sluice(['train', a, '--target', 'y', '--json', '--quiet'])).stdout);
  const r = await sluice(['train', a, '--target', 'y', '--json', '--quiet', '--positive', '0']);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stderr, /task:/);
  const zero = JSON.parse(r.stdout);
  assert.equal([zero.choices.classes, zero.choices.positive, zero.choices.positiveRule], [['1', '0'], '0', 'option']);
  assert.ok(Math.abs(zero.metrics.rocAuc - one.metrics.rocAuc) < 0.05, `${zero.metrics.rocAuc} vs ${one.metrics.rocAuc}`);
  const bad = await sluice(['train', a, '--target', 'y', '--quiet', '--positive', 'yes']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--positive: "yes" is not a class of target "y"; the classes seen in the first 200 rows are "0", "1"/);
});

test('--task regression keeps 0/1 numeric; --interactions names pairs or exits 2; --save writes the choices in report.json', async () => {
  const r = await sluice(['train', a, '--target', 'y', '--task', 'regression', '--json', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).choices.task, 'regression');
  const save = join(dir, 'run');
  const c = await sluice(['train', a, '--target', 'y', '--json', '--quiet', '--interactions', 'city:at_hour', '--save', save]);
  assert.is(c.code, 0, c.stderr);
  assert.equal(JSON.parse(c.stdout).choices.interactions, ['city:at_hour']);
  assert.equal(JSON.parse(readFileSync(join(save, 'report.json'), 'utf8')).choices.interactions, ['city:at_hour']);
  const bad = await sluice(['train', a, '--target', 'y', '--quiet', '--interactions', 'city:x']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--interactions: "x" is a number column, not a category/);
});

test('inspect --target states the task and every column treatment', async () => {
  const r = await sluice(['inspect', a, '--quiet', '--target', 'y']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /sluice train's quick path, from the first batch \(200 rows\):\n {2}task: binary .*positive class "1"/);
  assert.match(r.stdout, /^ {2}amount +log1p \(skewness [\d.]+\), impute mean, standardize$/m);
  const j = JSON.parse((await sluice(['inspect', a, '--quiet', '--json', '--target', 'y'])).stdout);
  assert.equal([j.choices.task, j.choices.positive], ['binary', '1']);
  assert.ok(j.columns.amount, 'the statistics stay under columns');
});

test('--save: the fused numeric step loads and predicts as log1p → impute → standardize with the same statistics', async () => {
  const save = join(dir, 'fused');
  const r = await sluice(['train', a, '--target', 'y', '--json', '--quiet', '--save', save]);
  assert.is(r.code, 0, r.stderr);
  const art = JSON.parse(readFileSync(join(save, 'pipeline.json'), 'utf8'));
  const states = art.pipeline.transforms as Array<{ kind: string; state: ImputeStandardizeState }>;
  const at = states.findIndex((t) => t.kind === 'imputeStandardize');
  assert.ok(at >= 0, states.map((t) => t.kind).join(', '));
  const s = states[at]!.state;
  assert.equal(s.log1p, ['amount']);
  // The same statistics as the three steps' state.
  const three = [
    { kind: 'log1p', state: { columns: s.log1p } },
    {
      kind: 'impute',
      state: {
        nonFinite: 'missing',
        modeCapacity: 64,
        columns: Object.fromEntries(s.columns.map((c) => [c, { strategy: 'mean', value: null, indicator: false, moments: s.impute[c] }])),
      },
    },
    { kind: 'scale', state: { columns: s.columns, method: 'standard', nonFinite: 'missing', k: 200, moments: s.scale, sketches: null } },
  ];
  const fused = Pipeline.fromJSON(art.pipeline).freeze();
  const chained = Pipeline.fromJSON({ ...art.pipeline, transforms: [...states.slice(0, at), ...three, ...states.slice(at + 1)] }).freeze();
  const batches = await lastValueFrom(fromCsv(a).pipe(toArray()));
  const model = await modelFromState(art.model);
  for (const b of batches) {
    const x = fused.transform(b) as FeatureMatrix,
      y = chained.transform(b) as FeatureMatrix;
    assert.equal(Array.from(x.values), Array.from(y.values));
    assert.equal(Array.from(await model.predict(x)), Array.from(await model.predict(y)));
  }
});

test.run();
