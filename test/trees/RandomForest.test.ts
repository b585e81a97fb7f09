import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { ForestTree } from '../../src/trees/ForestTree.js';
import { RandomForest, type RandomForestOptions, type RandomForestState, type TreeRow } from '../../src/trees/index.js';

interface Data {
  x: Float32Array;
  y: Float64Array;
  rows: number;
  inputs: number;
}

/** Rows of `inputs` uniform features in [lo, hi) (rounded to `digits` decimals when given), labelled by `label`. */
function make(seed: number, rows: number, inputs: number, label: (x: Float32Array, o: number, rng: Rng) => number, lo = -1, hi = 1, digits?: number): Data {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * inputs),
    y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < inputs; j++) {
      const v = rng.uniform(lo, hi);
      x[i * inputs + j] = digits === undefined ? v : Math.round(v * 10 ** digits) / 10 ** digits;
    }
    y[i] = label(x, i * inputs, rng);
  }
  return { x, y, rows, inputs };
}

function row(d: Data, i: number): TreeRow {
  const x = new Float64Array(d.inputs),
    nz = new Int32Array(d.inputs);
  for (let j = 0; j < d.inputs; j++) {
    x[j] = d.x[i * d.inputs + j]!;
    nz[j] = j;
  }
  return { x, nz, n: d.inputs };
}

function predictAll(f: RandomForest, d: Data, width: number): Float64Array {
  const out = new Float64Array(d.rows * width);
  for (let i = 0; i < d.rows; i++) f.predictRow(row(d, i), out, i * width);
  return out;
}

function accuracy(f: RandomForest, d: Data, classes: number): number {
  const p = predictAll(f, d, classes);
  let ok = 0;
  for (let i = 0; i < d.rows; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[i * classes + c]! > p[i * classes + best]!) best = c;
    if (best === d.y[i]) ok++;
  }
  return ok / d.rows;
}

function r2(f: RandomForest, d: Data): number {
  const p = predictAll(f, d, 1);
  let mean = 0;
  for (let i = 0; i < d.rows; i++) mean += d.y[i]! / d.rows;
  let ss = 0,
    st = 0;
  for (let i = 0; i < d.rows; i++) {
    ss += (d.y[i]! - p[i]!) ** 2;
    st += (d.y[i]! - mean) ** 2;
  }
  return 1 - ss / st;
}

function split(d: Data, at: number): [Data, Data] {
  const k = d.inputs;
  return [
    { x: d.x.slice(0, at * k), y: d.y.slice(0, at), rows: at, inputs: k },
    { x: d.x.slice(at * k), y: d.y.slice(at), rows: d.rows - at, inputs: k },
  ];
}

function fit(d: Data, options: Partial<RandomForestOptions> & Pick<RandomForestOptions, 'task'>, weights?: Float32Array): RandomForest {
  const f = new RandomForest({ inputs: d.inputs, ...(options.task === 'classification' ? { classes: 2 } : {}), ...options });
  f.fit(d.x, d.rows, d.y, weights);
  return f;
}

/** The forest's trees as ForestTrees (through its JSON state). */
function trees(f: RandomForest): ForestTree[] {
  return f.toJSON().trees.map((t) => ForestTree.fromJSON(t));
}

const separable = (x: Float32Array, o: number) => (x[o]! + 0.5 * x[o + 1]! > 0.2 ? 1 : 0);
const xor = (x: Float32Array, o: number) => (x[o]! > 0 !== x[o + 1]! > 0 ? 1 : 0);
/** Friedman #1 (Friedman 1991): 10 uniform [0, 1) features, 5 informative, noise N(0, 1). */
const friedman1 = (x: Float32Array, o: number, rng: Rng) =>
  10 * Math.sin(Math.PI * x[o]! * x[o + 1]!) + 20 * (x[o + 2]! - 0.5) ** 2 + 10 * x[o + 3]! + 5 * x[o + 4]! + rng.normal();

test('linearly separable (2 features + 2 noise): held-out accuracy ≥ 0.97', () => {
  const [train, held] = split(make(1, 2000, 4, separable), 1500);
  const f = fit(train, { task: 'classification', trees: 30 });
  const acc = accuracy(f, held, 2);
  assert.ok(acc >= 0.97, `accuracy ${acc}`);
});

test('XOR of two features (+ 2 noise): held-out accuracy ≥ 0.96 (gini and entropy)', () => {
  const [train, held] = split(make(2, 2000, 4, xor), 1500);
  for (const criterion of ['gini', 'entropy'] as const) {
    const acc = accuracy(fit(train, { task: 'classification', trees: 30, criterion }), held, 2);
    assert.ok(acc >= 0.96, `${criterion}: accuracy ${acc}`);
  }
});

test('three classes: probabilities sum to 1 and held-out accuracy ≥ 0.95', () => {
  const three = (x: Float32Array, o: number) => (x[o]! < -0.3 ? 0 : x[o + 1]! < 0 ? 1 : 2);
  const [train, held] = split(make(3, 1600, 3, three), 1200);
  const f = new RandomForest({ task: 'classification', classes: 3, inputs: 3, trees: 30 });
  f.fit(train.x, train.rows, train.y);
  const p = predictAll(f, held, 3);
  for (let i = 0; i < held.rows; i++) assert.ok(Math.abs(p[i * 3]! + p[i * 3 + 1]! + p[i * 3 + 2]! - 1) < 1e-12);
  const acc = accuracy(f, held, 3);
  assert.ok(acc >= 0.95, `accuracy ${acc}`);
});

test('Friedman #1 regression (2000 rows, 50 trees, all features per split): held-out R² ≥ 0.82', () => {
  const [train, held] = split(make(4, 2500, 10, friedman1, 0, 1), 2000);
  const f = fit(train, { task: 'regression', trees: 50 });
  const r = r2(f, held);
  assert.ok(r >= 0.82, `R² ${r}`);
});

test('regression is scale-free: targets × 1e-9 or + 1e6 grow the same trees (purity is judged relative to the target)', () => {
  const d = make(14, 300, 4, (x, o, rng) => x[o]! * 2 + rng.normal());
  const base = fit(d, { task: 'regression', trees: 3 }).summary();
  for (const map of [(v: number) => v * 1e-9, (v: number) => v + 1e6]) {
    const s = fit({ ...d, y: d.y.map(map) }, { task: 'regression', trees: 3 }).summary();
    assert.equal(s, base);
  }
});

test('same seed: identical predictions; another seed: other trees', () => {
  const d = make(5, 600, 5, xor);
  const a = predictAll(fit(d, { task: 'classification', trees: 10, seed: 7 }), d, 2);
  const b = predictAll(fit(d, { task: 'classification', trees: 10, seed: 7 }), d, 2);
  assert.equal(Array.from(b), Array.from(a));
  const s1 = fit(d, { task: 'classification', trees: 10, seed: 7 }).toJSON(),
    s2 = fit(d, { task: 'classification', trees: 10, seed: 8 }).toJSON();
  assert.not.equal(s2.trees, s1.trees);
});

test('JSON round trip: identical state and predictions (classification and regression); a refit replaces the trees', () => {
  const c = make(6, 500, 4, xor),
    r = make(6, 500, 10, friedman1, 0, 1);
  for (const [d, options, width] of [
    [c, { task: 'classification', trees: 8 }, 2],
    [r, { task: 'regression', trees: 8 }, 1],
  ] as const) {
    const f = fit(d, options);
    const g = RandomForest.fromJSON(JSON.parse(JSON.stringify(f.toJSON())) as RandomForestState);
    assert.ok(g.fitted);
    assert.equal(g.toJSON(), f.toJSON());
    assert.equal(Array.from(predictAll(g, d, width)), Array.from(predictAll(f, d, width)));
    assert.equal(g.summary(), f.summary());
    // Fitting the restored forest again gives the trees the original's fit gave (the seed is in the state).
    g.fit(d.x, d.rows, d.y);
    assert.equal(g.toJSON(), f.toJSON());
  }
});

test('before any fit: uniform probabilities / 0, not fitted, empty summary', () => {
  const f = new RandomForest({ task: 'classification', classes: 4, inputs: 2 });
  const out = new Float32Array(5);
  f.predictRow({ x: new Float64Array(2), nz: new Int32Array([0, 1]), n: 2 }, out, 1);
  assert.equal(Array.from(out), [0, 0.25, 0.25, 0.25, 0.25]);
  assert.not.ok(f.fitted);
  assert.equal(f.summary(), { trees: 0, nodes: 0, leaves: 0, depth: 0 });
  const g = new RandomForest({ task: 'regression', inputs: 2 });
  const o = new Float64Array([9]);
  g.predictRow({ x: new Float64Array(2), nz: new Int32Array(0), n: 0 }, o);
  assert.is(o[0], 0);
});

test('a sparse row (absent features left out of nz) predicts as its dense form', () => {
  const d = make(7, 400, 6, xor);
  const f = fit(d, { task: 'classification', trees: 10 });
  const dense = new Float64Array(2),
    sparse = new Float64Array(2);
  const x = new Float64Array([0.4, -0.2, 0, 0, 0.3, 0]);
  f.predictRow({ x, nz: new Int32Array([0, 1, 2, 3, 4, 5]), n: 6 }, dense);
  f.predictRow({ x, nz: new Int32Array([4, 0, 1]), n: 3 }, sparse);
  assert.equal(Array.from(sparse), Array.from(dense));
});

test('maxDepth bounds the depth (maxDepth 1: three nodes a tree); unlimited grows to purity', () => {
  const d = make(8, 800, 4, xor);
  const s1 = fit(d, { task: 'classification', trees: 5, maxDepth: 1 }).summary();
  assert.equal(s1, { trees: 5, nodes: 15, leaves: 10, depth: 1 });
  const s4 = fit(d, { task: 'classification', trees: 5, maxDepth: 4 }).summary();
  assert.ok(s4.depth === 4, `depth ${s4.depth}`);
  const f = fit(d, { task: 'classification', trees: 5, bootstrap: false });
  assert.ok(f.summary().depth > 4);
  // Grown to purity without bootstrap: every training row is predicted with certainty.
  assert.is(accuracy(f, d, 2), 1);
});

test('minSamplesLeaf: every leaf holds at least that many training rows (no bootstrap); minSamplesSplit stops growth', () => {
  const d = make(9, 600, 4, (x, o, rng) => (rng.float() < 0.2 ? 1 - xor(x, o) : xor(x, o)));
  for (const k of [1, 7, 25]) {
    const f = fit(d, { task: 'classification', trees: 3, bootstrap: false, minSamplesLeaf: k });
    let smallest = Number.POSITIVE_INFINITY;
    for (const t of trees(f)) {
      const counts = new Map<number, number>();
      for (let i = 0; i < d.rows; i++) {
        const leaf = t.leaf(row(d, i).x);
        counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
      }
      assert.is(counts.size, t.leaves, 'every leaf is reached by a training row');
      smallest = Math.min(smallest, ...counts.values());
    }
    assert.ok(smallest >= k, `minSamplesLeaf ${k}: a leaf with ${smallest} rows`);
    if (k === 1) assert.is(smallest, 1, 'noisy labels grown to purity leave single-row leaves');
  }
  const big = fit(d, { task: 'classification', trees: 3, bootstrap: false, minSamplesSplit: 100 }).summary();
  const full = fit(d, { task: 'classification', trees: 3, bootstrap: false }).summary();
  assert.ok(big.leaves < full.leaves / 4, `${big.leaves} vs ${full.leaves} leaves`);
});

/** The splits of the root and its children: deeper down, equally good splits (ties) are taken in the random feature order, as scikit-learn does. */
function top(t: ForestTree): number[] {
  const l = t.left[0]!,
    r = t.right[0]!;
  return [t.feature[0]!, t.threshold[0]!, t.feature[l]!, t.threshold[l]!, t.feature[r]!, t.threshold[r]!];
}

test('maxFeatures = inputs without bootstrap: every tree splits the same way; maxFeatures 1: roots split on several features', () => {
  const d = make(10, 500, 5, (x, o) => (x[o]! + x[o + 1]! + x[o + 2]! > 0 ? 1 : 0));
  const same = trees(fit(d, { task: 'classification', trees: 4, bootstrap: false, maxFeatures: 5 }));
  for (const t of same) assert.equal(top(t), top(same[0]!));
  const one = trees(fit(d, { task: 'classification', trees: 30, bootstrap: false, maxFeatures: 1 }));
  const roots = new Set(one.map((t) => t.feature[0]));
  assert.ok(roots.size >= 4, `root features ${[...roots]}`);
  // With all features and no bootstrap, the root always takes the best feature: one of the informative three.
  assert.ok(same[0]!.feature[0]! < 3);
});

test('bootstrap: trees differ with it, and without it (all features) they split alike', () => {
  const d = make(11, 500, 3, (x, o) => (x[o]! > 0.1 ? 1 : 0));
  const noisy = make(11, 500, 3, (x, o, rng) => (rng.float() < 0.2 ? 1 - xor(x, o) : xor(x, o)));
  const boot = trees(fit(noisy, { task: 'classification', trees: 3, maxFeatures: 3 }));
  assert.not.equal(boot[1]!.toJSON(), boot[0]!.toJSON());
  const none = trees(fit(d, { task: 'classification', trees: 3, maxFeatures: 3, bootstrap: false }));
  assert.equal(top(none[1]!), top(none[0]!));
  assert.is(none[0]!.feature[0], 0);
});

test('weight 2 on a row is the row twice (no bootstrap, all features, regression and classification)', () => {
  for (const task of ['classification', 'regression'] as const) {
    const d =
      task === 'classification'
        ? make(12, 200, 3, (x, o, rng) => (rng.float() < 0.3 ? 1 - xor(x, o) : xor(x, o)), -1, 1, 2)
        : make(12, 200, 3, (x, o, rng) => x[o]! * 3 + rng.normal(), -1, 1, 2);
    const w = new Float32Array(d.rows).fill(1);
    const dupX: number[] = Array.from(d.x),
      dupY: number[] = Array.from(d.y);
    for (let i = 0; i < d.rows; i += 3) {
      w[i] = 2;
      for (let j = 0; j < d.inputs; j++) dupX.push(d.x[i * d.inputs + j]!);
      dupY.push(d.y[i]!);
    }
    const dup: Data = { x: Float32Array.from(dupX), y: Float64Array.from(dupY), rows: dupY.length, inputs: d.inputs };
    // maxDepth rather than purity: leaves then mix rows, so the weights show in the predictions.
    const options = { task, trees: 3, bootstrap: false, maxFeatures: 3, maxDepth: 4 } as const;
    const a = predictAll(fit(d, options, w), d, task === 'classification' ? 2 : 1);
    const b = predictAll(fit(dup, options), d, task === 'classification' ? 2 : 1);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-9, `${task} ${i}: ${a[i]} vs ${b[i]}`);
    // And the weights matter: equal weights give another forest.
    const c = predictAll(fit(d, options), d, task === 'classification' ? 2 : 1);
    assert.not.equal(Array.from(c), Array.from(a));
  }
});

test('featureImportances: sum 1, the informative features above every noise feature', () => {
  const d = make(13, 1000, 6, (x, o) => (x[o]! + 0.5 * x[o + 1]! > 0 ? 1 : 0));
  const f = fit(d, { task: 'classification', trees: 20 });
  const imp = new Float64Array(6);
  f.featureImportances(imp);
  assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  const noise = Math.max(imp[2]!, imp[3]!, imp[4]!, imp[5]!);
  assert.ok(imp[0]! > imp[1]! && imp[1]! > noise, `importances ${Array.from(imp)}`);
  // Added into out, and kept through JSON.
  const twice = new Float64Array(6);
  f.featureImportances(twice);
  RandomForest.fromJSON(JSON.parse(JSON.stringify(f.toJSON()))).featureImportances(twice);
  for (let j = 0; j < 6; j++) assert.ok(Math.abs(twice[j]! - 2 * imp[j]!) < 1e-15);
});

function throwsNamed(fn: () => unknown, name: 'SpecError' | 'SchemaError', text: string): void {
  try {
    fn();
  } catch (e) {
    const err = e as Error;
    assert.is(err.name, name, err.message);
    assert.ok(err.message.includes(text), `message "${err.message}" should contain "${text}"`);
    return;
  }
  assert.unreachable(`expected a ${name} with "${text}"`);
}

test('bad options throw a SpecError naming the key', () => {
  const ok = { task: 'classification', classes: 2, inputs: 3 } as RandomForestOptions;
  const bad = (o: Record<string, unknown>, key: string) =>
    throwsNamed(() => new RandomForest({ ...ok, ...o } as RandomForestOptions), 'SpecError', `randomForest.${key}`);
  bad({ task: 'ranking' }, 'task');
  bad({ task: undefined }, 'task');
  bad({ classes: undefined }, 'classes');
  bad({ classes: 1 }, 'classes');
  bad({ task: 'regression' }, 'classes');
  bad({ inputs: 0 }, 'inputs');
  bad({ trees: 0 }, 'trees');
  bad({ maxFeatures: 4 }, 'maxFeatures');
  bad({ maxDepth: -1 }, 'maxDepth');
  bad({ minSamplesSplit: 1 }, 'minSamplesSplit');
  bad({ minSamplesLeaf: 0 }, 'minSamplesLeaf');
  bad({ bootstrap: 1 }, 'bootstrap');
  bad({ bins: 70000 }, 'bins');
  bad({ criterion: 'squaredError' }, 'criterion');
  bad({ seed: 1.5 }, 'seed');
  bad({ tress: 10 }, 'tress');
  throwsNamed(() => new RandomForest({ task: 'regression', inputs: 3, criterion: 'gini' }), 'SpecError', 'randomForest.criterion');
});

test('bad fit shapes and targets throw a SchemaError', () => {
  const f = new RandomForest({ task: 'classification', classes: 2, inputs: 3 });
  throwsNamed(() => f.fit(new Float32Array(5), 2, new Float64Array(2)), 'SchemaError', 'rows × inputs');
  throwsNamed(() => f.fit(new Float32Array(6), 2, new Float64Array(3)), 'SchemaError', 'y has 3 values');
  throwsNamed(() => f.fit(new Float32Array(6), 2, new Float64Array([0, 2])), 'SchemaError', 'y[1] = 2');
  throwsNamed(() => f.fit(new Float32Array(6), 2, new Float64Array([0, 1]), new Float32Array([1, -1])), 'SchemaError', 'weights[1]');
  throwsNamed(() => f.fit(new Float32Array(6), 2, new Float64Array([0, 1]), new Float32Array(3)), 'SchemaError', 'weights has 3');
  throwsNamed(() => f.fit(new Float32Array(0), 0, new Float64Array(0)), 'SchemaError', 'rows');
  const g = new RandomForest({ task: 'regression', inputs: 1 });
  throwsNamed(() => g.fit(new Float32Array(2), 2, new Float64Array([0, Number.NaN])), 'SchemaError', 'y[1]');
  assert.not.ok(f.fitted);
});

test.run();
