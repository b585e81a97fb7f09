import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DriftInputError, KSWIN } from '../../src/drift/index.js';
import { assertOptionError, assertRoundTrip, normal, run } from './util.js';

test('a shift of the mean: detected within 60 rows of the change, on 20 seeds', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const { drifts } = run(new KSWIN({ seed }), normal(seed, 0, 1, 1.5, 1, 3000, 3500));
    const first = drifts.find((i) => i >= 3000);
    assert.ok(first !== undefined && first < 3060, `seed ${seed}: ${drifts}`);
  }
});

test('the test runs every row, so alpha sets the false-alarm rate: 0.0001 alarms far less than 0.005', () => {
  const alarms = (alpha: number) => {
    let n = 0;
    for (let seed = 1; seed <= 20; seed++) n += run(new KSWIN({ seed, alpha }), normal(seed, 0, 1, 0, 1, 3000, 3000)).drifts.length;
    return n;
  };
  const loose = alarms(0.005),
    strict = alarms(0.0001);
  assert.ok(strict <= 10, `${strict} alarms in 60k stationary rows at alpha 0.0001`);
  assert.ok(loose > 5 * strict && loose < 300, `${loose} alarms at alpha 0.005`);
});

test('a change of spread alone (same mean) is detected too: KS compares whole distributions', () => {
  let detected = 0;
  for (let seed = 1; seed <= 10; seed++) {
    const { drifts } = run(new KSWIN({ seed }), normal(seed, 0, 0.2, 0, 3, 1000, 1100));
    if (drifts.some((i) => i >= 1000)) detected++;
  }
  assert.ok(detected >= 9, `${detected}/10`);
});

test('nothing until the window is full; after a drift only the newest statSize rows stay', () => {
  const d = new KSWIN({ windowSize: 40, statSize: 10 });
  const xs = [...Array(30).fill(0), ...Array(10).fill(5)];
  const { drifts } = run(d, xs);
  // The 40th row fills the window: the newest 10 (all 5) against 10 of the zeros: D = 1.
  assert.equal(drifts, [39]);
  assert.is(d.width, 10);
  assert.is(d.estimate, 5);
});

test('seeded: the same seed gives the same answers', () => {
  const xs = normal(3, 0, 1, 0.7, 1, 2000, 3000);
  assert.equal(run(new KSWIN({ seed: 5 }), xs), run(new KSWIN({ seed: 5 }), xs));
});

test('state round trip: a restored detector continues exactly as the original', () => {
  const xs = normal(4, 0, 1, 2, 1, 1000, 1500);
  assertRoundTrip(() => new KSWIN(), xs, 700);
  assertRoundTrip(() => new KSWIN({ windowSize: 60, statSize: 20, seed: 9 }), xs, 30);
});

test('options are checked at construction, naming the option and value', () => {
  assertOptionError(() => new KSWIN({ alpha: 0 }), 'kswin.alpha', 'expected a number in (0, 1), got 0');
  assertOptionError(() => new KSWIN({ windowSize: 50, statSize: 30 }), 'kswin.windowSize', 'expected an integer ≥ 2 × statSize (60), got 50');
  assertOptionError(() => new KSWIN({ statSize: 0 }), 'kswin.statSize', 'got 0');
  assertOptionError(() => new KSWIN({ seed: 1.5 }), 'kswin.seed', 'expected an integer seed, got 1.5');
});

test('a non-finite value is refused with the row', () => {
  assert.throws(
    () => new KSWIN().update(Number.POSITIVE_INFINITY),
    (e: unknown) => e instanceof DriftInputError && e.message === 'kswin: row 1: expected a finite number, got Infinity',
  );
});

test.run();
