import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertReport } from './assertReport.js';
import { root, sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
const weather = 'node_modules/vega-datasets/data/seattle-weather.csv';

test('train: default preprocessing, holdout and the report', async () => {
  const r = await sluice(['train', weather, '--target', 'temp_max > 20', '--holdout', '0.2', '--json', '--no-tui', '--quiet', '--epochs', '2']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assertReport(report);
  assert.is(report.rows.read, 1461);
  assert.ok(report.rows.trained > 1000 && report.rows.trained < 1300, String(report.rows.trained));
  assert.ok(report.test && report.test.accuracy > 0.75, JSON.stringify(report.test));
  assert.ok('rocAuc' in report.metrics && 'logLoss' in report.metrics);
});

test('train: regression inferred from a number target; plain report without --json', async () => {
  const r = await sluice(['train', weather, '--target', 'temp_max', '--drop', 'temp_min', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^rows: read 1461, trained 1461, skipped 0$/m);
  assert.match(r.stdout, /^progressive: mae [\d.]+ {2}rmse [\d.]+ {2}r2 -?[\d.]+$/m);
});

test('train: errors — missing file (1), unknown --target column (2), no --target (2), bad flag value (2)', async () => {
  const missing = await sluice(['train', join(dir, 'none.csv'), '--target', 'y', '--quiet']);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /none\.csv: no such file/);
  const unknown = await sluice(['train', weather, '--target', 'tempmax > 3', '--quiet']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /--target: unknown column "tempmax"; the data has date, precipitation, temp_max, temp_min, wind, weather/);
  const none = await sluice(['train', weather]);
  assert.is(none.code, 2);
  assert.match(none.stderr, /--target is required/);
  const flag = await sluice(['train', weather, '--target', 'wind', '--model', 'gbm']);
  assert.is(flag.code, 2);
  assert.match(flag.stderr, /--model: expected one of linear\|logistic\|softmax\|svm\|passiveAggressive\|mlp\|hoeffding\|hat\|arf\|forest, got "gbm"/);
  const metric = await sluice(['train', weather, '--target', 'wind', '--metrics', 'mae,rmsee']);
  assert.is(metric.code, 2);
  assert.match(metric.stderr, /evaluation\.metrics\[1\]: .*did you mean "rmse"\?/);
});

test('train: a port in use exits 1 naming the port', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const r = await sluice(['train', `tcp://127.0.0.1:${port}`, '--target', 'y', '--quiet']);
    assert.is(r.code, 1);
    assert.match(r.stderr, new RegExp(`port ${port} is already in use`));
  } finally {
    server.close();
  }
});

test('train - --format ndjson reads JSON lines from stdin; without it stdin is CSV', async () => {
  const rows: string[] = [];
  for (let i = 0; i < 400; i++) {
    const x = ((i * 37) % 101) / 50 - 1;
    rows.push(JSON.stringify({ x, c: ['a', 'b'][i % 2], y: x > 0 ? 1 : 0 }));
  }
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['bin/sluice.js', 'train', '-', '--target', 'y', '--json', '--quiet', ...args], {
      cwd: root,
      input: `${rows.join('\n')}\n`,
      encoding: 'utf8',
    });
  const r = run(['--format', 'ndjson']);
  assert.is(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.is(report.rows.read, 400);
  assert.is(report.choices.task, 'binary');
  assert.ok(report.metrics.rocAuc > 0.9, JSON.stringify(report.metrics));
  // As CSV (the default) the same bytes are JSON text cut at its commas: nothing to learn.
  const csv = run([]);
  assert.is.not(csv.status, 0);
  assert.match(csv.stderr, /no rows to learn from|not in the data/);
});

test.run();
