import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, type Column, Rng, Schema, validity } from '../../src/core/index.js';
import { Impute, ImputeStandardize, Log1p, Pipeline, Scaler, SPLIT_COLUMN, type Transform, transformRegistry } from '../../src/features/index.js';

/**
 * Seeded columns of every kind the quick path sends here: a clean skewed integer column (logged),
 * a clean integer column, a clean float, a skewed float with missing cells, NaN and ±Infinity,
 * an integer column with missing cells (logged), a float missing in every row of the first batch,
 * and a large-offset column. Batches differ in length, and `split` adds a train mask.
 */
function batch(rng: Rng, n: number, o: { split?: boolean; clean?: boolean; allMissing?: boolean } = {}): Batch {
  const counts = new Int32Array(n),
    level = new Int32Array(n),
    x = new Float64Array(n),
    amount = new Float64Array(n),
    pix = new Int32Array(n),
    late = new Float64Array(n),
    big = new Float64Array(n);
  const amountBits = validity.allocate(n, 1),
    pixBits = validity.allocate(n, 1),
    lateBits = validity.allocate(n, 1);
  for (let i = 0; i < n; i++) {
    counts[i] = rng.float() < 0.8 ? 0 : Math.floor(Math.exp(rng.uniform(0, 8)));
    level[i] = rng.int(7) - 3;
    x[i] = rng.normal(2, 3);
    amount[i] = Math.exp(rng.normal(3, 2));
    big[i] = 1e9 + rng.normal(0, 1e-3);
    pix[i] = rng.float() < 0.6 ? 0 : rng.int(256);
    late[i] = rng.normal(-1, 0.5);
    if (o.clean) continue;
    const u = rng.float();
    if (u < 0.05) validity.set(amountBits, i, false);
    else if (u < 0.07) amount[i] = NaN;
    else if (u < 0.08) amount[i] = rng.float() < 0.5 ? Infinity : -Infinity;
    if (rng.float() < 0.1) {
      validity.set(pixBits, i, false);
      pix[i] = 0;
    }
    if (o.allMissing || rng.float() < 0.3) {
      validity.set(lateBits, i, false);
      late[i] = NaN;
    }
  }
  const cols: Record<string, Column> = {
    counts: { type: 'integer', values: counts, validity: null },
    level: { type: 'integer', values: level, validity: null },
    x: { type: 'number', values: x, validity: null },
    amount: { type: 'number', values: amount, validity: o.clean ? null : amountBits },
    pix: { type: 'integer', values: pix, validity: o.clean ? null : pixBits },
    late: { type: 'number', values: late, validity: o.clean ? null : lateBits },
    big: { type: 'number', values: big, validity: null },
  };
  if (o.split) {
    const s = new Int32Array(n);
    for (let i = 0; i < n; i++) s[i] = rng.float() < 0.25 ? 1 : 0;
    cols[SPLIT_COLUMN] = { type: 'integer', values: s, validity: null };
  }
  const types = Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, c.type])) as Record<string, Column['type']>;
  return new Batch(Schema.from(types), Object.values(cols), n);
}

const COLUMNS = ['counts', 'level', 'x', 'amount', 'pix', 'late', 'big'];
const LOGGED = ['counts', 'amount', 'pix'];

function chain(): Transform[] {
  return [new Log1p(LOGGED), new Impute({ columns: Object.fromEntries(COLUMNS.map((c) => [c, 'mean' as const])) }), new Scaler({ columns: COLUMNS })];
}

function run(steps: readonly Transform[], b: Batch, learn: boolean): Batch {
  let out = b;
  for (const s of steps) {
    if (learn) s.learn(out);
    out = s.apply(out);
  }
  return out;
}

/** Same schema, same column types, same bitmaps and the same values bit for bit (NaN included). */
function same(a: Batch, b: Batch, what: string): void {
  assert.equal(a.schema.fields, b.schema.fields, `${what}: schema`);
  for (const name of a.names) {
    const x = a.column(name),
      y = b.column(name);
    assert.is(x.type, y.type, `${what}: ${name} type`);
    if (!('values' in x) || !('values' in y)) continue;
    assert.equal(x.validity, y.validity, `${what}: ${name} validity`);
    assert.equal(Array.from(x.values as ArrayLike<number>), Array.from(y.values as ArrayLike<number>), `${what}: ${name} values`);
  }
}

test('the same outputs and state as log1p → impute mean → standardize, bit for bit, over batches of every kind', () => {
  const rng = new Rng(11);
  const steps = chain();
  const fused = new ImputeStandardize({ columns: COLUMNS, log1p: LOGGED });
  const plans = [
    { n: 200, allMissing: true },
    { n: 333, clean: true },
    { n: 257 },
    { n: 190, split: true },
    { n: 512, clean: true },
    { n: 64, clean: true, split: true },
    { n: 401 },
  ];
  plans.forEach((p, k) => {
    const b = batch(rng, p.n, p);
    same(run([fused], b, true), run(steps, b, true), `batch ${k}`);
    // A batch that only applies (a test file), learned from nothing.
    const t = batch(rng, 97, { clean: k % 2 === 0 });
    same(run([fused], t, false), run(steps, t, false), `applied batch ${k}`);
  });
  const impute = steps[1]!.toJSON().state as { columns: Record<string, { moments: unknown }> };
  const scale = steps[2]!.toJSON().state as { moments: Record<string, unknown> };
  const s = fused.toJSON().state;
  for (const c of COLUMNS) {
    assert.equal(s.impute[c], impute.columns[c]!.moments, `impute moments of ${c}`);
    assert.equal(s.scale[c], scale.moments[c], `scale moments of ${c}`);
  }
  // The numbers are checked, not only the agreement: the clean float column ends standardized.
  const d = fused.describe('x');
  assert.ok(Math.abs(d.center - 2) < 0.3 && Math.abs(d.scale - 3) < 0.3, JSON.stringify(d));
});

test("clean integer columns, small and past the exact sum of squares (n·Σx² > 2^53), keep the chain's statistics bit for bit", () => {
  const rng = new Rng(21);
  const cols = ['small', 'large', 'negative'];
  const steps: Transform[] = [new Impute({ columns: Object.fromEntries(cols.map((c) => [c, 'mean' as const])) }), new Scaler({ columns: cols })];
  const fused = new ImputeStandardize({ columns: cols });
  for (const n of [1, 300, 77]) {
    const small = Int32Array.from({ length: n }, () => rng.int(256)),
      large = Int32Array.from({ length: n }, () => 2 ** 30 + rng.int(1000)),
      negative = Int32Array.from({ length: n }, () => -rng.int(5000));
    const b = new Batch(
      Schema.from({ small: 'integer', large: 'integer', negative: 'integer' }),
      [small, large, negative].map((values) => ({ type: 'integer', values, validity: null }) as Column),
      n,
    );
    same(run([fused], b, true), run(steps, b, true), `batch of ${n}`);
  }
  const impute = steps[0]!.toJSON().state as { columns: Record<string, { moments: unknown }> };
  const scale = steps[1]!.toJSON().state as { moments: Record<string, unknown> };
  for (const c of cols) {
    assert.equal(fused.toJSON().state.impute[c], impute.columns[c]!.moments, `impute moments of ${c}`);
    assert.equal(fused.toJSON().state.scale[c], scale.moments[c], `scale moments of ${c}`);
  }
});

test('a column with no value learned yet stays missing, and is scaled by 1 around 0', () => {
  const rng = new Rng(3);
  const fused = new ImputeStandardize({ columns: ['late'] });
  const b = batch(rng, 50, { allMissing: true });
  fused.learn(b);
  const out = fused.apply(b).column('late');
  assert.ok(out.validity !== null && Array.from((out as { values: Float64Array }).values).every(Number.isNaN));
  assert.equal(fused.describe('late'), { fill: null, center: 0, scale: 1 });
});

test('applying the learned batch twice gives the same values (the cached logs are used once)', () => {
  const rng = new Rng(5);
  const fused = new ImputeStandardize({ columns: COLUMNS, log1p: LOGGED });
  const b = batch(rng, 120, { clean: true });
  fused.learn(b);
  same(fused.apply(b), fused.apply(b), 'second apply');
});

test('saved and loaded (alone and in a Pipeline) it applies the same', () => {
  const rng = new Rng(9);
  const fused = new ImputeStandardize({ columns: COLUMNS, log1p: LOGGED });
  for (let k = 0; k < 3; k++) fused.learn(batch(rng, 150));
  const json = JSON.parse(JSON.stringify(fused.toJSON()));
  const back = transformRegistry.fromJSON(json);
  assert.instance(back, ImputeStandardize);
  const t = batch(rng, 80);
  same(back.apply(t), fused.apply(t), 'registry round trip');
  const p = new Pipeline([fused]);
  const q = Pipeline.fromJSON(JSON.parse(JSON.stringify(p.toJSON())));
  same(q.transform(t) as Batch, p.transform(t) as Batch, 'pipeline round trip');
});

test('options and input types are checked', () => {
  assert.throws(() => new ImputeStandardize({ columns: [] }), /imputeStandardize\.columns/);
  assert.throws(() => new ImputeStandardize({ columns: ['a', 'a'] }), /once/);
  assert.throws(() => new ImputeStandardize({ columns: ['a'], log1p: ['b'] }), /imputeStandardize\.log1p/);
  const b = Batch.fromRows([{ c: 'x' }], Schema.from({ c: 'category' }));
  assert.throws(() => new ImputeStandardize({ columns: ['c'] }).learn(b), /number or integer column, got category/);
});

test.run();
