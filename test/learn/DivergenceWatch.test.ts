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

test('updateRows on pieces of a chunk is update on views of them; the log loss is the row-by-row sum within rounding, even where the product of probabilities would underflow', () => {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const n = 256;
  const y = ys(n, () => (rnd() < 0.3 ? 1 : 0));
  // Some confident misses (clipped at 1e-15: 32 of them alone are 1e-480) among ordinary scores.
  const p = ys(n, (i) => (i % 7 === 3 ? 1 - y[i]! : rnd()));
  const a = new DivergenceWatch('binary'),
    b = new DivergenceWatch('binary');
  for (let i = 0; i < n; i += 32) {
    assert.is(a.updateRows(y, p, 1, i, i + 32), b.update(y.subarray(i, i + 32), p.subarray(i, i + 32), 1));
    assert.equal(a.toJSON(), b.toJSON());
  }
  let sum = 0;
  for (let i = 0; i < 32; i++) {
    const q = y[i] === 1 ? p[i]! : 1 - p[i]!;
    sum += -Math.log(Math.min(1 - 1e-15, Math.max(1e-15, q)));
  }
  const start = new DivergenceWatch('binary');
  start.update(y.subarray(0, 32), p.subarray(0, 32), 1);
  assert.ok(Number.isFinite(start.start));
  assert.ok(Math.abs(start.start - sum / 32) <= 1e-12 * (sum / 32), `${start.start} vs ${sum / 32}`);
  const m = new DivergenceWatch('multiclass'),
    v = new DivergenceWatch('multiclass');
  const yc = Float32Array.from([0, 2, 1, 2]),
    pc = Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.3, 0.4, 0.3, 0, 0, 1]);
  assert.is(m.updateRows(yc, pc, 3, 1, 3), v.update(yc.subarray(1, 3), pc.subarray(3, 9), 3));
  assert.equal(m.toJSON(), v.toJSON());
  assert.match(m.updateRows(yc, Float32Array.from([0.7, 0.2, 0.1, 0, 0, NaN, 0, 0, 0, 0, 0, 1]), 3, 0, 4)!, /row 4 is NaN/);
});

test.run();
