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

test.run();
