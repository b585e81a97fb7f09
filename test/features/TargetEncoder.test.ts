import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, Batch, Schema, SpecError } from '../../src/core/index.js';
import { SPLIT_COLUMN, TargetEncoder } from '../../src/features/index.js';

const s = Schema.from({ c: 'category', y: 'number' });

test('hand-computed: each row uses only the rows before it (m = 1)', () => {
  const b = Batch.fromRows(
    [
      { c: 'a', y: 1 },
      { c: 'a', y: 0 },
      { c: 'b', y: 1 },
      { c: 'a', y: 1 },
      { c: null, y: 0 },
    ],
    s,
  );
  const t = new TargetEncoder(['c'], { target: 'y', smoothing: 1 });
  t.learn(b);
  const got = t
    .apply(b)
    .toRows()
    .map((r) => (r.c === null ? null : +(r.c as number).toFixed(12)));
  // row0: nothing seen → missing. row1: mean 1, a:(1+1·1)/(1+1)=1. row2: mean .5, b unseen → .5.
  // row3: mean 2/3, a: sum 1 n 2 → (1 + 2/3)/3 = 5/9. row4: missing category → mean 3/4.
  assert.equal(got, [null, 1, 0.5, +(5 / 9).toFixed(12), 0.75]);
  // After learning, a frozen apply uses all statistics: a: sum 2, n 3, mean 3/5 → (2+.6)/4.
  const after = t
    .apply(
      Batch.fromRows(
        [
          { c: 'a', y: null },
          { c: 'zzz', y: null },
        ],
        s,
      ),
    )
    .toRows()
    .map((r) => r.c);
  assert.equal(after, [(2 + 0.6) / 4, 0.6]);
});

test("a row's own label never reaches its encoding (leak check)", () => {
  // Every category appears once: with a leak its encoding would move toward its own label.
  const rows = Array.from({ length: 200 }, (_, i) => ({ c: `k${i}`, y: i % 2 }));
  const t = new TargetEncoder(['c'], { target: 'y', smoothing: 5 });
  const b = Batch.fromRows(rows, s);
  t.learn(b);
  const enc = t
    .apply(b)
    .toRows()
    .map((r) => r.c as number | null);
  let prevSum = 0;
  enc.forEach((e, i) => {
    if (i === 0) assert.is(e, null);
    else assert.ok(Math.abs(e! - prevSum / i) < 1e-12, `row ${i} is the mean of earlier labels`);
    prevSum += rows[i]!.y;
  });
});

test('validation rows neither update statistics nor get a leak-free pre-encoding', () => {
  const st = Schema.from({ c: 'category', y: 'number', [SPLIT_COLUMN]: 'integer' });
  const b = Batch.fromRows(
    [
      { c: 'a', y: 1, [SPLIT_COLUMN]: 0 },
      { c: 'a', y: 100, [SPLIT_COLUMN]: 1 },
      { c: 'a', y: 0, [SPLIT_COLUMN]: 0 },
    ],
    st,
  );
  const t = new TargetEncoder(['c'], { target: 'y', smoothing: 0 });
  t.learn(b);
  assert.equal(t.toJSON().state.stats.c, [['a', 2, 1]]);
  assert.equal(t.toJSON().state.count, 2);
  // row 0 train: nothing before → missing; row 1 validation: current stats (a mean .5); row 2: (1)/1.
  assert.equal(
    t
      .apply(b)
      .toRows()
      .map((r) => r.c),
    [null, 0.5, 1],
  );
});

test('non-finite targets: skipped as missing, or BadInputError; JSON round trip; options', () => {
  const b = Batch.fromRows(
    [
      { c: 'a', y: 2 },
      { c: 'a', y: Infinity },
      { c: 'a', y: NaN },
      { c: 'a', y: 4 },
    ],
    s,
  );
  const t = new TargetEncoder(['c'], { target: 'y', smoothing: 0 });
  t.learn(b);
  assert.equal(
    t
      .apply(b)
      .toRows()
      .map((r) => r.c),
    [null, 2, 2, 2],
  );
  assert.is(t.toJSON().state.count, 2);
  assert.throws(
    () => new TargetEncoder(['c'], { target: 'y', nonFinite: 'error' }).learn(b),
    (e: unknown) => e instanceof BadInputError && e.reason === 'non-finite',
  );
  const u = TargetEncoder.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  const probe = Batch.fromRows([{ c: 'a', y: null }], s);
  assert.equal(u.apply(probe).toRows(), t.apply(probe).toRows());
  assert.throws(
    () => new TargetEncoder(['c'], { target: 'c' }),
    (e: unknown) => e instanceof SpecError && e.path === 'targetEncode.target',
  );
  assert.throws(
    () => new TargetEncoder(['c'], { target: 'y', smoothing: -1 }),
    (e: unknown) => e instanceof SpecError && e.path === 'targetEncode.smoothing',
  );
});

test.run();
