import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inferSchema } from '../../src/core/index.js';

const types = (rows: string[][]) =>
  inferSchema(
    rows[0]!.map((_, k) => `c${k}`),
    rows,
  ).fields.map((f) => f.type);

test('case 11: digit strings with a leading zero are identifiers (category), not integers', () => {
  // zip codes, padded ids, a fixed-width code with one leading zero in the window
  assert.equal(
    types([
      ['00501', '007', '1234'],
      ['00544', '12', '0999'],
      ['10001', '5', '4321'],
    ]),
    ['category', 'category', 'category'],
  );
  // zeros alone, signs and decimals are numbers: only a redundant leading zero marks a code
  assert.equal(
    types([
      ['0', '-012', '0.5', '10'],
      ['10', '3', '01.5', '0'],
      ['7', '4', '2', '00'],
    ]),
    ['integer', 'integer', 'number', 'category'],
  );
});

test('case 11: month-name dates are inferred as datetime', () => {
  assert.equal(
    types([
      ['Jan 1 2000', 'January 1, 2000', '1 Jan 2000'],
      ['Feb 1 2000', 'March 15, 2021', '15 Mar 2021'],
    ]),
    ['datetime', 'datetime', 'datetime'],
  );
  assert.equal(
    types([
      ['Jan', '1 2000'],
      ['Feb', '2 2001'],
    ]),
    ['category', 'category'],
  );
});

test('a rare word among many numbers leaves the column numeric (its row is a bad cell); a short sample or many words do not', () => {
  const col = (n: number, word: (i: number) => boolean, num: (i: number) => string) => Array.from({ length: n }, (_, i) => [word(i) ? 'abc' : num(i)]);
  assert.equal(
    types(
      col(
        500,
        (i) => i === 250,
        (i) => String(i),
      ),
    ),
    ['integer'],
  );
  assert.equal(
    types(
      col(
        500,
        (i) => i % 100 === 7,
        (i) => String(i / 4),
      ),
    ),
    ['number'],
  );
  assert.equal(
    types(
      col(
        50,
        (i) => i === 25,
        (i) => String(i),
      ),
    ),
    ['category'],
    'too few values to call the word stray',
  );
  assert.equal(
    types(
      col(
        500,
        (i) => i % 20 === 0,
        (i) => String(i),
      ),
    ),
    ['category'],
    '5% words: a category',
  );
});

test('plain decimals take the one-scan path and get the same types as the general rules', () => {
  // Each column: its values, and the type the regex rules (INT, parseNumber, leading zeros) give.
  const cases: Array<[string[], string]> = [
    [['1', '-2', '+3', '0'], 'integer'],
    [['1', '2.5', '-0.25'], 'number'],
    [['1.', '2'], 'number'],
    [['2147483647', '-2147483647'], 'integer'],
    [['2147483648', '1'], 'number'],
    [['-2147483649'], 'number'],
    [['12345678901', '1'], 'number'],
    [['007', '12'], 'category'],
    [['00.5', '1'], 'number'],
    [['-007', '1'], 'integer'],
    [['1e5', '2'], 'number'],
    [['.5', '1'], 'number'],
    [['1', 'NaN'], 'number'],
    [['0', '1', 'true'], 'category'],
    [['+', '1'], 'category'],
    [['1.2.3', '1'], 'category'],
    [['-', '1'], 'category'],
  ];
  const width = Math.max(...cases.map(([v]) => v.length));
  const rows = Array.from({ length: width }, (_, i) => cases.map(([v]) => v[i] ?? null)) as string[][];
  assert.equal(
    types(rows),
    cases.map(([, t]) => t),
  );
});

test('null tokens are skipped before typing, with the default list and with a custom one', () => {
  assert.equal(
    types([
      ['1', 'NA'],
      ['', '2'],
      ['NULL', 'None'],
      ['3', '4'],
    ]),
    ['integer', 'integer'],
  );
  const custom = inferSchema(
    ['a', 'b'],
    [
      ['-', '1'],
      ['2', '?'],
      ['3', '4'],
    ],
    { nullValues: ['-', '?'] },
  ).fields.map((f) => f.type);
  assert.equal(custom, ['integer', 'integer']);
  // '' is not missing when the list does not name it.
  const withEmpty = inferSchema(['a'], [[''], ['2']], { nullValues: ['-'] }).fields.map((f) => f.type);
  assert.equal(withEmpty, ['category']);
});

test.run();
