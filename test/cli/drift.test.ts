import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { parseSpec } from '../../src/pipeline/index.js';
import { sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-drift-'));
const ROWS = 12_000,
  CHANGE = 6000;
// y = a + b > 1, 5 % noise; the concept flips (y = a + b ≤ 1) at row 6000.
const file = join(dir, 'flip.csv');
{
  const rng = new Rng(3);
  const lines = ['a,b,y'];
  for (let i = 0; i < ROWS; i++) {
    const a = rng.float(),
      b = rng.float();
    let y = a + b > 1 ? 1 : 0;
    if (rng.float() < 0.05) y = 1 - y;
    if (i >= CHANGE) y = 1 - y;
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${y}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

test('train --drift ddm --on-drift swap: the drift is found after the change, logged with its row, and the swap counted in the report', async () => {
  const r = await sluice(['train', file, '--target', 'y', '--drift', 'ddm', '--on-drift', 'swap', '--json', '--no-tui']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const d = report.drift;
  assert.is(d.detector, 'ddm');
  assert.is(d.policy, 'swap');
  const first = d.driftRows.find((row: number) => row >= CHANGE);
  assert.ok(first !== undefined && first < CHANGE + 600, JSON.stringify(d));
  assert.ok(d.swaps >= 1 && d.swaps === d.drifts && d.backgroundStarts >= 1, JSON.stringify(d));
  // The telemetry lines carry the row; the swapped-in model learned the new concept.
  assert.match(r.stderr, new RegExp(`drift ddm at row ${first}: error rate 0\\.\\d+; background model swapped in`));
  assert.match(r.stderr, /warning ddm at row \d+: error rate/);
  assert.ok(report.metrics.accuracy > 0.8, JSON.stringify(report.metrics));
  const plain = JSON.parse((await sluice(['train', file, '--target', 'y', '--json', '--quiet'])).stdout);
  assert.is(plain.drift, undefined);
  assert.ok(report.metrics.accuracy > plain.metrics.accuracy, `${report.metrics.accuracy} vs ${plain.metrics.accuracy} without adaptation`);
});

test('train --on-drift reset (adwin by default): resets counted; the printed summary says what the policy did', async () => {
  const r = await sluice(['train', file, '--target', 'y', '--on-drift', 'reset', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^drift \(adwin, reset\): 0 warnings, ([1-9]\d*) drifts \(first at row \d+\); \1 resets, 0 swaps, 0 background models started$/m);
});

test('drift option errors name the flag or key', async () => {
  const bad = await sluice(['train', file, '--target', 'y', '--drift', 'cusum']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--drift: expected one of adwin\|page-hinkley\|ddm\|eddm\|hddm-a\|hddm-w\|kswin, got "cusum"/);
  const policy = await sluice(['train', file, '--target', 'y', '--on-drift', 'retrain']);
  assert.is(policy.code, 2);
  assert.match(policy.stderr, /--on-drift: expected one of alert\|reset\|swap, got "retrain"/);
  const regression = await sluice(['train', file, '--target', 'a', '--drift', 'ddm', '--quiet']);
  assert.is(regression.code, 2, regression.stderr);
  assert.match(regression.stderr, /drift\.detector: ddm reads 0\/1 errors .* use adwin, pageHinkley or kswin/);
  const spec = (drift: unknown) => () => parseSpec(JSON.stringify({ source: { csv: file }, target: 'y', drift }), 'spec.json');
  assert.throws(spec({ detector: { adwin: { delta: 5 } } }), /drift\.detector\.adwin\.delta: /);
  assert.throws(spec({ detector: 'cusum' }), /drift\.detector/);
  assert.throws(spec({ onDrift: 'later' }), /drift\.onDrift/);
  assert.throws(spec({ detector: 'ddm', every: 3 }), /drift\.every/);
  assert.throws(() => parseSpec(JSON.stringify({ source: { csv: file }, drift: { detector: 'ddm' } })), /drift: needs a target/);
  parseSpec(JSON.stringify({ source: { csv: file }, target: 'y', drift: { detector: { 'page-hinkley': { threshold: 20 } }, onDrift: 'reset' } }));
});

test.run();
