import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { homogeneityTest, jensenShannonDivergence, ksCriticalValue, ksStatistic, PSI_FLOOR, populationStabilityIndex } from '../../src/drift/index.js';
import { QuantileSketch } from '../../src/features/index.js';
import { assertOptionError } from './util.js';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tolerance ${tol})`);

/** The exact two-sample KS statistic of two arrays. */
function exactKS(a: Float64Array, b: Float64Array): number {
  const x = a.slice().sort(),
    y = b.slice().sort();
  let i = 0,
    j = 0,
    d = 0;
  while (i < x.length || j < y.length) {
    const v = j >= y.length || (i < x.length && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

function normals(seed: number, mean: number, n: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => rng.normal(mean, 1));
}

function sketch(xs: Float64Array): QuantileSketch {
  const q = new QuantileSketch();
  q.addMany(xs);
  return q;
}

test('PSI: the hand example, counts or shares alike, 0 for equal bins', () => {
  // Σ (a − e) ln(a/e) over e = ¼ each, a = .1 .2 .3 .4
  const hand = -0.15 * Math.log(0.4) - 0.05 * Math.log(0.8) + 0.05 * Math.log(1.2) + 0.15 * Math.log(1.6);
  close(populationStabilityIndex([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4]), hand, 1e-15, 'shares');
  close(hand, 0.22821740957339182, 1e-15, 'hand value');
  close(populationStabilityIndex([25, 25, 25, 25], [10, 20, 30, 40]), hand, 1e-15, 'counts');
  assert.is(populationStabilityIndex([3, 5, 2], [30, 50, 20]), 0);
  // Symmetric: it is Jeffreys' divergence.
  close(populationStabilityIndex([10, 20, 30, 40], [25, 25, 25, 25]), hand, 1e-15, 'swapped');
});

test('PSI: an empty bin is floored at PSI_FLOOR, so the value is finite and large', () => {
  const psi = populationStabilityIndex([50, 50, 0], [40, 40, 20]);
  const hand = 2 * (-0.1 * Math.log(0.8)) + (0.2 - PSI_FLOOR) * Math.log(0.2 / PSI_FLOOR);
  close(psi, hand, 1e-12);
  close(psi, 1.5640491119253044, 1e-12);
  assert.ok(Number.isNaN(populationStabilityIndex([0, 0], [1, 2])));
  assertOptionError(() => populationStabilityIndex([1, 2], [1, 2, 3]), 'actual', 'expected 2 bins');
  assertOptionError(() => populationStabilityIndex([1, -2], [1, 2]), 'expected', 'bin 1');
});

test('Jensen–Shannon: base 2, 0 for equal, 1 for disjoint, the hand-computed value of a mix change', () => {
  assert.is(jensenShannonDivergence([1, 2, 3], [10, 20, 30]), 0);
  assert.is(jensenShannonDivergence([5, 0], [0, 7]), 1);
  // P = .5 .3 .2, Q = .2 .3 .5, M = .35 .3 .35: ½ Σ P log2(P/M) + ½ Σ Q log2(Q/M)
  const hand = 0.5 * (2 * (0.5 * Math.log2(0.5 / 0.35)) + 2 * (0.2 * Math.log2(0.2 / 0.35)));
  close(jensenShannonDivergence([50, 30, 20], [20, 30, 50]), hand, 1e-15);
  close(hand, 0.09581560200335831, 1e-15);
  close(jensenShannonDivergence([20, 30, 50], [50, 30, 20]), hand, 1e-15, 'symmetric');
  assertOptionError(() => jensenShannonDivergence([1], [1, 2]), 'q', 'expected 1 categories');
});

test('KS critical value: c(0.05) = 1.358, the table value for n = m = 100, smaller alpha is stricter', () => {
  close(ksCriticalValue(100, 100), 0.1921, 1e-4);
  close(ksCriticalValue(1, 1, 0.05) / Math.SQRT2, 1.3581, 1e-4);
  assert.ok(ksCriticalValue(100, 100, 0.01) > ksCriticalValue(100, 100, 0.05));
  assert.ok(Number.isNaN(ksCriticalValue(0, 10)));
  assertOptionError(() => ksCriticalValue(10, 10, 1), 'alpha', 'expected a number in (0, 1)');
});

test('KS from sketches: exact (error 0) while both sketches hold every value', () => {
  const a = normals(1, 0, 150),
    b = normals(2, 0.5, 120);
  const ks = ksStatistic(sketch(a), sketch(b));
  assert.is(ks.error, 0);
  close(ks.statistic, exactKS(a, b), 1e-12);
  assert.ok(Number.isNaN(ksStatistic(new QuantileSketch(), sketch(a)).statistic));
});

test('KS from sketches: a normal shifted by σ/2 over 20,000 rows each is within the stated error of the exact statistic and of 2Φ(¼) − 1', () => {
  const a = normals(3, 0, 20_000),
    b = normals(4, 0.5, 20_000);
  const sa = sketch(a),
    sb = sketch(b);
  const ks = ksStatistic(sa, sb);
  close(ks.error, 2 * QuantileSketch.rankErrorBound(200), 1e-15, 'error of two k=200 sketches');
  const exact = exactKS(a, b);
  close(ks.statistic, exact, ks.error, 'sketch vs the samples');
  // The population value; the samples add at most the 5% critical value.
  close(ks.statistic, 0.1974126513658474, ks.error + ksCriticalValue(20_000, 20_000), 'sketch vs the population');
  // Much closer in practice than the bound.
  close(ks.statistic, exact, 0.01, 'sketch vs the samples, observed');
  // The state form gives the same.
  assert.equal(ksStatistic(sa.toJSON(), sb.toJSON()), ks);
});

test('chi-square homogeneity: exact critical values at 1 and 2 degrees of freedom, Wilson–Hilferty within 1% beyond', () => {
  close(homogeneityTest([1, 1], [1, 1]).critical, 3.841459, 1e-5);
  close(homogeneityTest([1, 1, 1], [1, 1, 1]).critical, 5.991465, 1e-5);
  close(homogeneityTest([1, 1, 1, 1], [1, 1, 1, 1]).critical, 7.814728, 0.01 * 7.814728);
  close(homogeneityTest(new Array(10).fill(1), new Array(10).fill(1)).critical, 16.918978, 0.01 * 16.918978);
  // 2×2 table [[30, 70], [50, 50]]: X² = 8.333…
  const t = homogeneityTest([30, 70], [50, 50]);
  close(t.statistic, 200 / 24, 1e-12);
  assert.equal([t.df, t.significant], [1, true]);
  // Bins empty on both sides do not count; one bin is no test.
  assert.is(homogeneityTest([5, 0, 5], [5, 0, 5]).df, 1);
  assert.is(homogeneityTest([5, 0], [7, 0]).significant, false);
});

test.run();
