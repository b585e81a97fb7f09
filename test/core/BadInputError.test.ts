import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError } from '../../src/core/index.js';

test('case 10: a location prints as file:line:column with no empty fields, then the column name and value', () => {
  // A CSV row with more fields than the header: the column is known, its name and value are not.
  const extra = new BadInputError('field-count', { source: 'f.csv', line: 3, column: 3 }, 'expected 2 fields, got 3');
  assert.is(extra.message, 'f.csv:3:3: field-count: expected 2 fields, got 3');
  assert.is(new BadInputError('number', { source: 'f.csv', line: 3 }, 'not a number').message, 'f.csv:3: number: not a number');
  assert.is(new BadInputError('number', { source: 'f.csv', line: 3, column: 2, field: 'b' }, 'missing').message, 'f.csv:3:2: column "b": number: missing');
  assert.is(
    new BadInputError('number', { source: 'f.csv', line: 3, column: 2, value: 'x' }, 'not a number').message,
    'f.csv:3:2: value "x": number: not a number',
  );
  // An empty value and an empty column name are still shown, quoted.
  assert.is(
    new BadInputError('required', { source: 'f.csv', line: 4, column: 1, field: '', value: '' }, 'missing').message,
    'f.csv:4:1: column "" value "": required: missing',
  );
  for (const e of [extra]) assert.not.match(e.message, /::/);
});

test('the value is truncated for display; the location is kept', () => {
  const e = new BadInputError('number', { source: 'f.csv', line: 9, column: 1, field: 'a', value: 'x'.repeat(200) }, 'not a number');
  assert.match(e.message, /^f\.csv:9:1: column "a" value "x{77}\.\.\.": number: not a number$/);
  assert.equal(e.location, { source: 'f.csv', line: 9, column: 1, field: 'a', value: 'x'.repeat(200) });
  assert.is(e.reason, 'number');
});

test.run();
