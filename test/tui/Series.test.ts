import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Series } from '../../src/tui/index.js';

test('keeps every point until full, then an evenly strided subset plus the latest', () => {
  const s = new Series(8);
  for (let i = 0; i < 8; i++) s.add(i, i * 10);
  assert.equal(s.points().xs, [0, 1, 2, 3, 4, 5, 6, 7]);
  for (let i = 8; i < 100; i++) s.add(i, i * 10);
  const { xs, ys } = s.points();
  assert.ok(xs.length <= 9, `kept ${xs.length}`);
  assert.is(xs[0], 0);
  assert.is(xs[xs.length - 1], 99, 'latest point always shown');
  assert.is(ys[ys.length - 1], 990);
  // Apart from the appended latest point, the spacing is uniform.
  const gaps = new Set(xs.slice(1, -1).map((x, i) => x - xs[i]!));
  assert.is(gaps.size, 1, `gaps ${[...gaps]}`);
  assert.is(s.count, 100);
});

test('bounded over a long run and ignores non-finite values', () => {
  const s = new Series(240);
  for (let i = 0; i < 1_000_000; i++) s.add(i, Math.sin(i));
  s.add(5, NaN);
  const { xs } = s.points();
  assert.ok(xs.length <= 241 && xs.length >= 120, `kept ${xs.length}`);
  assert.is(xs[xs.length - 1], 999_999);
  for (let i = 1; i < xs.length; i++) assert.ok(xs[i]! > xs[i - 1]!, 'increasing x');
});

test('a one-point dip in a long flat run survives decimation, and so does the level after it', () => {
  const s = new Series(240);
  for (let i = 0; i < 100_000; i++) s.add(i, i === 61_237 ? 0.5 : 0.9);
  const { xs, ys } = s.points();
  assert.ok(xs.length <= 241, `kept ${xs.length}`);
  assert.is(Math.min(...ys), 0.5);
  const at = ys.indexOf(0.5);
  assert.ok(xs[at]! <= 61_237 && xs[at + 1]! > 61_237, 'kept in the bucket of its x');
  assert.is(ys[ys.length - 1], 0.9);
  assert.is(ys[at + 1], 0.9);
  // Without the dip every kept value is the level.
  const flat = new Series(240);
  for (let i = 0; i < 100_000; i++) flat.add(i, 0.9);
  assert.ok(flat.points().ys.every((y) => y === 0.9));
});

test.run();
