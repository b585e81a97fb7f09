import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Histogram } from '../../../src/features/index.js';

test('fixed bins over a given range', () => {
  const h = new Histogram(4, { lo: 0, hi: 8 });
  for (const x of [0, 1, 2, 3.5, 7.9, NaN, Infinity]) h.add(x);
  assert.equal(Array.from(h.counts), [2, 2, 0, 1]);
  assert.is(h.total, 5);
});

test('range grows by doubling and keeps every count', () => {
  const h = new Histogram(4, { lo: 0, hi: 4 });
  h.addMany([0.5, 1.5, 2.5, 3.5]);
  h.add(6); // [0, 8): bins of 2
  assert.is(h.lo, 0);
  assert.is(h.width, 2);
  assert.equal(Array.from(h.counts), [2, 2, 0, 1]);
  h.add(-1); // [-8, 8): bins of 4
  assert.is(h.lo, -8);
  assert.is(h.width, 4);
  assert.equal(Array.from(h.counts), [0, 1, 4, 1]);
  const r = Histogram.fromJSON(JSON.parse(JSON.stringify(h.toJSON())));
  assert.equal(Array.from(r.counts), Array.from(h.counts));
  const m = new Histogram(4, { lo: -8, hi: 8 }).merge(h);
  assert.equal(Array.from(m.counts), Array.from(h.counts));
  assert.throws(() => new Histogram(3), /even/);
});

test.run();
