import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

// Data drift: `a` moves up by 0.5 at row 15,000 of 30,000 while `b` and the concept stay (the
// defaults compare the last 10,000 rows, a quarter at a time, with the first 10,000).
const DD_ROWS = 30_000,
  DD_CHANGE = 15_000;
const shifted = join(dir, 'shifted.csv');
const late = join(dir, 'late.csv');
{
  const rng = new Rng(5);
  const rows = (from: number, to: number) => {
    const out: string[] = [];
    for (let i = from; i < to; i++) {
      const a = rng.float() + (i >= DD_CHANGE ? 0.5 : 0),
        b = rng.float();
      out.push(`${a.toFixed(4)},${b.toFixed(4)},${a + b > 1.25 ? 1 : 0}`);
    }
    return out;
  };
  const all = rows(0, DD_ROWS);
  writeFileSync(shifted, `a,b,y\n${all.join('\n')}\n`);
  writeFileSync(late, `a,b,y\n${all.slice(DD_CHANGE).join('\n')}\n`);
}

test('train --data-drift: the shifted column alerts after the change, logged with its row; the report names it and clears the others', async () => {
  const r = await sluice(['train', shifted, '--target', 'y', '--data-drift', '--json', '--no-tui']);
  assert.is(r.code, 0, r.stderr);
  const m = /data drift a at row (\d+): (psi|ks) [\d.]+ \((moderate|major)\)/.exec(r.stderr);
  assert.ok(m, r.stderr);
  const row = Number(m![1]);
  assert.ok(row >= DD_CHANGE && row < DD_CHANGE + 10_000, `alert at ${row}`);
  assert.not.match(r.stderr, /data drift b at/);
  const report = JSON.parse(r.stdout);
  assert.equal(report.dataDrift.reference, 'first 10000 rows');
  assert.is(report.dataDrift.rows, DD_ROWS);
  assert.ok(report.dataDrift.alerts >= 1);
  assert.is(report.dataDrift.columns.b, 'none');
  // The window at the end holds only shifted rows; the reference mostly unshifted ones.
  assert.ok(['moderate', 'major'].includes(report.dataDrift.columns.a), JSON.stringify(report.dataDrift));
});

test('train --data-drift-reference F: the first rows drift against a reference of later ones; a missing file is named', async () => {
  const r = await sluice(['train', shifted, '--target', 'y', '--data-drift-reference', late, '--json', '--no-tui']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.is(report.dataDrift.reference, late);
  // Against the shifted reference the unshifted first rows move a: alerted in the first window.
  const m = /data drift a at row (\d+)/.exec(r.stderr);
  assert.ok(m && Number(m[1]) < DD_CHANGE, r.stderr);
  // A reference without column b: b is not compared, said in the log and the report.
  const noB = join(dir, 'no-b.csv');
  writeFileSync(
    noB,
    `a,y\n${readFileSync(late, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) =>
        l
          .split(',')
          .filter((_, i) => i !== 1)
          .join(','),
      )
      .join('\n')}\n`,
  );
  const partial = await sluice(['train', shifted, '--target', 'y', '--data-drift-reference', noB, '--json', '--no-tui']);
  assert.is(partial.code, 0, partial.stderr);
  assert.match(partial.stderr, /warn data drift: not compared: b \(not in the reference\)/);
  assert.equal(JSON.parse(partial.stdout).dataDrift.notCompared, { b: 'not in the reference' });
  const none = await sluice(['train', shifted, '--target', 'y', '--data-drift-reference', join(dir, 'nope.csv'), '--quiet']);
  assert.is(none.code, 1);
  assert.match(none.stderr, /nope\.csv: no such file/);
});

test.run();
