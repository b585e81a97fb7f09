import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('the README library example runs and reports progressive metrics', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/library.ts', '30000'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  const report = JSON.parse(out.trim().split('\n').at(-1)!) as { rows: number; metrics: Record<string, number> };
  assert.is(report.rows, 30000);
  assert.ok(report.metrics.accuracy! > 0.5 && report.metrics.accuracy! <= 1, `accuracy ${report.metrics.accuracy}`);
  assert.ok(report.metrics.logLoss! > 0 && report.metrics.logLoss! < Math.LN2, `logLoss ${report.metrics.logLoss}`);
  assert.ok(Number.isFinite(report.metrics.rocAuc!));
});

test.run();
