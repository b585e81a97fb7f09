import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DivergenceWatch } from '../../src/learn/index.js';

const ys = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));

test('case 3: a regression loss that runs away past factor × its start is divergence; a falling one is not', () => {
  const w = new DivergenceWatch('regression');
  const y = ys(32, (i) => 10 + (i % 5));
  assert.is(
    w.update(
      y,
      ys(32, () => 0),
      1,
    ),
    null,
    'the start: a zero model',
  );
  for (let k = 0; k < 20; k++)
    assert.is(
      w.update(
        y,
        ys(32, (i) => y[i]! + 1 / (k + 1)),
        1,
      ),
      null,
    );
  assert.ok(w.healthy);
  let why: string | null = null;
  for (let k = 1; k < 30 && !why; k++)
    why = w.update(
      y,
      ys(32, () => 10 ** k),
      1,
    );
  assert.match(why!, /mean loss grew from/);
  assert.not.ok(w.healthy);
});

test('case 3: a non-finite prediction is divergence at once, naming the row', () => {
  const w = new DivergenceWatch('binary');
  assert.is(
    w.update(
      ys(4, (i) => i % 2),
      ys(4, () => 0.5),
      1,
    ),
    null,
  );
  assert.match(
    w.update(
      ys(4, (i) => i % 2),
      Float32Array.from([0.5, NaN, 0.5, 0.5]),
      1,
    )!,
    /row 6 is NaN/,
  );
  const m = new DivergenceWatch('multiclass');
  assert.match(m.update(Float32Array.from([2]), Float32Array.from([0.1, 0.2, Infinity]), 3)!, /row 1 is Infinity/);
});

test('case 3: confidently wrong classification (p ≈ 0 for the true class) trips the 10× log-loss bar; a good model does not', () => {
  const y = ys(64, (i) => i % 2);
  const good = new DivergenceWatch('binary');
  good.update(
    y,
    ys(64, () => 0.5),
    1,
  );
  for (let k = 0; k < 50; k++)
    assert.is(
      good.update(
        y,
        ys(64, (i) => (i % 2 ? 0.9 : 0.1)),
        1,
      ),
      null,
    );
  const bad = new DivergenceWatch('binary');
  bad.update(
    y,
    ys(64, () => 0.5),
    1,
  );
  let why: string | null = null;
  for (let k = 0; k < 50 && !why; k++)
    why = bad.update(
      y,
      ys(64, (i) => (i % 2 ? 1e-30 : 1)),
      1,
    );
  assert.ok(why);
});

test('state round-trips through JSON', () => {
  const w = new DivergenceWatch('regression', { startRows: 8, window: 16, factor: 100 });
  w.update(
    ys(8, () => 1),
    ys(8, () => 0),
    1,
  );
  w.update(
    ys(8, () => 1),
    ys(8, () => 2),
    1,
  );
  const c = DivergenceWatch.fromJSON(JSON.parse(JSON.stringify(w.toJSON())));
  assert.equal(c.toJSON(), w.toJSON());
  assert.is(
    c.update(
      ys(8, () => 1),
      ys(8, () => 1e3),
      1,
    ) !== null,
    w.update(
      ys(8, () => 1),
      ys(8, () => 1e3),
      1,
    ) !== null,
  );
});

test.run();
