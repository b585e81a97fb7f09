import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type DemoResult, demo } from '../../src/cli/index.js';
import { sluice } from './sluice.js';

/** The demo in this process, without a terminal: its result and the lines it printed. */
async function run(onDrift: 'swap' | 'alert' | 'reset' = 'swap', rows = 300_000): Promise<{ r: DemoResult; out: string[]; err: string[] }> {
  const out: string[] = [],
    err: string[] = [];
  const r = await demo({ rows, seed: 3, batchSize: 5000, onDrift, tui: false, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { r, out, err };
}

test('the real engine: accuracy from the model, DDM alarms right after each flip, swaps, a dip and a recovery', async () => {
  const { r } = await run('swap');
  assert.is(r.rows, 300_000);
  assert.not.ok(r.interrupted);
  assert.is(r.rolling, 5000);
  // SEA with 10% label noise caps accuracy near 0.9; the flips cost the model a little.
  assert.ok(r.accuracy > 0.86 && r.accuracy < 0.9, `accuracy ${r.accuracy}`);
  assert.is(r.drift.detector, 'ddm');
  assert.is(r.drift.policy, 'swap');
  assert.is(r.drift.drifts, r.drift.driftRows.length);
  assert.is(r.drift.swaps, r.drift.drifts);
  assert.equal(
    r.changes.map((c) => c.row),
    [100_000, 200_000],
  );
  for (const c of r.changes) {
    // The detector's drift comes after the flip (no alarm is scripted) and soon after it.
    assert.ok(c.alarm !== null && c.alarm >= c.row && c.alarm < c.row + 2000, JSON.stringify(c));
    assert.ok(r.drift.driftRows.includes(c.alarm!));
    assert.ok(c.before > 0.88, JSON.stringify(c));
    assert.ok(c.dip < c.before - 0.03, `a dip: ${JSON.stringify(c)}`);
    // Back within a point of the level before, before the next flip.
    assert.ok(c.recovered !== null && c.recovered > c.alarm! && c.recovered < c.row + 100_000, JSON.stringify(c));
    assert.ok(c.after > c.before - 0.02, JSON.stringify(c));
  }
  // No drift away from the flips.
  assert.ok(
    r.drift.driftRows.every((x) => r.changes.some((c) => x >= c.row && x < c.row + 2000)),
    `${r.drift.driftRows}`,
  );
  // The label column's distribution moves at the first flip: DataDriftMonitor says so.
  assert.ok(r.dataDrift >= 1);
});

test('swap recovers from a flip faster than the same model left alone (alert), on the same stream', async () => {
  const swap = (await run('swap')).r,
    alert = (await run('alert')).r;
  assert.is(alert.drift.swaps, 0);
  assert.is(alert.drift.resets, 0);
  assert.ok(alert.drift.drifts >= 2, 'the detector still fires');
  assert.ok(swap.accuracy > alert.accuracy + 0.01, `swap ${swap.accuracy}, alert ${alert.accuracy}`);
  for (let k = 0; k < 2; k++) {
    const s = swap.changes[k]!,
      a = alert.changes[k]!;
    assert.ok(s.dip > a.dip + 0.1, `dip: swap ${s.dip}, alert ${a.dip}`);
    assert.ok(a.recovered === null || a.recovered > s.recovered! + 10_000, `recovered: swap ${s.recovered}, alert ${a.recovered}`);
  }
});

test('sluice demo without a terminal: progress, alarms and data drift on stderr; summaries and the figures of each flip on stdout', async () => {
  const r = await sluice(['demo', '--rows', '300000', '--seed', '3', '--batch', '5000']);
  assert.is(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^sluice demo: SEA concept 1 .*labels flipped at rows 100000 and 200000; logistic model .*ddm detector, on drift: swap; rolling accuracy over 5000 rows; 300000 rows, seed 3$/m,
  );
  assert.match(r.stderr, /sea-flip read=5000 1\.7%/);
  assert.match(r.stderr, /sea-flip read=300000 100\.0%.* done/);
  assert.match(r.stderr, /metrics rows=\d+ accuracy=0\.\d{4} logLoss=\d\.\d{4}/);
  const drift = /drift ddm at row (\d+): error rate 0\.\d{4}; background model swapped in/.exec(r.stderr);
  assert.ok(drift && Number(drift[1]) >= 100_000 && Number(drift[1]) < 102_000, r.stderr);
  assert.match(r.stderr, /data drift class at row \d+: (psi|ks) [\d.]+ \((moderate|major)\)/);
  assert.match(
    r.stdout,
    /^rows=300k 100% .* rows\/s \| accuracy 0\.\d{4} all, 0\.\d{4} last 5000 \| ddm: 2 drifts \(rows \d+, \d+\), \d+ warnings?, 2 swaps$/m,
  );
  const done =
    /^done: 300000 rows in [\d.]+ s \([\d.]+[kM]? rows\/s\); progressive accuracy (0\.\d{4}); ddm: 2 drifts .*; \d+ data-drift alerts? on the labels$/m.exec(
      r.stdout,
    );
  assert.ok(done, r.stdout);
  assert.ok(Number(done![1]) > 0.86);
  const flips = [
    ...r.stdout.matchAll(
      /^labels flipped at row (\d+): rolling accuracy (0\.\d+) before, dip (0\.\d+), ddm drift at row (\d+) \(\+\d+\), back within 1 point at row (\d+) \(\+\d+\), now (0\.\d+)$/gm,
    ),
  ];
  assert.is(flips.length, 2, r.stdout);
  assert.equal(
    flips.map((m) => Number(m[1])),
    [100_000, 200_000],
  );
});

test('--on-drift: the policy is the user’s; a bad one is a usage error', async () => {
  const bad = await sluice(['demo', '--on-drift', 'panic']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--on-drift: expected one of alert\|reset\|swap, got "panic"/);
  const reset = await sluice(['demo', '--rows', '120000', '--batch', '5000', '--on-drift', 'reset']);
  assert.is(reset.code, 0, reset.stderr);
  assert.match(reset.stdout, /on drift: reset/);
  assert.match(reset.stdout, /^done: .*ddm: 2 drifts .*, 2 resets;/m);
  const help = await sluice(['demo', '--help']);
  assert.match(help.stdout, /--on-drift P +alert\|reset\|swap/);
});

test('Ctrl-C ends the demo cleanly with a final summary', async () => {
  let sent = false;
  const r = await sluice(['demo', '--rows', '2000000000', '--batch', '1000'], (text, child) => {
    // The first progress line means the stream is flowing.
    if (!sent && /sea-flip read=/.test(text)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  assert.ok(sent, 'never saw progress');
  assert.is(r.code, 130);
  assert.match(r.stdout, /^interrupted: \d+ rows in [\d.]+ s .*; progressive accuracy (0\.\d{4}|-); ddm: /m);
  assert.not.match(r.stderr, /Error|at .*\.ts/);
});

test.run();
