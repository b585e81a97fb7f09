import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DriftInputError, EDDM } from '../../src/drift/index.js';
import { assertOptionError, assertRoundTrip, bernoulli, run } from './util.js';

/** An error every `gap` rows (the last row of each gap), for `errors` errors. */
function every(gap: number, errors: number): number[] {
  const xs: number[] = [];
  for (let e = 0; e < errors; e++) xs.push(...Array(gap - 1).fill(0), 1);
  return xs;
}

test('by hand: 60 errors 10 rows apart, then 2 apart: warning at the 55th short gap, drift at the 77th', () => {
  // After k gaps of 2: p' = (600 + 2k)/(60 + k), s'² = 60·k·64/(60 + k)². The mixture first raises
  // p' + 2s' (from 10 to its maximum 14.95 near k = 23), then it falls: under 0.95 · 14.95 = 14.20 at
  // k = 55 (14.17; k = 54 gives 14.20), under 0.9 · 14.95 = 13.45 at k = 77 (13.44; k = 76 gives 13.47).
  const xs = [...every(10, 60), ...every(2, 150)];
  const { drifts, warnings } = run(new EDDM(), xs);
  assert.equal(drifts, [599 + 2 * 77]);
  assert.is(warnings[0], 599 + 2 * 55);
});

test('nothing before warmStart errors', () => {
  const d = new EDDM({ warmStart: 30 });
  // 29 errors far apart then errors on every row: still fewer than 30 errors at row 29·20 + 0.
  assert.equal(run(d, every(20, 29)).drifts, []);
  assert.is(d.estimate, 29 / (29 * 20));
});

test('error rate 0.1 → 0.5: detected after the change on 20 seeds', () => {
  let falseAlarms = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const { drifts } = run(new EDDM(), bernoulli(seed, 0.1, 0.5, 5000, 6000));
    falseAlarms += drifts.filter((i) => i < 5000).length;
    assert.ok(
      drifts.some((i) => i >= 5000 && i < 5400),
      `seed ${seed}: ${drifts}`,
    );
  }
  // EDDM is known to be noisy on stationary streams (the early maximum of p' + 2s' is an overestimate).
  assert.ok(falseAlarms <= 60, `${falseAlarms} false alarms in 100k rows`);
});

test('a warning holds over the correct rows after the error that raised it', () => {
  const d = new EDDM();
  const xs = [...every(10, 60), ...every(2, 150)];
  const { warnings } = run(d, xs);
  const first = warnings[0]!;
  assert.is(xs[first], 1);
  assert.ok(warnings.includes(first + 1), 'the next (correct) row is still a warning');
});

test('state round trip: a restored detector continues exactly as the original', () => {
  const xs = bernoulli(5, 0.1, 0.5, 3000, 4000);
  assertRoundTrip(() => new EDDM(), xs, 2000);
  assertRoundTrip(() => new EDDM({ warmStart: 3, alpha: 0.9, beta: 0.8 }), xs, 7);
});

test('options are checked at construction, naming the option and value', () => {
  assertOptionError(() => new EDDM({ alpha: 1 }), 'eddm.alpha', 'expected a number in (0, 1), got 1');
  assertOptionError(() => new EDDM({ beta: 0 }), 'eddm.beta', 'got 0');
  assertOptionError(() => new EDDM({ alpha: 0.8, beta: 0.9 }), 'eddm.beta', 'expected a number ≤ alpha (0.8), got 0.9');
  assertOptionError(() => new EDDM({ warmStart: 1.5 }), 'eddm.warmStart', 'got 1.5');
});

test('input must be 0 or 1', () => {
  assert.throws(
    () => new EDDM().update(0.3),
    (e: unknown) => e instanceof DriftInputError && e.message === 'eddm: row 1: expected 0 (correct) or 1 (error), got 0.3',
  );
});

test.run();
