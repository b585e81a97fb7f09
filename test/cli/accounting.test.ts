import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveModelOptions } from '../../src/learn/index.js';
import { assertReport } from './assertReport.js';
import { root, sluice } from './sluice.js';

// Issue #10: every row accounted for (read = trained + heldOut + skipped), labels, divergence,
// empty input, and the report's missing fields. Each test names the case it covers.

const dir = mkdtempSync(join(tmpdir(), 'sluice-books-'));
const data = join(root, 'node_modules/vega-datasets/data');
const weather = join(data, 'seattle-weather.csv');
const json = (file: string) => JSON.parse(readFileSync(join(data, file), 'utf8')) as Array<Record<string, unknown>>;
const ndjson = (name: string, rows: Array<Record<string, unknown>>) => {
  const p = join(dir, name);
  writeFileSync(p, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return p;
};
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const deadLetterRows = (p: string) => readFileSync(p, 'utf8').trim().split('\n').slice(1);

test('case 1: a missing regression label (cars Miles_per_Gallon) is skipped as `label`, not the end of the run', async () => {
  const cars = json('cars.json');
  const nulls = cars.filter((r) => r.Miles_per_Gallon === null).length;
  assert.ok(nulls > 0);
  const out = join(dir, 'cars-model');
  const r = await sluice(['train', ndjson('cars.ndjson', cars), '--target', 'Miles_per_Gallon', '--json', '--quiet', '--save', out]);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assertReport(report);
  assert.is(report.rows.read, cars.length);
  assert.is(report.rows.skippedByReason.label, nulls);
  assert.is(report.rows.unlabeled, nulls, 'unlabeled rows are still predicted');
  assert.is(report.rows.trained, cars.length - nulls);
  assert.ok(existsSync(join(out, 'pipeline.json')));
});

test('case 1: a missing class label (penguins Sex) is skipped; a NaN target expression too', async () => {
  const penguins = json('penguins.json');
  const nulls = penguins.filter((r) => r.Sex === null).length;
  const r = await sluice(['train', ndjson('penguins.ndjson', penguins), '--target', 'Sex', '--json', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assertReport(report);
  assert.is(report.rows.skippedByReason.label, nulls);
  assert.ok(report.metrics.accuracy > 0.5, JSON.stringify(report.metrics));

  // log of a negative temperature is NaN: those rows have no label.
  const negative = readFileSync(weather, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .filter((l) => Number(l.split(',')[2]) < 0).length;
  const e = await sluice(['train', weather, '--target', 'log(temp_max) > 2', '--json', '--quiet']);
  assert.is(e.code, 0, e.stderr);
  const er = JSON.parse(e.stdout);
  assertReport(er);
  assert.is(er.rows.skippedByReason.label, negative);
});

test('case 1: under badRows fail a missing label stops the run naming file:line and the column', async () => {
  const csv = write('labels.csv', 'x,y\n1,1\n2,0\n3,\n4,1\n');
  const spec = write('labels.yaml', `source: { csv: ${csv}, badRows: fail }\ntarget: y\ntask: classification\n`);
  const r = await sluice(['run', spec, '--json', '--quiet']);
  assert.is(r.code, 1);
  assert.match(r.stderr, `${csv}:4`);
  assert.match(r.stderr, /column "y"/);
  assert.match(r.stderr, /label/);
});

test('case 2: rows dropped by vectorize (NaN and empty cells after standardize) are counted and dead-lettered', async () => {
  const csv = write('nan.csv', 'x,y\n1,1\n2,0\nNaN,1\n4,0\n,1\n6,0\n7,1\n8,0\n');
  const bad = join(dir, 'nan.bad.csv');
  const spec = write('nan.yaml', `source: { csv: ${csv}, deadLetter: ${bad} }\ntarget: y\nsteps:\n  - standardize: [x]\n`);
  const r = await sluice(['run', spec, '--json', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assertReport(report);
  assert.equal([report.rows.read, report.rows.trained, report.rows.skipped], [8, 6, 2]);
  const rows = deadLetterRows(bad);
  assert.is(rows.length, 2);
  assert.ok(
    rows.every((l) => /^\d+,(required|non-finite),x,/.test(l)),
    rows.join('\n'),
  );
});

test('case 2: validate and dedupe in a spec: every one of 1461 rows is trained or skipped with a reason, in one dead letter', async () => {
  const bad = join(dir, 'weather.bad.csv');
  const spec = write(
    'weather.yaml',
    `${[
      `source: { csv: ${weather}, deadLetter: ${bad} }`,
      'target: temp_max > 15',
      'steps:',
      '  - validate: { required: [precipitation], ranges: { wind: { max: 5 } } }',
      '  - dedupe: { keys: [weather], count: 3 }',
      '  - datetime: { column: date }',
      '  - drop: [weather]',
    ].join('\n')}\n`,
  );
  const r = await sluice(['run', spec, '--json', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assertReport(report);
  assert.is(report.rows.read, 1461);
  assert.ok(report.rows.skippedByReason.duplicate > 500, JSON.stringify(report.rows));
  assert.ok(report.rows.skippedByReason.range > 0, JSON.stringify(report.rows));
  assert.is(report.rows.skippedByReason.unaccounted, undefined);
  // The source, validate and dedupe share one dead-letter file: one header, one line per skipped row.
  const rows = deadLetterRows(bad);
  assert.is(rows.length, report.rows.skipped);
  assert.is(
    readFileSync(bad, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('line,reason')).length,
    1,
  );
});

test('case 2: held-out rows are counted (rows.heldOut) and the rolling window is in the report (case 11)', async () => {
  const r = await sluice(['train', weather, '--target', 'temp_max > 15', '--holdout', '0.25', '--json', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assertReport(report);
  assert.ok(report.rows.heldOut > 250 && report.rows.heldOut < 480, String(report.rows.heldOut));
  assert.is(report.rows.read, report.rows.trained + report.rows.heldOut);
  // Every held-out row (fewer than the 200k kept) is scored by the final model.
  assert.is(report.testRows, report.rows.heldOut);
  const spec = write(
    'rolling.yaml',
    `source: { csv: ${weather} }\ntarget: temp_max > 15\nsteps:\n  - drop: [date, weather]\nevaluation: { rolling: 200, metrics: [accuracy] }\n`,
  );
  const s = await sluice(['run', spec, '--json', '--quiet']);
  assert.is(s.code, 0, s.stderr);
  const sr = JSON.parse(s.stdout);
  assert.equal(Object.keys(sr.rolling.values), ['accuracy']);
  assert.is(sr.rolling.window, 200);
});

test('case 3: divergence stops the run with exit 1 and advice; restore keeps the last good model', async () => {
  // Plain SGD at lr 0.1 on an unscaled feature: a runaway rate, whatever the default optimizer.
  const spec = write(
    'diverge.yaml',
    `source: { csv: ${weather} }\ntarget: temp_max\nsteps:\n  - select: [temp_min, temp_max]\nmodel: { linear: { optimizer: sgd, lr: 0.1 } }\n`,
  );
  const out = join(dir, 'diverged');
  const r = await sluice(['run', spec, '--json', '--quiet', '--set', `output.dir=${out}`]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /diverged/);
  assert.match(r.stderr, /smaller learning rate/);
  const report = JSON.parse(r.stdout);
  assertReport(report);
  assert.ok(report.diverged && report.diverged.restoredAtRow === null);
  assert.not.ok(existsSync(join(out, 'pipeline.json')), 'a diverged model is not saved');
  assert.ok(existsSync(join(out, 'report.json')), 'the report is');

  const kept = join(dir, 'restored');
  const k = await sluice(['run', spec, '--json', '--quiet', '--set', `output.dir=${kept}`, '--set', 'training.onDivergence=restore']);
  assert.is(k.code, 0, k.stderr);
  const kr = JSON.parse(k.stdout);
  assertReport(kr);
  assert.is(typeof kr.diverged.restoredAtRow, 'number');
  assert.ok(existsSync(join(kept, 'pipeline.json')));
  const t = await sluice(['train', weather, '--target', 'temp_max', '--drop', 'weather,date,precipitation,wind', '--on-divergence', 'nonsense']);
  assert.is(t.code, 2);
});

test('case 3: one 1e308 cell no longer turns every metric into null', async () => {
  const rows = ['x,y', ...Array.from({ length: 200 }, (_, i) => `${i === 50 ? '1e308' : (i % 17) / 3},${2 * ((i % 17) / 3) + 1}`)];
  const r = await sluice(['train', write('huge.csv', `${rows.join('\n')}\n`), '--target', 'y', '--json', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assertReport(report);
  for (const [k, v] of Object.entries(report.metrics)) assert.ok(typeof v === 'number' && Number.isFinite(v), `${k} = ${v}`);
});

test('case 8: empty, header-only and random input exit 1 with "no rows to learn from"; metrics are null, never absent', async () => {
  const empty = await sluice(['train', write('empty.csv', ''), '--target', 'a', '--json', '--quiet', '--metrics', 'mae,r2']);
  assert.is(empty.code, 1);
  assert.match(empty.stderr, /no rows to learn from/);
  assert.equal(JSON.parse(empty.stdout).metrics, { mae: null, r2: null });
  const header = await sluice(['train', write('header.csv', 'a,b\n'), '--target', 'a', '--quiet']);
  assert.is(header.code, 1);
  assert.match(header.stderr, /no rows to learn from/);
  const unknown = await sluice(['train', join(dir, 'header.csv'), '--target', 'nosuch', '--quiet']);
  assert.is(unknown.code, 2, 'a header-only file still has columns to check the target against');
  assert.match(unknown.stderr, /--target: unknown column "nosuch"; the data has a, b/);
  const skipped = await sluice(['train', write('allbad.csv', 'a,b\n1\n2\n3,4,5\n'), '--target', 'a', '--json', '--quiet']);
  assert.is(skipped.code, 1);
  assert.match(skipped.stderr, /no rows to learn from: read 3, skipped 3 \(field-count 3\)/);
  assertReport(JSON.parse(skipped.stdout));
  const bytes = Buffer.alloc(100_000);
  let s = 7;
  for (let i = 0; i < bytes.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    bytes[i] = s >>> 24;
  }
  const random = await sluice(['train', write('random.csv', bytes.toString('latin1')), '--target', 'a', '--quiet']);
  assert.not.equal(random.code, 0, random.stderr);
});

test('case 10: --metrics of the wrong task and --task classification on real values are usage errors (exit 2)', async () => {
  const m = await sluice(['train', weather, '--target', 'temp_max > 20', '--metrics', 'accuracy,rmse', '--quiet']);
  assert.is(m.code, 2, m.stderr);
  assert.match(m.stderr, /evaluation\.metrics\[1\]: "rmse" is a regression metric/);
  const t = await sluice(['train', weather, '--target', 'temp_max', '--task', 'classification', '--quiet']);
  assert.is(t.code, 2, t.stderr);
  assert.match(t.stderr, /--task: classification needs class labels/);
});

test('case 11: --test with another schema fails before training, naming the missing column', async () => {
  const test = write('other.csv', 'date,precipitation,temp_max\n2012-01-01,0,12\n');
  const started = Date.now();
  const r = await sluice(['train', weather, '--target', 'temp_max > 15', '--test', test, '--quiet']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /evaluation\.test: the test file lacks columns "temp_min", "wind", "weather"/);
  assert.ok(Date.now() - started < 30_000);
});

test('case 11: a spec whose features.drop or features.include names no column exits 2 (a column made by a step is fine)', async () => {
  const spec = (features: string) =>
    write('features.yaml', `source: { csv: ${weather} }\ntarget: temp_max > 15\nsteps:\n  - datetime: { column: date }\nfeatures: ${features}\n`);
  const bad = await sluice(['run', spec('{ drop: [weather, nosuch] }'), '--quiet']);
  assert.is(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /features\.drop: unknown column "nosuch"; the data has date, precipitation/);
  const inc = await sluice(['run', spec('{ include: [wind, date_hour, windy] }'), '--quiet']);
  assert.is(inc.code, 2, inc.stderr);
  assert.match(inc.stderr, /features\.include: unknown column "windy"/);
  const ok = await sluice(['run', spec('{ drop: [weather, date_month] }'), '--quiet']);
  assert.is(ok.code, 0, ok.stderr);
});

test("case 3 and 11: the documented defaults are the code's (optimizer normalized per row at lr 0.5, adam for mlp at 0.01; model seed 1)", () => {
  const logistic = resolveModelOptions({ kind: 'logistic' }),
    mlp = resolveModelOptions({ kind: 'mlp', task: 'binary' });
  assert.equal([logistic.optimizer, logistic.lr, logistic.seed, logistic.batchSize], ['normalized', 0.5, 1, 1]);
  assert.equal([mlp.optimizer, mlp.lr], ['adam', 0.01]);
  const doc = readFileSync(join(root, 'docs/spec.md'), 'utf8');
  const row = (key: string) => doc.split('\n').find((l) => l.startsWith(`| \`${key}\` |`) && /Optimizer|Learning rate|Rows per update/.test(l)) ?? '';
  assert.match(row('optimizer'), /default: normalized for linear, logistic, softmax and svm .*; adam for mlp; sgd with backend webgpu or gpujs/);
  assert.not.match(row('optimizer'), /"adam"/);
  assert.match(row('lr'), /default: 0\.5 with normalized; 0\.01 with adam; 0\.1 otherwise/);
  assert.match(row('batchSize'), /default: 1 with normalized, ftrl and passiveAggressive, which update per row; 32 otherwise/);
  assert.match(
    readFileSync(join(root, 'docs/cli.md'), 'utf8'),
    /\| `--seed S` \| seed for splits, model initialisation and generators without their own \(default 1\) \|/,
  );
});

test('case 2: with --epochs 2 each rejected row is dead-lettered once (later passes read the same rows again)', async () => {
  const lines = ['x,y'];
  for (let i = 0; i < 300; i++) lines.push(i % 50 === 7 ? `${i},1,extra` : i % 60 === 9 ? `${i},` : `${i},${i % 2}`);
  const file = write('epochs.csv', `${lines.join('\n')}\n`);
  const letter = join(dir, 'epochs-dead.csv');
  const r = await sluice(['train', file, '--target', 'y', '--task', 'classification', '--epochs', '2', '--dead-letter', letter, '--json', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.rows.skippedByReason, { 'field-count': 6, label: 5 });
  const recs = deadLetterRows(letter);
  assert.is(recs.length, 11, recs.join('\n'));
  assert.is(new Set(recs).size, 11, 'no record twice');
});

test.run();
