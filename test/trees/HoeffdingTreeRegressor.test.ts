import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { HoeffdingTreeRegressor, type HoeffdingTreeRegressorOptions, type HoeffdingTreeRegressorState } from '../../src/trees/HoeffdingTreeRegressor.js';
import type { TreeRow } from '../../src/trees/TreeRow.js';

/** Friedman #1 (Friedman 1991): 10 uniform features, 5 informative, N(0, 1) noise. */
function friedman(seed: number, rows: number): { X: Float64Array; Y: Float64Array; d: number } {
  return switching(seed, rows, Number.POSITIVE_INFINITY);
}

/** y = 5 when x0 > 0.5 else −5, plus N(0, 0.1²) noise; 3 uniform features. */
function piecewise(seed: number, rows: number): { X: Float64Array; Y: Float64Array; d: number } {
  const rng = new Rng(seed),
    d = 3,
    X = new Float64Array(rows * d),
    Y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) X[i * d + j] = rng.float();
    Y[i] = (X[i * d]! > 0.5 ? 5 : -5) + rng.normal(0, 0.1);
  }
  return { X, Y, d };
}

/** A dense row over d features (every index in nz). */
function denseRow(d: number): TreeRow {
  return { x: new Float64Array(d), nz: Int32Array.from({ length: d }, (_, j) => j), n: d };
}

function load(row: TreeRow, X: Float64Array, d: number, i: number): TreeRow {
  row.x.set(X.subarray(i * d, (i + 1) * d));
  return row;
}

/**
 * Prequential (test-then-train) MAE over the stream, with an optional target map. The first row
 * is learned but not scored (its prediction is 0 whatever the target's scale).
 */
function prequential(t: HoeffdingTreeRegressor, X: Float64Array, Y: Float64Array, d: number, map = (y: number) => y): number {
  const row = denseRow(d);
  let ae = 0;
  for (let i = 0; i < Y.length; i++) {
    load(row, X, d, i);
    const y = map(Y[i]!);
    if (i > 0) ae += Math.abs(t.predict(row) - y);
    t.learn(row, y);
  }
  return ae / (Y.length - 1);
}

function roundTrip(t: HoeffdingTreeRegressor): HoeffdingTreeRegressor {
  return HoeffdingTreeRegressor.fromJSON(JSON.parse(JSON.stringify(t.toJSON())) as HoeffdingTreeRegressorState);
}

function assertOptionError(options: Record<string, unknown>, path: string): void {
  try {
    new HoeffdingTreeRegressor(options as unknown as HoeffdingTreeRegressorOptions);
  } catch (e) {
    const err = e as Error & { path?: string };
    assert.is(err.name, 'SpecError', err.message);
    assert.is(err.path, path, err.message);
    return;
  }
  assert.unreachable(`expected a SpecError for ${path}`);
}

const F = friedman(11, 20000);

test('Friedman #1, 20k rows test-then-train: the tree splits, linear and adaptive leaves beat mean leaves', () => {
  // Measured (seed 11): prequential MAE mean 2.39 (R² 0.63), linear 1.80 (R² 0.78), adaptive
  // 1.82 (R² 0.77), 44 leaves; the target's MAE around its own mean is 4.02. Bounds leave ~6% room.
  const maes: Record<string, number> = {};
  for (const leaf of ['mean', 'linear', 'adaptive'] as const) {
    const t = new HoeffdingTreeRegressor({ inputs: 10, leaf });
    maes[leaf] = prequential(t, F.X, F.Y, F.d);
    const s = t.summary();
    assert.ok(s.leaves >= 20 && s.splits === s.leaves - 1 && s.depth >= 4, JSON.stringify(s));
    assert.is(t.seen, 20000);
  }
  assert.ok(maes.mean! < 2.55, `mean ${maes.mean}`);
  assert.ok(maes.linear! < 1.9, `linear ${maes.linear}`);
  assert.ok(maes.adaptive! < 1.95, `adaptive ${maes.adaptive}`);
  assert.ok(maes.linear! < maes.mean! - 0.3 && maes.adaptive! < maes.mean! - 0.3, JSON.stringify(maes));
});

test('a piecewise target (±5 at x0 = 0.5) is learned almost exactly with mean leaves; x0 carries the importance', () => {
  const P = piecewise(3, 5000),
    t = new HoeffdingTreeRegressor({ inputs: 3, leaf: 'mean' });
  prequential(t, P.X, P.Y, P.d);
  const T = piecewise(4, 2000),
    row = denseRow(3);
  let ae = 0,
    n = 0;
  for (let i = 0; i < 2000; i++) {
    if (Math.abs(T.X[i * 3]! - 0.5) < 0.01) continue;
    ae += Math.abs(t.predict(load(row, T.X, 3, i)) - (T.X[i * 3]! > 0.5 ? 5 : -5));
    n++;
  }
  // The leaf means are within ~0.01 of ±5; the threshold is within a bucket of 0.5.
  assert.ok(ae / n < 0.05, `MAE ${ae / n}`);
  const imp = new Float64Array(3);
  t.featureImportances(imp);
  assert.ok(imp[0]! > 10 * (imp[1]! + imp[2]!), `importances ${Array.from(imp)}`);
  const root = t.toJSON().root;
  assert.ok(!root.leaf && root.feature === 0 && Math.abs(root.threshold - 0.5) < 0.02, JSON.stringify({ ...root, left: 0, right: 0 }));
});

test('an unscaled target (y × 1000 + 500) gives the same relative error and the same tree (scale-free leaves)', () => {
  const rows = 8000,
    X = F.X.subarray(0, rows * 10),
    Y = F.Y.subarray(0, rows);
  for (const leaf of ['mean', 'linear', 'adaptive'] as const) {
    const a = new HoeffdingTreeRegressor({ inputs: 10, leaf }),
      b = new HoeffdingTreeRegressor({ inputs: 10, leaf });
    const ma = prequential(a, X, Y, 10),
      mb = prequential(b, X, Y, 10, (y) => y * 1000 + 500) / 1000;
    assert.ok(Math.abs(ma - mb) < 1e-6 * ma, `${leaf}: ${ma} vs ${mb}`);
    assert.equal(b.summary(), a.summary());
  }
});

test('gracePeriod: the first split attempt comes after gracePeriod rows', () => {
  const P = piecewise(5, 400);
  for (const gp of [50, 200]) {
    const t = new HoeffdingTreeRegressor({ inputs: 3, gracePeriod: gp, leaf: 'mean' }),
      row = denseRow(3);
    for (let i = 0; i < 400; i++) {
      t.learn(load(row, P.X, 3, i), P.Y[i]!);
      // The split is clear at once (the other features score ~0), so it comes at exactly gp rows.
      assert.is(t.summary().splits > 0, i + 1 >= gp, `gracePeriod ${gp}, row ${i + 1}`);
    }
  }
});

test('maxDepth, maxLeaves and maxFeatures do what they say', () => {
  const deep = new HoeffdingTreeRegressor({ inputs: 10, maxDepth: 2 });
  prequential(deep, F.X, F.Y, F.d);
  assert.equal(deep.summary(), { nodes: 7, leaves: 4, activeLeaves: 0, depth: 2, splits: 3 });

  const few = new HoeffdingTreeRegressor({ inputs: 10, maxLeaves: 4 }),
    row = denseRow(10);
  for (let i = 0; i < 20000; i++) {
    few.learn(load(row, F.X, 10, i), F.Y[i]!);
    if (i % 500 === 0) assert.ok(few.summary().activeLeaves <= 4, `row ${i}: ${JSON.stringify(few.summary())}`);
  }
  const s = few.summary();
  assert.ok(s.activeLeaves === 4 && s.leaves > 8, JSON.stringify(s));

  // One drawn feature per leaf: each leaf observes only it, and the root splits on its own draw.
  const P = piecewise(6, 3000);
  for (let seed = 1; seed <= 6; seed++) {
    const t = new HoeffdingTreeRegressor({ inputs: 3, maxFeatures: 1, leaf: 'mean', seed }),
      r = denseRow(3);
    // The root draws again from the first row's non-zero features (the pool), then keeps its draw.
    t.learn(load(r, P.X, 3, 0), P.Y[0]!);
    const drawn = (t.toJSON().root as { allowed: number[] }).allowed;
    assert.is(drawn.length, 1);
    for (let i = 1; i < 3000; i++) t.learn(load(r, P.X, 3, i), P.Y[i]!);
    const st = t.toJSON();
    if (!st.root.leaf) assert.is(st.root.feature, drawn[0]);
    const leaves: HoeffdingTreeRegressorState['root'][] = [st.root];
    while (leaves.length > 0) {
      const n = leaves.pop()!;
      if (!n.leaf) leaves.push(n.left, n.right);
      else {
        assert.is(n.allowed!.length, 1);
        for (const [j] of n.observers ?? []) assert.is(j, n.allowed![0]);
      }
    }
  }
});

test('weights: w = 2 is close to learning the row twice; w = 0 changes nothing', () => {
  const rows = 6000;
  for (const leaf of ['mean', 'adaptive'] as const) {
    const a = new HoeffdingTreeRegressor({ inputs: 10, leaf }),
      b = new HoeffdingTreeRegressor({ inputs: 10, leaf }),
      row = denseRow(10);
    let ea = 0,
      eb = 0;
    for (let i = 0; i < rows; i++) {
      load(row, F.X, 10, i);
      const y = F.Y[i]!;
      ea += Math.abs(a.predict(row) - y);
      eb += Math.abs(b.predict(row) - y);
      a.learn(row, y, 2);
      b.learn(row, y);
      b.learn(row, y);
    }
    assert.is(a.seen, b.seen);
    // Mean leaves: the same tree (sums differ only by rounding); adaptive: the faded errors and the
    // scaler differ a little between one step of weight 2 and two steps.
    if (leaf === 'mean') assert.equal(a.summary(), b.summary());
    assert.ok(Math.abs(ea - eb) < 0.03 * eb, `${leaf}: ${ea / rows} vs ${eb / rows}`);
    const before = JSON.stringify(a.toJSON());
    a.learn(load(row, F.X, 10, rows), 1234, 0);
    assert.is(JSON.stringify(a.toJSON()), before);
  }
  const t = new HoeffdingTreeRegressor({ inputs: 2 });
  assert.throws(() => t.learn(denseRow(2), Number.NaN), /finite/);
  assert.throws(() => t.learn(denseRow(2), 1, -1), /weight/);
});

test('a dense row with explicit zeros and the same row given sparsely (any order) give identical trees', () => {
  const rng = new Rng(8),
    d = 12,
    rows = 6000;
  for (const leaf of ['mean', 'adaptive'] as const) {
    const a = new HoeffdingTreeRegressor({ inputs: d, leaf, gracePeriod: 100 }),
      b = new HoeffdingTreeRegressor({ inputs: d, leaf, gracePeriod: 100 }),
      dense = denseRow(d),
      sparse: TreeRow = { x: new Float64Array(d), nz: new Int32Array(d), n: 0 };
    for (let i = 0; i < rows; i++) {
      sparse.n = 0;
      for (let j = 0; j < d; j++) {
        // Half the values are zeros (some negative values too, so the implicit zero sits mid-order).
        const v = rng.float() < 0.5 ? 0 : rng.float() * 2 - 0.5;
        dense.x[j] = v;
        sparse.x[j] = v;
        if (v !== 0) sparse.nz[sparse.n++] = j;
      }
      // Reverse the listed features: order must not matter.
      sparse.nz.subarray(0, sparse.n).reverse();
      const y = 3 * (dense.x[0]! > 0.2 ? 1 : -1) + 2 * dense.x[1]! - dense.x[2]! + rng.normal(0, 0.3);
      assert.is(b.predict(sparse), a.predict(dense));
      a.learn(dense, y);
      b.learn(sparse, y);
    }
    assert.ok(a.summary().splits >= 3, JSON.stringify(a.summary()));
    assert.equal(b.toJSON(), a.toJSON());
  }
});

test('sparse wide input (2^18 columns, ~10 non-zeros a row) learns and stays small', () => {
  const d = 1 << 18,
    rng = new Rng(9),
    vocab = Int32Array.from({ length: 300 }, () => rng.int(d)),
    effect = Float64Array.from({ length: 300 }, (_, k) => (k < 20 ? rng.normal(0, 3) : 0)),
    t = new HoeffdingTreeRegressor({ inputs: d, gracePeriod: 100 }),
    row: TreeRow = { x: new Float64Array(d), nz: new Int32Array(16), n: 0 };
  let ae = 0,
    base = 0,
    sum = 0;
  const rows = 8000;
  const t0 = performance.now();
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < row.n; k++) row.x[row.nz[k]!] = 0;
    row.n = 0;
    let y = 1000 + rng.normal(0, 0.5);
    for (let k = 0; k < 10; k++) {
      const v = rng.int(300),
        j = vocab[v]!;
      if (row.x[j] !== 0) continue;
      row.x[j] = 1;
      row.nz[row.n++] = j;
      y += effect[v]!;
    }
    if (i >= rows / 2) {
      ae += Math.abs(t.predict(row) - y);
      base += Math.abs(sum / i - y);
    }
    t.learn(row, y);
    sum += y;
  }
  const ms = performance.now() - t0;
  // Measured: the second half's MAE is about 0.35 of predicting the running mean.
  assert.ok(ae < 0.5 * base, `MAE ${ae / (rows / 2)} vs the mean's ${base / (rows / 2)}`);
  assert.ok(t.summary().splits >= 3, JSON.stringify(t.summary()));
  // A leaf's state grows with the columns it has seen (≤ 300), not the width (a dense leaf would be ≥ 2^19 characters).
  const json = JSON.stringify(t.toJSON()),
    perLeaf = json.length / t.summary().leaves;
  assert.ok(perLeaf < 50_000, `state ${json.length} characters, ${perLeaf} a leaf`);
  assert.ok(ms < 2000, `${ms} ms`);
  // And it round-trips: the restored tree predicts the same.
  const r = roundTrip(t);
  assert.is(r.predict(row), t.predict(row));
});

test('JSON round trip: the restored tree continues identically (with maxLeaves and maxFeatures in play)', () => {
  for (const options of [
    { inputs: 10 },
    { inputs: 10, leaf: 'linear', maxLeaves: 3, maxFeatures: 4, gracePeriod: 100, seed: 5 },
    { inputs: 10, leaf: 'mean', maxDepth: 3 },
  ] as HoeffdingTreeRegressorOptions[]) {
    const a = new HoeffdingTreeRegressor(options),
      row = denseRow(10);
    for (let i = 0; i < 3000; i++) a.learn(load(row, F.X, 10, i), F.Y[i]!);
    const b = roundTrip(a);
    assert.equal(b.toJSON(), a.toJSON());
    for (let i = 3000; i < 6000; i++) {
      load(row, F.X, 10, i);
      assert.is(b.predict(row), a.predict(row), `row ${i}`);
      a.learn(row, F.Y[i]!);
      b.learn(row, F.Y[i]!);
    }
    assert.equal(b.toJSON(), a.toJSON());
    assert.ok(a.summary().splits > 1, JSON.stringify(a.summary()));
  }
});

/** Friedman #1 on features 0..4, switching abruptly to features 5..9 at row `change`. */
function switching(seed: number, rows: number, change: number): { X: Float64Array; Y: Float64Array; d: number } {
  const rng = new Rng(seed),
    d = 10,
    X = new Float64Array(rows * d),
    Y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) X[o + j] = rng.float();
    const b = i < change ? o : o + 5;
    Y[i] = 10 * Math.sin(Math.PI * X[b]! * X[b + 1]!) + 20 * (X[b + 2]! - 0.5) ** 2 + 10 * X[b + 3]! + 5 * X[b + 4]! + rng.normal();
  }
  return { X, Y, d };
}

test('adaptive (HAT): after an abrupt change an alternate subtree replaces the stale one and the error recovers', () => {
  // Measured (seed 12, mean leaves): MAE after the change 4.27 plain vs 2.75 adaptive; before it
  // both 2.78 (no replacement before the change). With adaptive leaves: 2.59 vs 1.97.
  const S = switching(12, 20000, 10000),
    row = denseRow(10);
  const post: number[] = [],
    pre: number[] = [];
  const trees = [false, true].map((adaptive) => new HoeffdingTreeRegressor({ inputs: 10, leaf: 'mean', adaptive }));
  for (const t of trees) {
    let a = 0,
      b = 0;
    for (let i = 0; i < 20000; i++) {
      load(row, S.X, 10, i);
      const e = Math.abs(t.predict(row) - S.Y[i]!);
      if (i < 10000) a += e;
      else b += e;
      t.learn(row, S.Y[i]!);
    }
    pre.push(a / 10000);
    post.push(b / 10000);
  }
  assert.ok(Math.abs(pre[0]! - pre[1]!) < 0.05, `before the change ${pre}`);
  assert.ok(post[1]! < 3.0 && post[1]! < post[0]! - 1, `after the change: plain ${post[0]}, adaptive ${post[1]}`);
  const hat = trees[1]!;
  assert.ok(hat.alternates >= 1 && hat.replacements >= 1, `${hat.alternates} alternates, ${hat.replacements} replacements`);
  assert.is(trees[0]!.alternates, 0);
});

test('adaptive (HAT): a JSON round trip with alternates growing continues identically', () => {
  const S = switching(12, 13000, 10000),
    row = denseRow(10),
    a = new HoeffdingTreeRegressor({ inputs: 10, adaptive: true });
  let at = 0;
  for (let i = 0; i < 13000; i++) {
    a.learn(load(row, S.X, 10, i), S.Y[i]!);
    // Save once an alternate is growing (and has split, when it gets that far).
    if (at === 0 && a.alternates > a.replacements + a.prunedAlternates && i > 10500) at = i + 1;
    if (at > 0) break;
  }
  assert.ok(at > 0, 'an alternate should be growing after the change');
  const b = roundTrip(a);
  assert.equal(b.toJSON(), a.toJSON());
  for (let i = at; i < 13000; i++) {
    load(row, S.X, 10, i);
    assert.is(b.predict(row), a.predict(row), `row ${i}`);
    a.learn(row, S.Y[i]!);
    b.learn(row, S.Y[i]!);
  }
  assert.equal(b.toJSON(), a.toJSON());
});

test('predict is 0 before any row and never changes state', () => {
  const t = new HoeffdingTreeRegressor({ inputs: 10 }),
    row = denseRow(10);
  assert.is(t.predict(load(row, F.X, 10, 0)), 0);
  for (let i = 0; i < 500; i++) t.learn(load(row, F.X, 10, i), F.Y[i]!);
  const before = JSON.stringify(t.toJSON());
  for (let i = 500; i < 600; i++) t.predict(load(row, F.X, 10, i));
  assert.is(JSON.stringify(t.toJSON()), before);
});

test('bad options throw a SpecError naming the key', () => {
  assertOptionError({}, 'hoeffdingTreeRegressor.inputs');
  assertOptionError({ inputs: 0 }, 'hoeffdingTreeRegressor.inputs');
  assertOptionError({ inputs: 2, gracePeriod: 0 }, 'hoeffdingTreeRegressor.gracePeriod');
  assertOptionError({ inputs: 2, delta: 1 }, 'hoeffdingTreeRegressor.delta');
  assertOptionError({ inputs: 2, tau: -0.1 }, 'hoeffdingTreeRegressor.tau');
  assertOptionError({ inputs: 2, leaf: 'median' }, 'hoeffdingTreeRegressor.leaf');
  assertOptionError({ inputs: 2, leafLr: 0 }, 'hoeffdingTreeRegressor.leafLr');
  assertOptionError({ inputs: 2, leafLr: 1.5 }, 'hoeffdingTreeRegressor.leafLr');
  assertOptionError({ inputs: 2, maxDepth: -1 }, 'hoeffdingTreeRegressor.maxDepth');
  assertOptionError({ inputs: 2, maxLeaves: 1.5 }, 'hoeffdingTreeRegressor.maxLeaves');
  assertOptionError({ inputs: 2, maxFeatures: '2' }, 'hoeffdingTreeRegressor.maxFeatures');
  assertOptionError({ inputs: 2, seed: 0.5 }, 'hoeffdingTreeRegressor.seed');
  assertOptionError({ inputs: 2, adaptive: 'yes' }, 'hoeffdingTreeRegressor.adaptive');
  assertOptionError({ inputs: 2, adaptive: true, adwinDelta: 0 }, 'hoeffdingTreeRegressor.adwinDelta');
  assertOptionError({ inputs: 2, grace: 10 }, 'hoeffdingTreeRegressor.grace');
});

test.run();
