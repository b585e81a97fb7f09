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

test.run();
