import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { autoSteps, parseInteractions } from '../../src/cli/autoSteps.js';
import { Batch, Schema, SpecError } from '../../src/core/index.js';

// 40 rows: a skewed non-negative amount, a symmetric measure, a 0/1 flag, a category, a datetime and text.
const rows = Array.from({ length: 40 }, (_, i) => ({
  amount: i < 36 ? i % 3 : 1000 * i,
  temp: Math.sin(i) * 10,
  flag: i % 7 === 0 ? 1 : 0,
  signed: i % 2 ? -5 * i : 5000 * i,
  city: ['a', 'b', 'c'][i % 3],
  kind: ['x', 'y'][i % 2],
  at: Date.UTC(2024, 0, 1 + i, i % 24),
  note: `word${i % 5} other`,
  y: i % 2,
}));
const batch = Batch.fromRows(
  rows,
  Schema.from({
    amount: 'number',
    temp: 'number',
    flag: 'integer',
    signed: 'number',
    city: 'category',
    kind: 'category',
    at: 'datetime',
    note: 'text',
    y: 'integer',
  }),
);
const exclude = new Set(['y']);

test('skewed non-negative numbers get log1p before impute and standardize (one fused step); symmetric, 0/1 and signed ones do not', () => {
  const plan = autoSteps(batch, { exclude });
  assert.equal(plan.steps[0], { imputeStandardize: { columns: ['amount', 'temp', 'flag', 'signed'], log1p: ['amount'] } });
  assert.match(plan.columns.amount!, /^log1p \(skewness \d+\.\d\), impute mean, standardize$/);
  assert.is(plan.columns.temp, 'impute mean, standardize');
  assert.is(plan.columns.flag, 'impute mean, standardize');
  assert.is(plan.columns.signed, 'impute mean, standardize');
  assert.not.ok('y' in plan.columns, 'the target is no feature');
});

test('datetime parts become one-hot categories; text is sublinear TF-IDF; each choice is stated', () => {
  const plan = autoSteps(batch, { exclude });
  const kinds = plan.steps.map((s) => Object.keys(s)[0]);
  assert.equal(kinds, ['imputeStandardize', 'datetime', 'oneHot', 'oneHot', 'text']);
  assert.equal(plan.steps[1], { datetime: { column: 'at', parts: ['hour', 'dayOfWeek', 'month'], invalid: 'missing' } });
  assert.equal(plan.steps[3], { oneHot: { columns: ['at_hour', 'at_dayOfWeek', 'at_month'], maxCategories: 24 } });
  assert.equal(plan.steps[4], { text: { column: 'note', bits: 16, sublinear: true } });
  assert.match(plan.columns.at!, /hour, dayOfWeek, month, each one-hot/);
  assert.match(plan.columns.note!, /TF-IDF.*sublinear.*L2/);
  assert.match(plan.columns.city!, /^one-hot \(3 values/);
  assert.equal(plan.interactions, []);
});

test('interactions: auto crosses every pair of one-hot columns and datetime parts before one-hot; pairs are checked', () => {
  const auto = autoSteps(batch, { exclude, interactions: 'auto' });
  const cross = auto.steps.find((s) => 'crosses' in s) as { crosses: { pairs: string[][] } };
  assert.equal(cross.crosses.pairs.length, 10);
  assert.equal(cross.crosses.pairs[0], ['city', 'kind']);
  assert.ok(auto.steps.findIndex((s) => 'crosses' in s) < auto.steps.findIndex((s) => 'oneHot' in s), 'crosses read the raw categories');
  assert.equal(auto.interactions.slice(0, 2), ['city:kind', 'city:at_hour']);
  const some = autoSteps(batch, { exclude, interactions: parseInteractions('city:at_dayOfWeek') });
  assert.equal(some.interactions, ['city:at_dayOfWeek']);
  try {
    autoSteps(batch, { exclude, interactions: [['city', 'temp']] });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SpecError);
    assert.match((e as Error).message, /^--interactions: "temp" is a number column, not a category; crosses take the one-hot columns \(city, kind, at_hour/);
  }
  assert.throws(() => autoSteps(batch, { exclude, interactions: [['city', 'nope']] }), /"nope" is not in the data/);
  assert.throws(() => autoSteps(batch, { exclude, interactions: [['city', 'y']] }), /"y" is not a feature/);
});

test('parseInteractions: auto, none, pairs; malformed pairs name the flag', () => {
  assert.is(parseInteractions(undefined), undefined);
  assert.is(parseInteractions('auto'), 'auto');
  assert.is(parseInteractions(' none '), 'none');
  assert.equal(parseInteractions('a:b, c:d'), [
    ['a', 'b'],
    ['c', 'd'],
  ]);
  assert.throws(() => parseInteractions('a'), /--interactions: expected a pair of two different columns a:b, got "a"/);
  assert.throws(() => parseInteractions('a:a'), /two different columns/);
  assert.throws(() => parseInteractions(','), /expected auto, none or pairs/);
});

test.run();
