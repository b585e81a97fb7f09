import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DriftInputError, HDDMA } from '../../src/drift/index.js';
import { assertOptionError, assertRoundTrip, bernoulli, run } from './util.js';

test('error rate 0.2 → 0.5: warning then drift after the change, on 20 seeds', () => {
  let falseAlarms = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const { drifts, warnings } = run(new HDDMA(), bernoulli(seed, 0.2, 0.5, 5000, 6000));
    falseAlarms += drifts.filter((i) => i < 5000).length;
    const first = drifts.find((i) => i >= 5000);
    assert.ok(first !== undefined && first < 5400, `seed ${seed}: ${drifts}`);
    const w = warnings.find((i) => i >= 5000);
    assert.ok(w !== undefined && w < first, `seed ${seed}: warning ${w}, drift ${first}`);
  }
  assert.ok(falseAlarms <= 2, `${falseAlarms} false alarms in 100k rows`);
});

test('one-sided by default: a fall of the error rate is not a drift; two-sided detects it', () => {
  const xs = bernoulli(8, 0.5, 0.1, 3000, 4000);
  assert.equal(run(new HDDMA(), xs).drifts, []);
  const both = run(new HDDMA({ twoSided: true }), xs).drifts;
  assert.ok(both.length > 0 && both[0]! >= 3000 && both[0]! < 3300, `${both}`);
});

test('bounded losses in [0, 1] are accepted; a value outside is refused with the row', () => {
  const d = new HDDMA();
  d.update(0.25);
  d.update(1);
  assert.is(d.estimate, 0.625);
  assert.throws(
    () => d.update(1.5),
    (e: unknown) => e instanceof DriftInputError && e.message === 'hddmA: row 3: expected a number in [0, 1], got 1.5',
  );
  assert.throws(
    () => d.update(Number.NaN),
    (e: unknown) => e instanceof DriftInputError,
  );
});

test('state round trip: a restored detector continues exactly as the original', () => {
  const xs = bernoulli(6, 0.2, 0.6, 2000, 3000);
  assertRoundTrip(() => new HDDMA(), xs, 1500);
  assertRoundTrip(() => new HDDMA({ twoSided: true }), xs, 1);
});

test('options are checked at construction, naming the option and value', () => {
  assertOptionError(() => new HDDMA({ driftConfidence: 0 }), 'hddmA.driftConfidence', 'expected a number in (0, 1), got 0');
  assertOptionError(() => new HDDMA({ warningConfidence: 0.0001 }), 'hddmA.warningConfidence', 'expected a number ≥ driftConfidence (0.001), got 0.0001');
  assertOptionError(() => new HDDMA({ twoSided: 'yes' as never }), 'hddmA.twoSided', 'expected true or false, got "yes"');
});

test.run();
