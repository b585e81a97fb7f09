import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix, Rng, SpecError } from '../../src/core/index.js';
import { type Model, type ModelOptions, type ModelState, modelFromState, resolveModelOptions, SparseLinearModel } from '../../src/learn/index.js';
import { BatchedSparseLinear } from '../../src/tune/index.js';

const COLS = 12;
/**
 * Relative tolerance: 0. The block does the alone model's arithmetic expression for expression, so
 * its numbers are the same bits (the bar is 1e-6). Any tolerance hides a reordered
 * expression: one division turned into a multiplication by a reciprocal stayed within 1e-9 here.
 */
const TOL = 0;

type Task = 'binary' | 'regression';

/** Sparse rows with mixed scales (columns 0-3 in the thousands), NaN targets every 11th row, sample weights 1, 2, 0.5, 0 when weighted. */
function data(seed: number, rows: number, task: Task, opts: { dense?: boolean; weighted?: boolean } = {}): FeatureMatrix {
  const rng = new Rng(seed),
    indptr = [0],
    idx: number[] = [],
    val: number[] = [],
    t: number[] = [],
    w: number[] = [];
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < COLS; j++) {
      if (rng.float() < 0.6) continue;
      const v = (rng.float() - 0.3) * (j < 4 ? 1000 : 1);
      idx.push(j);
      val.push(v);
      s += (j % 3 === 0 ? 1 : -0.5) * (j < 4 ? v / 1000 : v);
    }
    indptr.push(idx.length);
    const y = task === 'binary' ? (s + rng.float() - 0.5 > 0 ? 1 : 0) : 300 + 80 * s + 10 * rng.float();
    t.push(i % 11 === 5 ? NaN : y);
    w.push([1, 2, 0.5, 0][i % 4]!);
  }
  const x = FeatureMatrix.csr(rows, COLS, Int32Array.from(indptr), Int32Array.from(idx), Float32Array.from(val), {
    targets: Float32Array.from(t),
    weights: opts.weighted ? Float32Array.from(w) : null,
  });
  return opts.dense ? x.toDense() : x;
}

/** Rows [a, b) of x as chunks of uneven sizes (a call boundary must not matter). */
function chunks(x: FeatureMatrix): FeatureMatrix[] {
  const cuts = [0, 7, 700, 1500, x.rows];
  return cuts.slice(1).map((e, i) => x.sliceRows(cuts[i]!, e));
}

const near = (a: number, b: number) => a === b || (a !== a && b !== b) || Math.abs(a - b) <= TOL * Math.max(Math.abs(a), Math.abs(b));

/** The largest relative difference between two states' numbers (params and optimizer), after checking they have the same keys and lengths. */
function stateGap(a: ModelState, b: ModelState, what: string): number {
  assert.equal(Object.keys(a).sort(), Object.keys(b).sort(), `${what}: state keys`);
  assert.equal(a.kind, b.kind);
  assert.equal(a.task, b.task);
  assert.equal(a.inputs, b.inputs);
  assert.equal(a.outputs, b.outputs);
  assert.equal(a.step, b.step, `${what}: step`);
  assert.equal(a.options, b.options, `${what}: options`);
  let gap = 0;
  for (const part of ['params', 'optimizer'] as const) {
    assert.equal(Object.keys(a[part]).sort(), Object.keys(b[part]).sort(), `${what}: ${part} keys`);
    for (const key of Object.keys(a[part])) {
      const u = a[part][key]!,
        v = b[part][key]!;
      assert.is(u.length, v.length, `${what}: ${part}.${key} length`);
      for (let i = 0; i < u.length; i++) {
        if (!near(u[i]!, v[i]!)) assert.unreachable(`${what}: ${part}.${key}[${i}] ${u[i]} vs alone ${v[i]}`);
        if (u[i] !== v[i]) gap = Math.max(gap, Math.abs(u[i]! - v[i]!) / Math.max(Math.abs(u[i]!), Math.abs(v[i]!)));
      }
    }
  }
  return gap;
}

/** Runs x through the block and through one SparseLinearModel per candidate, chunk by chunk; asserts every live prediction matches. */
function race(block: BatchedSparseLinear, alone: (SparseLinearModel | null)[], xs: FeatureMatrix[], what: string): void {
  const K = alone.length;
  for (const x of xs) {
    const out = new Float32Array(x.rows * K);
    block.testThenTrain(x, out);
    for (let k = 0; k < K; k++) {
      const m = alone[k];
      if (!m) {
        for (let r = 0; r < x.rows; r++) assert.ok(Number.isNaN(out[r * K + k]!), `${what}: dropped candidate ${k} row ${r} is ${out[r * K + k]}`);
        continue;
      }
      const o = new Float32Array(x.rows);
      m.testThenTrain(x, o);
      for (let r = 0; r < x.rows; r++)
        if (!near(out[r * K + k]!, o[r]!)) assert.unreachable(`${what}: candidate ${k} row ${r}: batched ${out[r * K + k]} vs alone ${o[r]}`);
    }
  }
}

interface Case {
  name: string;
  base: ModelOptions;
  task: Task;
  /** The five candidates' lr, l1, l2. */
  grid: { lr?: number; l1?: number; l2?: number }[];
}

// l2 = 0.1 at lr 0.5 shrinks c by 1/1.05 a row: below 1e-30 after ~1400 learned rows, so the renormalization pass runs.
const WITH_L1: Case['grid'] = [{ lr: 0.5 }, { lr: 0.1, l2: 1e-4 }, { lr: 2, l1: 1e-3 }, { lr: 0.3, l1: 1e-4, l2: 1e-3 }, { lr: 0.5, l2: 0.1 }];
// No L1 anywhere: logistic on CSR without weights takes the block's fast loop.
const NO_L1: Case['grid'] = [{ lr: 0.5 }, { lr: 0.05 }, { lr: 5, l2: 1e-4 }, { lr: 1, l2: 1e-6 }, { lr: 0.5, l2: 0.1 }];

const CASES: Case[] = [
  { name: 'logistic', base: { kind: 'logistic' }, task: 'binary', grid: WITH_L1 },
  { name: 'logistic, no L1', base: { kind: 'logistic' }, task: 'binary', grid: NO_L1 },
  { name: 'logistic, class weights', base: { kind: 'logistic', classWeights: [1, 3] }, task: 'binary', grid: NO_L1 },
  { name: 'svm', base: { kind: 'svm' }, task: 'binary', grid: WITH_L1 },
  { name: 'linear (auto target scaling)', base: { kind: 'linear' }, task: 'regression', grid: WITH_L1 },
  { name: 'linear, no L1', base: { kind: 'linear' }, task: 'regression', grid: NO_L1 },
  { name: 'linear (fixed target scale)', base: { kind: 'linear', targetScale: { mean: 300, std: 50 } }, task: 'regression', grid: WITH_L1 },
];

const LAYOUTS = [
  { name: 'csr', dense: false, weighted: false },
  { name: 'csr, weighted', dense: false, weighted: true },
  { name: 'dense, weighted', dense: true, weighted: true },
  { name: 'dense', dense: true, weighted: false },
];

const optionsOf = (c: Case) => c.grid.map((g, i) => resolveModelOptions({ ...c.base, ...g, seed: i + 1 }));

for (const c of CASES)
  for (const l of LAYOUTS)
    test(`${c.name}, ${l.name}: 5 candidates predict and end in the state of SparseLinearModel alone`, async () => {
      const opts = optionsOf(c),
        block = new BatchedSparseLinear(opts),
        alone = opts.map((o) => new SparseLinearModel(o)),
        x = data(11, 2400, c.task, l);
      race(block, alone, chunks(x), `${c.name}, ${l.name}`);
      assert.is(block.step, alone[0]!.step);
      for (let k = 0; k < opts.length; k++) stateGap(block.state(k), await alone[k]!.state(), `${c.name}, ${l.name}, candidate ${k}`);
      // Learning happened (not a comparison of two untrained models).
      const s = block.state(0);
      assert.ok(
        s.params.w0!.some((w) => Math.abs(w) > 1e-3),
        'candidate 0 learned weights',
      );
    });

test('the renormalization pass ran (c folded into v): candidate 4 of the strong-L2 grid has c = 1 after it', () => {
  const block = new BatchedSparseLinear(optionsOf(CASES[0]!));
  const x = data(11, 2400, 'binary');
  block.testThenTrain(x, new Float32Array(x.rows * 5));
  const c4 = block.state(4).optimizer.scalars![0]!;
  // 1.05^-(learned rows since the last fold): a fold resets c to 1, so without one c would be below 1e-30.
  assert.ok(c4 > 1e-30 && c4 < 1, `c = ${c4}`);
});

for (const c of [CASES[0]!, CASES[1]!, CASES[3]!, CASES[4]!])
  test(`${c.name}: after drops the others are unchanged, dropped columns are NaN, and a model rebuilt from state(k) goes on as if alone`, async () => {
    const opts = optionsOf(c),
      block = new BatchedSparseLinear(opts),
      alone: (SparseLinearModel | null)[] = opts.map((o) => new SparseLinearModel(o)),
      x = data(5, 3000, c.task, { weighted: c.task === 'regression' }),
      [a, b, d] = [x.sliceRows(0, 900), x.sliceRows(900, 2000), x.sliceRows(2000, 3000)];
    race(block, alone, [a], c.name);
    block.drop(1);
    alone[1] = null;
    block.drop(3);
    alone[3] = null;
    assert.is(block.alive, 3);
    assert.not.ok(block.isAlive(3));
    race(block, alone, [b], `${c.name} after dropping 1 and 3`);
    block.drop(0);
    alone[0] = null;
    assert.is(block.alive, 2);
    race(block, alone, [d.sliceRows(0, 300)], `${c.name} after dropping 0`);
    for (const k of [2, 4]) stateGap(block.state(k), await alone[k]!.state(), `${c.name} candidate ${k} after drops`);
    assert.throws(
      () => block.state(1),
      (e: unknown) => e instanceof SpecError && /candidate 1 was dropped/.test((e as Error).message),
    );
    assert.throws(
      () => block.drop(3),
      (e: unknown) => e instanceof SpecError,
    );
    assert.throws(
      () => block.drop(9),
      (e: unknown) => e instanceof SpecError && /not one of/.test((e as Error).message),
    );
    // A model rebuilt from the block's state continues exactly as the model that was alone all along.
    const rest = d.sliceRows(300, 1000);
    for (const k of [2, 4]) {
      const rebuilt = (await modelFromState(block.state(k))) as Model;
      const o1 = new Float32Array(rest.rows),
        o2 = new Float32Array(rest.rows);
      rebuilt.testThenTrain!(rest, o1);
      alone[k]!.testThenTrain(rest, o2);
      for (let r = 0; r < rest.rows; r++) if (!near(o1[r]!, o2[r]!)) assert.unreachable(`${c.name} rebuilt ${k} row ${r}: ${o1[r]} vs ${o2[r]}`);
      stateGap(await rebuilt.state(), await alone[k]!.state(), `${c.name} rebuilt candidate ${k}`);
    }
    // Dropping every candidate leaves only NaN.
    block.drop(2);
    block.drop(4);
    assert.is(block.alive, 0);
    const out = new Float32Array(rest.rows * 5);
    block.testThenTrain(rest, out);
    assert.ok(out.every(Number.isNaN));
  });

/** Wide hashed rows: 6 random non-zeros of `cols` columns (values in ±[0.5, 2]), a label from a fixed random teacher. */
function wide(seed: number, rows: number, cols: number, task: Task): FeatureMatrix {
  const rng = new Rng(seed),
    teacher = Float64Array.from({ length: cols }, () => rng.normal()),
    indptr = new Int32Array(rows + 1),
    idx = new Int32Array(rows * 6),
    val = new Float32Array(rows * 6),
    t = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = new Set<number>();
    while (row.size < 6) row.add(rng.int(cols));
    let z = 0;
    [...row]
      .sort((a, b) => a - b)
      .forEach((j, i) => {
        idx[r * 6 + i] = j;
        val[r * 6 + i] = (rng.bernoulli(0.5) ? 1 : -1) * rng.uniform(0.5, 2);
        z += teacher[j]! * val[r * 6 + i]!;
      });
    indptr[r + 1] = (r + 1) * 6;
    t[r] = r % 13 === 7 ? NaN : task === 'binary' ? (rng.float() < 1 / (1 + Math.exp(-z)) ? 1 : 0) : 50 + 10 * z;
  }
  return FeatureMatrix.csr(rows, cols, indptr, idx, val, { targets: t });
}

for (const c of [CASES[1]!, CASES[4]!])
  test(`${c.name}: 20,000 columns (blocks handed out past the first 4096, twice), then a drop`, async () => {
    const opts = optionsOf(c),
      block = new BatchedSparseLinear(opts),
      alone: (SparseLinearModel | null)[] = opts.map((o) => new SparseLinearModel(o)),
      x = wide(9, 2500, 20_000, c.task);
    race(block, alone, [x.sliceRows(0, 1000), x.sliceRows(1000, 2000)], `${c.name}, wide`);
    block.drop(2);
    alone[2] = null;
    race(block, alone, [x.sliceRows(2000, 2500)], `${c.name}, wide, after dropping 2`);
    for (const k of [0, 1, 3, 4]) stateGap(block.state(k), await alone[k]!.state(), `${c.name}, wide, candidate ${k}`);
  });

test('state before any row, and inputs taken from the first matrix', async () => {
  const opts = optionsOf(CASES[4]!),
    block = new BatchedSparseLinear(opts);
  assert.is(block.inputs, null);
  stateGap(block.state(2), await new SparseLinearModel(opts[2]!).state(), 'fresh');
  const x = data(3, 50, 'regression');
  block.testThenTrain(x, new Float32Array(50 * 5));
  assert.is(block.inputs, COLS);
  assert.throws(
    () => block.testThenTrain(FeatureMatrix.dense(1, 3, new Float32Array(3)), new Float32Array(5)),
    (e: unknown) => /take 12 input columns/.test((e as Error).message),
  );
  assert.throws(
    () => block.testThenTrain(x, new Float32Array(10)),
    (e: unknown) => /needs 250 outputs/.test((e as Error).message),
  );
});

test('a target the loss cannot use is rejected before anything is learned', () => {
  const block = new BatchedSparseLinear(optionsOf(CASES[0]!));
  const x = FeatureMatrix.dense(2, 1, Float32Array.of(1, 2), { targets: Float32Array.of(1, 2) });
  assert.throws(
    () => block.testThenTrain(x, new Float32Array(10)),
    (e: unknown) => /target of row 1 is 2/.test((e as Error).message),
  );
  assert.is(block.step, 0);
});

test('options that differ in anything but lr, l1, l2 and seed throw SpecError naming the key; fits and eligible say the same', () => {
  const a = resolveModelOptions({ kind: 'logistic', lr: 0.5 });
  const same = resolveModelOptions({ kind: 'logistic', lr: 2, l1: 1e-3, l2: 1e-4, seed: 7 });
  assert.ok(BatchedSparseLinear.fits(a, same));
  assert.ok(BatchedSparseLinear.eligible(a));
  const bad: [ModelOptions, string][] = [
    [{ kind: 'svm' }, 'kind'],
    [{ kind: 'logistic', classWeights: [1, 2] }, 'classWeights'],
    [{ kind: 'logistic', inputs: 12 }, 'inputs'],
    [{ kind: 'logistic', beta1: 0.5 }, 'beta1'],
  ];
  for (const [o, key] of bad) {
    const b = resolveModelOptions(o);
    assert.not.ok(BatchedSparseLinear.fits(a, b), key);
    assert.throws(
      () => new BatchedSparseLinear([a, b]),
      (e: unknown) => e instanceof SpecError && e.path === 'tune' && e.message.includes(` in ${key} `),
      key,
    );
  }
  const notBatched: [ModelOptions, string][] = [
    [{ kind: 'logistic', optimizer: 'ftrl' }, 'optimizer'],
    [{ kind: 'logistic', batchSize: 32 }, 'batchSize'],
    [{ kind: 'softmax', classes: 3 }, 'kind'],
    [{ kind: 'passiveAggressive' }, 'kind'],
    [{ kind: 'logistic', optimizer: 'adam' }, 'optimizer'],
  ];
  for (const [o, key] of notBatched) {
    const b = resolveModelOptions(o);
    assert.not.ok(BatchedSparseLinear.eligible(b), key);
    assert.not.ok(BatchedSparseLinear.fits(b, b), key);
    assert.throws(
      () => new BatchedSparseLinear([b]),
      (e: unknown) => e instanceof SpecError && e.path === 'tune' && e.message.includes(`${key} `),
      key,
    );
  }
  assert.throws(
    () => new BatchedSparseLinear([]),
    (e: unknown) => e instanceof SpecError && e.path === 'tune',
  );
});

test.run();
