import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DDM, DriftInputError } from '../../src/drift/index.js';
import { assertOptionError, assertRoundTrip, bernoulli, run } from './util.js';

test('by hand: 100 correct rows then errors: warning at the 2nd error, drift at the 3rd', () => {
  // Row 101: p = 1/101, s = sqrt(p(1−p)/101) = 0.00985, the first minimum (s > 0).
  // Row 102: p + s = 0.0196 + 0.0137 = 0.0333 ≥ p_min + 2 s_min = 0.0296, < p_min + 3 s_min = 0.0394: warning.
  // Row 103: p + s = 0.0291 + 0.0166 = 0.0457 ≥ 0.0394: drift.
  const d = new DDM();
  const { drifts, warnings } = run(d, [...Array(100).fill(0), ...Array(10).fill(1)]);
  assert.equal(warnings, [101]);
  assert.equal(drifts[0], 102);
  assert.is(d.warnings, 1);
});

test('only correct rows never alarm (no minimum with s = 0 is recorded)', () => {
  const d = new DDM();
  assert.equal(run(d, Array(1000).fill(0)), { drifts: [], warnings: [] });
  assert.is(d.estimate, 0);
});

test('error rate 0.1 → 0.5: warning then drift soon after the change, on 20 seeds', () => {
  let falseAlarms = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const { drifts, warnings } = run(new DDM(), bernoulli(seed, 0.1, 0.5, 1000, 2000));
    falseAlarms += drifts.filter((i) => i < 1000).length;
    const first = drifts.find((i) => i >= 1000);
    assert.ok(first !== undefined && first < 1200, `seed ${seed}: ${drifts}`);
    const w = warnings.find((i) => i >= 1000);
    assert.ok(w !== undefined && w < first, `seed ${seed}: the warning (${w}) comes before the drift (${first})`);
  }
  // DDM's first rows after a (re)start are noisy (p_min and s_min from 30 rows of a 10% error rate),
  // and each false alarm restarts it into that noise again: 16 alarms in these 20k rows.
  assert.ok(falseAlarms <= 20, `${falseAlarms} false alarms`);
});

test('stationary error stream: rare alarms', () => {
  let alarms = 0;
  for (let seed = 1; seed <= 20; seed++) alarms += run(new DDM(), bernoulli(seed, 0.2, 0.2, 0, 10_000)).drifts.length;
  assert.ok(alarms <= 15, `${alarms} drifts in 200k stationary rows`);
});

test('after a drift the statistics restart', () => {
  const d = new DDM();
  run(d, [...Array(100).fill(0), ...Array(3).fill(1)]);
  assert.is(d.drifts, 1);
  assert.ok(Number.isNaN(d.estimate));
  d.update(1);
  assert.is(d.estimate, 1);
});

test('state round trip: a restored detector continues exactly as the original', () => {
  const xs = bernoulli(3, 0.1, 0.5, 1000, 2000);
  assertRoundTrip(() => new DDM(), xs, 500);
  assertRoundTrip(() => new DDM({ warmStart: 5 }), xs, 3);
});

test('options are checked at construction, naming the option and value', () => {
  assertOptionError(() => new DDM({ warmStart: 0 }), 'ddm.warmStart', 'expected an integer ≥ 1, got 0');
  assertOptionError(() => new DDM({ warningThreshold: -2 }), 'ddm.warningThreshold', 'expected a number > 0, got -2');
  assertOptionError(() => new DDM({ driftThreshold: 1 }), 'ddm.driftThreshold', 'expected a number ≥ warningThreshold (2), got 1');
});

test('input must be 0 or 1', () => {
  const d = new DDM();
  for (const x of [0.5, -1, 2, Number.NaN])
    assert.throws(
      () => d.update(x),
      (e: unknown) => e instanceof DriftInputError && e.message === `ddm: row 1: expected 0 (correct) or 1 (error), got ${x}`,
    );
});

test.run();
