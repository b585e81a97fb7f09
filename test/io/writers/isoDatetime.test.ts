import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isoDatetime } from '../../../src/io/writers/isoDatetime.js';

test('the same text as toISOString: epoch edges, fractional and negative ms, extended years, Date range ends, days in and out of order', () => {
  const values = [0, -0, 1, -1, 0.999, -0.999, 1.5, -1.5, 86_399_999, 86_400_000, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000];
  values.push(-62_167_219_200_000, -62_167_219_200_001, 8.64e15, -8.64e15, 8.64e15 - 0.5, -8.64e15 + 0.5);
  // Seeded LCG: wide and narrow spreads, so the one-day cache both hits and misses.
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  for (let i = 0; i < 20000; i++) values.push(i % 2 === 0 ? rand() * 8.64e15 : 1.7e12 + Math.abs(rand()) * 4e8 + (i % 7 === 0 ? 0.25 : 0));
  for (const v of values) assert.is(isoDatetime(v), new Date(v).toISOString(), String(v));
});

test('null for what a Date cannot hold', () => {
  for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 8.64e15 + 1, -8.64e15 - 1]) assert.is(isoDatetime(v), null, String(v));
});

test.run();
