import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDatetime, parseNumber } from '../../src/core/index.js';

test('parseNumber accepts decimals, exponents and the non-finite words', () => {
  assert.is(parseNumber('42'), 42);
  assert.is(parseNumber('-3.5'), -3.5);
  assert.is(parseNumber('+.5e2'), 50);
  assert.is(parseNumber('1e-3'), 0.001);
  assert.ok(Number.isNaN(parseNumber('NaN')!));
  assert.is(parseNumber('-Infinity'), -Infinity);
  assert.is(parseNumber('inf'), Infinity);
});

test('parseNumber rejects what Number() would silently accept', () => {
  for (const s of ['', ' ', ' 1', '1 ', '0x1A', '1_000', '1,5', 'abc', '1e', '--1', '.']) assert.is(parseNumber(s), undefined, JSON.stringify(s));
});

test('parseDatetime reads ISO dates, times, fractions and offsets as UTC epoch ms', () => {
  assert.is(parseDatetime('2024-03-05'), Date.UTC(2024, 2, 5));
  assert.is(parseDatetime('2024-03-05T13:45'), Date.UTC(2024, 2, 5, 13, 45));
  assert.is(parseDatetime('2024-03-05 13:45:07'), Date.UTC(2024, 2, 5, 13, 45, 7));
  assert.is(parseDatetime('2024-03-05T13:45:07.123Z'), Date.UTC(2024, 2, 5, 13, 45, 7, 123));
  assert.is(parseDatetime('2024-03-05T13:45:07+02:00'), Date.UTC(2024, 2, 5, 11, 45, 7));
  assert.is(parseDatetime('2024-03-05T13:45:07-0530'), Date.UTC(2024, 2, 5, 19, 15, 7));
  assert.is(parseDatetime('2001/1/14 06:05'), Date.UTC(2001, 0, 14, 6, 5));
});

test('parseDatetime rejects impossible and non-ISO dates', () => {
  for (const s of ['2023-02-30', '2023-13-01', '2023-00-10', '12/03/2024', 'yesterday', '2024-03-05T25:00', '']) assert.is(parseDatetime(s), undefined, s);
});

test('case 11: parseDatetime reads dates with month names: Jan 1 2000, January 1, 2000, 1 Jan 2000', () => {
  const jan1 = Date.UTC(2000, 0, 1);
  for (const v of [
    'Jan 1 2000',
    'Jan 01 2000',
    'January 1, 2000',
    'jan 1, 2000',
    'JAN 1 2000',
    '1 Jan 2000',
    '01-Jan-2000',
    '1st January 2000',
    'Jan. 1, 2000',
  ])
    assert.is(parseDatetime(v), jan1, v);
  assert.is(parseDatetime('Sept 5, 2001'), Date.UTC(2001, 8, 5));
  assert.is(parseDatetime('Jun 12 1998'), Date.UTC(1998, 5, 12));
  assert.is(parseDatetime('Dec 18 2009 13:45'), Date.UTC(2009, 11, 18, 13, 45));
  assert.is(parseDatetime('18 Dec 2009 13:45:07'), Date.UTC(2009, 11, 18, 13, 45, 7));
  for (const s of ['Foo 1 2000', 'Feb 30 2001', 'Jan 32 2000', 'Jan 2000', 'Jan 1', '1 2000', 'Janu 1 2000', 'constructor 1 2000'])
    assert.is(parseDatetime(s), undefined, s);
});

test.run();
