import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DriftInputError, PageHinkley } from '../../src/drift/index.js';
import { assertOptionError, assertRoundTrip, bernoulli, normal, run } from './util.js';

// λ = 50 is in the input's units: the cumulative deviation of unit-variance noise wanders past it
// within thousands of rows, so the value streams here have σ = 0.2.
test('a rise of the mean: detected after the change, never before, on 20 seeds', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const { drifts } = run(new PageHinkley(), normal(seed, 0, 0.2, 1, 0.2, 3000, 4000));
    assert.ok(drifts.length > 0 && drifts[0]! >= 3000 && drifts[0]! < 3100, `seed ${seed}: ${drifts}`);
  }
});

test('a hand example: λ = 5, δ = 0, α = 1 on 0,0,…,0 then 1s crosses at the exact row', () => {
  // Mean x̄_t = k/t after k ones from t = 10 + k; m_t = Σ (x_i − x̄_i). Zeros add 0. The i-th one adds
  // 1 − i/(10 + i) = 10/(10 + i): 10/11 + 10/12 + … passes 5 at i = 7 (10·(H17 − H10) = 5.44; i = 6 gives 4.64).
  const d = new PageHinkley({ threshold: 5, delta: 0, alpha: 1, minInstances: 1 });
  const xs = [...Array(10).fill(0), ...Array(10).fill(1)];
  assert.equal(run(d, xs).drifts, [16]);
});

test('mode: up ignores a fall, down and both detect it', () => {
  const xs = normal(4, 1, 0.2, 0, 0.2, 3000, 4000);
  assert.equal(run(new PageHinkley({ mode: 'up' }), xs).drifts, []);
  const down = run(new PageHinkley({ mode: 'down' }), xs).drifts;
  const both = run(new PageHinkley({ mode: 'both' }), xs).drifts;
  assert.ok(down.length > 0 && down[0]! >= 3000, `${down}`);
  assert.equal(both, down);
  assert.equal(run(new PageHinkley({ mode: 'down' }), normal(4, 0, 0.2, 1, 0.2, 3000, 4000)).drifts, []);
});

test('stationary error streams: rare alarms; the 0.2 → 0.5 jump is detected', () => {
  let falseAlarms = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const { drifts } = run(new PageHinkley(), bernoulli(seed, 0.2, 0.5, 10_000, 11_000));
    falseAlarms += drifts.filter((i) => i < 10_000).length;
    assert.ok(
      drifts.some((i) => i >= 10_000),
      `seed ${seed}`,
    );
  }
  assert.ok(falseAlarms <= 10, `${falseAlarms} false alarms in 200k rows`);
});

test('after a drift the statistics restart: the estimate is the mean of the rows since', () => {
  const d = new PageHinkley({ threshold: 5, delta: 0, alpha: 1, minInstances: 1 });
  run(d, [...Array(10).fill(0), ...Array(10).fill(1)]);
  assert.is(d.drifts, 1);
  assert.is(d.estimate, 1); // rows 17..19, all ones
  assert.is(d.warnings, 0);
});

test('state round trip: a restored detector continues exactly as the original', () => {
  assertRoundTrip(() => new PageHinkley(), normal(2, 0, 0.2, 1, 0.2, 3000, 4000), 2500);
  assertRoundTrip(() => new PageHinkley({ mode: 'down', alpha: 0.99, threshold: 10 }), normal(2, 1, 0.2, 0, 0.2, 500, 1000), 10);
  assertRoundTrip(() => new PageHinkley(), normal(2, 0, 0.2, 1, 0.2, 3000, 4000), 0);
});

test('options are checked at construction, naming the option and value', () => {
  assertOptionError(() => new PageHinkley({ threshold: 0 }), 'pageHinkley.threshold', 'expected a number > 0, got 0');
  assertOptionError(() => new PageHinkley({ delta: -1 }), 'pageHinkley.delta', 'expected a number ≥ 0, got -1');
  assertOptionError(() => new PageHinkley({ alpha: 0 }), 'pageHinkley.alpha', 'expected a number in (0, 1], got 0');
  assertOptionError(() => new PageHinkley({ minInstances: 0 }), 'pageHinkley.minInstances', 'got 0');
  assertOptionError(() => new PageHinkley({ mode: 'sideways' as never }), 'pageHinkley.mode', 'expected one of up|down|both, got "sideways"');
});

test('a non-finite value is refused with the row', () => {
  assert.throws(
    () => new PageHinkley().update(Number.NaN),
    (e: unknown) => e instanceof DriftInputError && e.message === 'pageHinkley: row 1: expected a finite number, got NaN',
  );
});

test.run();
