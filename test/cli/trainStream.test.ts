import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertReport } from './assertReport.js';
import { root, sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-tt-'));
const weather = join(root, 'node_modules/vega-datasets/data/seattle-weather.csv');

test('a spec run gives the same progressive and held-out metrics whatever the source batch size (one engine, mini-batches of 10 over the whole stream)', async () => {
  const reports = [];
  for (const size of [64, 500, 4096]) {
    const spec = join(dir, `batch${size}.yaml`);
    // No stateful step: what the source's batches could change is the engine's work alone.
    writeFileSync(
      spec,
      `source: { csv: ${weather}, batchSize: ${size} }\ntarget: temp_max > 15\nsteps:\n  - drop: [date, weather]\nsplit: { test: 0.25 }\nevaluation: { metrics: [accuracy, rocAuc, logLoss] }\nmodel: { logistic: { optimizer: sgd, lr: 0.05 } }\ntraining: { batchSize: 10 }\n`,
    );
    const r = await sluice(['run', spec, '--json', '--quiet']);
    assert.is(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assertReport(report);
    reports.push(report);
  }
  const [first] = reports;
  assert.ok(first.metrics.rocAuc > 0.8, JSON.stringify(first.metrics));
  assert.ok(first.rows.heldOut > 300 && first.rows.heldOut < 440, String(first.rows.heldOut));
  assert.is(first.testRows, first.rows.heldOut, 'every held-out row scored by the final model');
  for (const r of reports.slice(1)) {
    assert.equal(r.metrics, first.metrics);
    assert.equal(r.test, first.test);
    assert.equal(r.rows, first.rows);
  }
});

test.run();
