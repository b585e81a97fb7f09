import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertReport } from './assertReport.js';
import { sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
const weather = 'node_modules/vega-datasets/data/seattle-weather.csv';

test('run: a valid spec streams and prints the JSON report', async () => {
  const spec = join(dir, 'sea.yaml');
  writeFileSync(
    spec,
    'source: { synthetic: { sea: { function: 1, noise: 0 } }, maxRows: 3000, batchSize: 500 }\ntarget: class\nmodel: { logistic: { lr: 0.1 } }\nevaluation: { metrics: [accuracy, logLoss] }\noutput: { dir: ' +
      JSON.stringify(join(dir, 'out')) +
      ' }\n',
  );
  const r = await sluice(['run', spec, '--json', '--no-tui', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assertReport(report);
  assert.is(report.rows.read, 3000);
  assert.is(report.rows.trained, 3000);
  assert.equal(Object.keys(report.metrics), ['accuracy', 'logLoss']);
  assert.ok(report.metrics.accuracy > 0.6, String(report.metrics.accuracy));
  assert.is(report.backend, 'cpu');
  // Saved: the report and the artifact with preprocessing and model state.
  assert.equal(JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8')).rows, report.rows);
  const artifact = JSON.parse(readFileSync(join(dir, 'out/pipeline.json'), 'utf8'));
  assert.is(artifact.model.kind, 'logistic');
  assert.ok(Array.isArray(artifact.pipeline.transforms));
});

test('run: a bad spec exits 2 listing every problem with its key path and line', async () => {
  const spec = join(dir, 'bad.yaml');
  writeFileSync(
    spec,
    'source: { csv: a.csv }\ntarget: y\nsteps:\n  - impute: { columns: [a], strategy: avg }\n  - standardise: [a]\nmodel: { logistic: { lr: -1 } }\n',
  );
  const r = await sluice(['run', spec]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /3 problems/);
  assert.match(r.stderr, /steps\[0\]\.impute\.strategy: expected one of mean\|median\|mode\|constant\|previous, got "avg" \(.*bad\.yaml:4\)/);
  assert.match(r.stderr, /steps\[1\]\.standardise: unknown step "standardise"; did you mean "standardize"\?/);
  assert.match(r.stderr, /model\.logistic\.lr: expected a number > 0, got -1/);
  assert.is(r.stdout, '');
});

test('run: a missing spec file exits 1 naming it; --check validates only; --set overrides', async () => {
  const r = await sluice(['run', join(dir, 'nope.yaml')]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /nope\.yaml: no such spec file/);
  const spec = join(dir, 'check.yaml');
  writeFileSync(spec, 'source: { csv: missing.csv }\ntarget: y\n');
  const ok = await sluice(['run', spec, '--check']);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /check\.yaml: ok/);
  const bad = await sluice(['run', spec, '--check', '--set', 'training.backend=gpu']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /training\.backend: expected one of auto\|cpu\|webgpu\|gpujs, got "gpu"/);
  // The data file is missing: a runtime failure naming it.
  const run = await sluice(['run', spec, '--quiet']);
  assert.is(run.code, 1);
  assert.match(run.stderr, /missing\.csv: no such file/);
});

test('inspect: a table within 80 columns, --json statistics, missing file', async () => {
  const r = await sluice(['inspect', weather, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(
    lines.every((l) => l.length <= 80),
    lines.find((l) => l.length > 80),
  );
  assert.match(lines[0]!, /^column\s+type\s+count\s+miss\s+mean\s+std\s+min\s+p50\s+p99\s+max$/);
  assert.match(r.stdout, /^temp_max\s+number\s+1461\s+0\s/m);
  assert.match(r.stdout, /top: rain \(641\), sun \(640\)/);
  const j = await sluice(['inspect', weather, '--json', '--quiet']);
  const stats = JSON.parse(j.stdout);
  assert.is(stats.wind.type, 'number');
  assert.is(stats.wind.count, 1461);
  const missing = await sluice(['inspect', join(dir, 'gone.parquet')]);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /gone\.parquet/);
});

test('bench: an unknown suite is a usage error from bench/main.ts; unknown flags of other commands exit 2', async () => {
  const r = await sluice(['bench', 'nosuchsuite']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /unknown bench suite "nosuchsuite"/);
  const flag = await sluice(['inspect', weather, '--colour']);
  assert.is(flag.code, 2);
  assert.match(flag.stderr, /--colour/);
  const help = await sluice(['--help']);
  assert.match(help.stdout, /run\s+run a whole pipeline[\s\S]*train[\s\S]*inspect[\s\S]*bench/);
});

test.run();
