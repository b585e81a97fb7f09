import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DriftInputError, HDDMW } from '../../src/drift/index.js';
import { assertOptionError, assertRoundTrip, bernoulli, run } from './util.js';

test('error rate 0.2 → 0.5: warning then drift soon after the change, on 20 seeds', () => {
  let falseAlarms = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const { drifts, warnings } = run(new HDDMW(), bernoulli(seed, 0.2, 0.5, 5000, 6000));
    falseAlarms += drifts.filter((i) => i < 5000).length;
    const first = drifts.find((i) => i >= 5000);
    assert.ok(first !== undefined && first < 5200, `seed ${seed}: ${drifts}`);
    const w = warnings.find((i) => i >= 5000);
    assert.ok(w !== undefined && w < first, `seed ${seed}: warning ${w}, drift ${first}`);
  }
  assert.ok(falseAlarms <= 10, `${falseAlarms} false alarms in 100k rows`);
});

test('the estimate is the EWMA: λ = 0.5 on 1, 0, 1 gives 0.75', () => {
  const d = new HDDMW({ lambda: 0.5 });
  for (const x of [1, 0, 1]) d.update(x);
  assert.is(d.estimate, 0.75);
});

test('one-sided by default: a fall is not a drift; two-sided detects it', () => {
  const xs = bernoulli(8, 0.5, 0.05, 3000, 4000);
  assert.equal(
    run(new HDDMW(), xs).drifts.filter((i) => i >= 3000),
    [],
  );
  const both = run(new HDDMW({ twoSided: true }), xs).drifts.filter((i) => i >= 3000);
  assert.ok(both.length > 0 && both[0]! < 3200, `${both}`);
});

test('state round trip: a restored detector continues exactly as the original', () => {
  const xs = bernoulli(6, 0.2, 0.6, 2000, 3000);
  assertRoundTrip(() => new HDDMW(), xs, 1500);
  assertRoundTrip(() => new HDDMW({ twoSided: true, lambda: 0.1 }), xs, 2);
});

test('options are checked at construction, naming the option and value', () => {
  assertOptionError(() => new HDDMW({ lambda: 0 }), 'hddmW.lambda', 'expected a number in (0, 1], got 0');
  assertOptionError(() => new HDDMW({ driftConfidence: 1 }), 'hddmW.driftConfidence', 'got 1');
  assertOptionError(() => new HDDMW({ warningConfidence: 0.0001 }), 'hddmW.warningConfidence', 'expected a number ≥ driftConfidence (0.001), got 0.0001');
});

test('a value outside [0, 1] is refused with the row', () => {
  assert.throws(
    () => new HDDMW().update(-0.1),
    (e: unknown) => e instanceof DriftInputError && e.message === 'hddmW: row 1: expected a number in [0, 1], got -0.1',
  );
});

test.run();
