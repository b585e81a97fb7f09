import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { ADWIN, DriftInputError } from '../../src/drift/index.js';
import { assertOptionError, assertRoundTrip, bernoulli, run } from './util.js';

/** The stream (River's documented example): 1000 uniform draws from {0,1}, then 1000 from {4..7}. */
function riverStream(seed: number): Float64Array {
  const rng = new Rng(seed);
  const xs = new Float64Array(2000);
  for (let i = 0; i < 2000; i++) xs[i] = i < 1000 ? rng.int(2) : 4 + rng.int(4);
  return xs;
}

test('bar: delta 0.002, clock 32, over 100 seeds: mean delay ≤ 32 rows, no detection in the first 1000 rows', () => {
  let delays = 0;
  for (let seed = 0; seed < 100; seed++) {
    const { drifts } = run(new ADWIN({ delta: 0.002, clock: 32 }), riverStream(seed));
    assert.ok(drifts.length > 0 && drifts[0]! >= 1000, `seed ${seed}: first drift at ${drifts[0]}`);
    delays += drifts[0]! - 1000;
  }
  assert.ok(delays / 100 <= 32, `mean delay ${delays / 100}`);
  // The first test after the change is at row index 1023 (the 1024th row, a multiple of the clock), as River reports.
  assert.is(delays / 100, 23);
});

test('after a drift the window holds only the new concept: its mean is the new mean', () => {
  const a = new ADWIN();
  const { drifts } = run(a, riverStream(7));
  assert.ok(drifts.length >= 1);
  assert.ok(a.width < 1000, `width ${a.width}`);
  assert.ok(Math.abs(a.estimate - 5.5) < 0.25, `estimate ${a.estimate}`);
});

test('the exponential histogram keeps the exact window mean and variance, with at most M buckets per size', () => {
  const rng = new Rng(3);
  const a = new ADWIN({ maxBuckets: 3 });
  const xs: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const x = rng.normal(2, 1.5);
    xs.push(x);
    assert.is(a.update(x), 'none');
  }
  assert.is(a.width, 5000);
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  assert.ok(Math.abs(a.estimate - mean) < 1e-12, `mean ${a.estimate} vs ${mean}`);
  assert.ok(Math.abs(a.variance - variance) < 1e-9, `variance ${a.variance} vs ${variance}`);
  const { buckets } = a.toJSON();
  let rows = 0;
  buckets.forEach((row, r) => {
    assert.ok(row.length / 2 <= 3, `row ${r} holds ${row.length / 2} buckets`);
    rows += (row.length / 2) * 2 ** r;
  });
  assert.is(rows, 5000);
  // Bucket totals are the sums of consecutive rows: the newest bucket of row 0 is the last value.
  assert.is(buckets[0]![buckets[0]!.length - 2], xs[xs.length - 1]);
  assert.ok(buckets.length <= Math.ceil(Math.log2(5000)), `${buckets.length} bucket rows`);
});

test('error rates: detects 0.2 → 0.5 after the change on every seed; few alarms on stationary streams', () => {
  let falseAlarms = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const { drifts } = run(new ADWIN(), bernoulli(seed, 0.2, 0.5, 5000, 6000));
    falseAlarms += drifts.filter((i) => i < 5000).length;
    const first = drifts.find((i) => i >= 5000);
    assert.ok(first !== undefined && first < 5300, `seed ${seed}: ${drifts}`);
  }
  assert.ok(falseAlarms <= 1, `${falseAlarms} false alarms in 100k stationary rows`);
});

test('clock 1 tests every row and detects no later than clock 32', () => {
  const xs = riverStream(11);
  const every = run(new ADWIN({ clock: 1 }), xs).drifts[0]!;
  const clocked = run(new ADWIN({ clock: 32 }), xs).drifts[0]!;
  assert.ok(every >= 1000 && every <= clocked, `${every} vs ${clocked}`);
  assert.ok(every < 1015, `clock 1 detected at ${every}`);
});

test('no warning level: only none and drift', () => {
  const { warnings } = run(new ADWIN(), riverStream(5));
  assert.equal(warnings, []);
});

test('state round trip: a restored detector continues exactly as the original', () => {
  const xs = riverStream(9);
  assertRoundTrip(() => new ADWIN(), xs, 777);
  assertRoundTrip(() => new ADWIN({ clock: 5, maxBuckets: 2 }), xs, 1001);
});

test('reset: back to a new detector, counters included', () => {
  const a = new ADWIN();
  run(a, riverStream(2));
  assert.ok(a.drifts > 0 && a.rows === 2000);
  a.reset();
  assert.equal(a.toJSON(), new ADWIN().toJSON());
  assert.ok(Number.isNaN(a.estimate));
});

test('options are checked at construction, naming the option and value', () => {
  assertOptionError(() => new ADWIN({ delta: 0 }), 'adwin.delta', 'expected a number in (0, 1), got 0');
  assertOptionError(() => new ADWIN({ delta: 1.5 }), 'adwin.delta', 'got 1.5');
  assertOptionError(() => new ADWIN({ clock: 0 }), 'adwin.clock', 'expected an integer ≥ 1, got 0');
  assertOptionError(() => new ADWIN({ clock: 2.5 }), 'adwin.clock', 'got 2.5');
  assertOptionError(() => new ADWIN({ maxBuckets: 0 }), 'adwin.maxBuckets', 'got 0');
  assertOptionError(() => new ADWIN({ minWindowLength: -1 }), 'adwin.minWindowLength', 'got -1');
  assertOptionError(() => new ADWIN({ gracePeriod: Number.NaN }), 'adwin.gracePeriod', 'got NaN');
  assertOptionError(() => new ADWIN({ delat: 0.1 } as never), 'adwin.delat', 'unknown option; expected one of delta, clock');
});

test('a non-finite value is refused with the row', () => {
  const a = new ADWIN();
  a.update(1);
  assert.throws(
    () => a.update(Number.NaN),
    (e: unknown) => e instanceof DriftInputError && e.message === 'adwin: row 2: expected a finite number, got NaN',
  );
  assert.throws(
    () => a.update(Infinity),
    (e: unknown) => e instanceof DriftInputError,
  );
  assert.is(a.rows, 1);
});

test.run();
