import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { root, sluice } from '../cli/sluice.js';

/** Runs an example spec with --json --no-tui and a row cap; returns the parsed report. */
// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON report.
async function runExample(name: string, extra: string[] = []): Promise<Record<string, any>> {
  const r = await sluice(['run', `examples/${name}`, '--json', '--no-tui', '--quiet', ...extra]);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.ok(report.rows.read > 0 && report.rows.trained > 0, JSON.stringify(report.rows));
  assert.ok(report.backend === 'cpu' || report.backend === 'webgpu' || report.backend === 'gpujs', report.backend);
  return report;
}

test('every example spec is covered by this file', () => {
  const specs = readdirSync(resolve(root, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  assert.equal(specs, ['agrawal-arf.yaml', 'drift.yaml', 'flights-arrow.yaml', 'seattle-weather.yaml', 'tcp-stream.yaml', 'text.yaml']);
});

test('flights from Arrow: delay > 15 with a held-out fifth', async () => {
  const r = await runExample('flights-arrow.yaml', ['--set', 'training.maxRows=20000', '--set', 'evaluation.rolling=2000']);
  assert.is(r.rows.read, 20000);
  assert.ok(r.rows.trained > 15000 && r.rows.trained < 17000, String(r.rows.trained));
  // Most flights are not late: a sane model beats a coin and its log loss beats ln 2.
  assert.ok(r.test.accuracy > 0.7 && r.test.logLoss < Math.LN2, JSON.stringify(r.test));
});

test('Seattle weather from CSV, as regression on temp_max', async () => {
  const r = await runExample('seattle-weather.yaml');
  assert.is(r.rows.read, 1461);
  assert.ok(r.test.r2 > 0.5 && r.test.mae < 5, JSON.stringify(r.test));
});

test('synthetic SEA drift stream', async () => {
  const r = await runExample('drift.yaml', [
    '--set',
    'source.maxRows=20000',
    '--set',
    'source.synthetic.drift.position=10000',
    '--set',
    'source.synthetic.drift.width=1000',
  ]);
  assert.is(r.rows.read, 20000);
  assert.ok(r.metrics.accuracy > 0.7, JSON.stringify(r.metrics));
});

test('an Adaptive Random Forest through an abrupt Agrawal drift: trees replaced, accuracy kept', async () => {
  const r = await runExample('agrawal-arf.yaml', ['--set', 'source.maxRows=20000', '--set', 'source.synthetic.drift.position=10000']);
  assert.is(r.rows.read, 20000);
  assert.is(r.trees.kind, 'arf');
  assert.is(r.trees.trees, 10);
  // Function 1 then 4 (both age/salary rules): a forest that adapts stays well above the majority class.
  assert.ok(r.metrics.accuracy > 0.8 && r.rolling.values.accuracy > 0.75, JSON.stringify([r.metrics, r.rolling]));
  assert.ok(r.trees.resets > 0, JSON.stringify(r.trees));
});

test('text classification stream', async () => {
  const r = await runExample('text.yaml');
  assert.is(r.rows.read, 300);
  assert.ok(r.test.accuracy > 0.8, JSON.stringify(r.test));
});

test('TCP stream fed by the producer script; malformed rows are skipped and counted', async () => {
  let producer: Promise<number | null> | null = null;
  const r = await sluice(['run', 'examples/tcp-stream.yaml', '--set', 'source.tcp.listen=0', '--json', '--no-tui'], (stderr) => {
    const m = /listening on 127\.0\.0\.1:(\d+)/.exec(stderr);
    if (m && !producer) {
      producer = new Promise((done) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'examples/tcp-producer.ts', m[1]!, '3000'], { cwd: root, stdio: 'ignore' });
        child.on('close', done);
      });
    }
  });
  assert.ok(producer, 'never saw "listening on"');
  assert.is(await producer, 0);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.is(report.rows.read, 3000);
  assert.is(report.rows.skipped, 6);
  assert.is(report.rows.trained, 2994);
  assert.ok(report.metrics.accuracy > 0.7, JSON.stringify(report.metrics));
});

test.run();
