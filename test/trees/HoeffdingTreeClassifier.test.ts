import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, SpecError } from '../../src/core/index.js';
import { HoeffdingTreeClassifier, type HoeffdingTreeClassifierOptions, type HoeffdingTreeClassifierState, type TreeRow } from '../../src/trees/index.js';
import { AGRAWAL_INPUTS, agrawal, prequential, type Stream, sea } from './classifierStreams.js';

type Node = HoeffdingTreeClassifierState['root'];

function nodes(n: Node, out: Node[] = []): Node[] {
  out.push(n);
  if (n.left) nodes(n.left, out);
  if (n.right) nodes(n.right, out);
  return out;
}

function fit(s: Stream, options: Partial<HoeffdingTreeClassifierOptions> = {}, w = 1): HoeffdingTreeClassifier {
  const t = new HoeffdingTreeClassifier({ classes: 2, inputs: s.inputs, ...options });
  for (let i = 0; i < s.rows.length; i++) t.learn(s.rows[i]!, s.ys[i]!, w);
  return t;
}

function probas(t: HoeffdingTreeClassifier, rows: TreeRow[], classes = 2): Float64Array {
  const out = new Float64Array(rows.length * classes);
  rows.forEach((r, i) => t.predictProba(r, out, i * classes));
  return out;
}

test('SEA (function 1, 10% noise), 20k rows test-then-train: accuracy in [0.85, 0.905]', () => {
  // Published VFDT figures on SEA with 10% noise are about 0.86–0.89 (the noise caps any learner
  // at 0.90); this seed measures 0.864 over the first 20k rows, learning phase included (seeds 1–5:
  // 0.862–0.870).
  const t = new HoeffdingTreeClassifier({ classes: 2, inputs: 3 });
  const { accuracy } = prequential(t, sea(20_000), 2);
  assert.ok(accuracy >= 0.85 && accuracy <= 0.905, `accuracy ${accuracy}`);
  const s = t.summary();
  assert.ok(s.leaves > 1 && s.splits === s.leaves - 1 && s.nodes === 2 * s.leaves - 1, JSON.stringify(s));
  // The splits are on the two relevant features, not on attrib3.
  const imp = new Float64Array(3);
  t.featureImportances(imp);
  assert.ok(imp[0]! > 10 * imp[2]! && imp[1]! > 10 * imp[2]!, `importances ${Array.from(imp)}`);
});

test('Agrawal function 1 (one-hot categories), 20k rows test-then-train: accuracy ≥ 0.88, and the tree splits', () => {
  // MOA's HT reaches about 0.95 on Agrawal concepts over long streams; over the first 20k rows,
  // learning phase included, seeds 1–5 measure 0.896–0.929 (0.925 for this one).
  const s = agrawal(20_000);
  const t = new HoeffdingTreeClassifier({ classes: 2, inputs: AGRAWAL_INPUTS });
  const before = probas(t, s.rows.slice(0, 200));
  assert.ok(
    before.every((p) => p === 0.5),
    'uniform before any row',
  );
  const { accuracy } = prequential(t, s, 2);
  assert.ok(accuracy >= 0.88, `accuracy ${accuracy}`);
  assert.ok(t.summary().leaves > 1);
  const after = probas(t, s.rows.slice(0, 200));
  assert.ok(after.some((p) => p > 0.9) && after.some((p) => p < 0.1), 'predictions change with the row');
  // Function 1 is a rule on age alone (feature 2).
  const imp = new Float64Array(AGRAWAL_INPUTS);
  t.featureImportances(imp);
  assert.is(imp.indexOf(Math.max(...imp)), 2);
  assert.is(t.seen, 20_000);
});

test('criterion gini and the three leaf predictors learn SEA; naive Bayes and adaptive leaves beat majority leaves', () => {
  const s = sea(20_000);
  const acc = (o: Partial<HoeffdingTreeClassifierOptions>) => prequential(new HoeffdingTreeClassifier({ classes: 2, inputs: 3, ...o }), s, 2).accuracy;
  const gini = acc({ criterion: 'gini' }),
    mc = acc({ leaf: 'majority' }),
    nb = acc({ leaf: 'naiveBayes' }),
    ada = acc({ leaf: 'adaptive' });
  assert.ok(gini >= 0.85, `gini ${gini}`);
  assert.ok(mc >= 0.75, `majority ${mc}`);
  assert.ok(nb > mc + 0.05 && ada > mc + 0.05, `majority ${mc}, naive Bayes ${nb}, adaptive ${ada}`);
});

test('probabilities sum to 1 and land at out[at..at+classes) of a Float32Array too', () => {
  const s = agrawal(3000);
  const t = fit(s);
  const out = new Float32Array(7).fill(-1);
  t.predictProba(s.rows[5]!, out, 3);
  assert.equal(Array.from(out.subarray(0, 3)), [-1, -1, -1]);
  assert.is(out[5], -1);
  assert.ok(Math.abs(out[3]! + out[4]! - 1) < 1e-6);
  // Three classes, before and after learning.
  const t3 = new HoeffdingTreeClassifier({ classes: 3, inputs: 3 });
  const p = new Float64Array(3);
  t3.predictProba(s.rows[0]!, p);
  assert.equal(Array.from(p), [1 / 3, 1 / 3, 1 / 3]);
  const s3 = sea(3000);
  for (let i = 0; i < 3000; i++) t3.learn(s3.rows[i]!, (s3.rows[i]!.x[0]! / 3.34) | 0);
  for (let i = 0; i < 50; i++) {
    t3.predictProba(s3.rows[i]!, p);
    assert.ok(Math.abs(p[0]! + p[1]! + p[2]! - 1) < 1e-12);
  }
  assert.ok(t3.summary().leaves >= 3);
});

test('gracePeriod: a leaf attempts a split only each time it has learned that much weight', () => {
  // τ = 1 exceeds ε from n = 9 on, so the first attempt splits: the first split lands on the grace period.
  const s = sea(3000);
  for (const gracePeriod of [50, 300, 1000]) {
    const t = new HoeffdingTreeClassifier({ classes: 2, inputs: 3, gracePeriod, tau: 1 });
    let first = -1;
    for (let i = 0; i < s.rows.length && first < 0; i++) {
      t.learn(s.rows[i]!, s.ys[i]!);
      if (t.summary().splits > 0) first = i + 1;
    }
    assert.is(first, gracePeriod);
  }
  // With the default τ, root splits still happen only at multiples of the grace period.
  const t = new HoeffdingTreeClassifier({ classes: 2, inputs: 3, gracePeriod: 70 });
  const long = sea(8000);
  let first = -1;
  for (let i = 0; i < long.rows.length && first < 0; i++) {
    t.learn(long.rows[i]!, long.ys[i]!);
    if (t.summary().splits > 0) first = i + 1;
  }
  assert.ok(first > 0 && first % 70 === 0, `first split at ${first}`);
});

test('delta and tau: a looser confidence or a larger tie threshold splits sooner and more', () => {
  const s = sea(10_000);
  const strict = fit(s, { delta: 1e-12, tau: 0 }).summary().splits,
    base = fit(s).summary().splits,
    loose = fit(s, { delta: 0.01 }).summary().splits,
    ties = fit(s, { tau: 0.5 }).summary().splits;
  assert.ok(strict < base && base < loose, `splits: delta 1e-12 ${strict}, default ${base}, delta 0.01 ${loose}`);
  // With τ above every ε every attempt splits on its best candidate.
  assert.ok(ties > loose, `tau 0.5: ${ties} splits`);
});

test('maxDepth bounds the depth; maxLeaves bounds the learning leaves, keeping the most promising', () => {
  const s = agrawal(20_000, 2);
  const free = fit(s).summary();
  assert.ok(free.depth > 2 && free.leaves > 6, JSON.stringify(free));
  const d1 = fit(s, { maxDepth: 1 }).summary();
  assert.is(d1.depth, 1);
  assert.is(d1.leaves, 2);
  // Right after each split the limit was enforced: the active leaves are the 4 of highest promise
  // (weight counted minus that of the majority class, MOA's), the others only count classes.
  const limited = new HoeffdingTreeClassifier({ classes: 2, inputs: s.inputs, maxLeaves: 4 });
  const promise = (n: Node) => n.dist.reduce((a, b) => a + b, 0) - Math.max(...n.dist);
  let checks = 0;
  for (let i = 0; i < s.rows.length; i++) {
    const before = limited.summary().splits;
    limited.learn(s.rows[i]!, s.ys[i]!);
    if (limited.summary().splits === before) continue;
    const leaves = nodes(limited.toJSON().root).filter((n) => n.feature === undefined);
    const active = leaves.filter((n) => n.stats).map(promise),
      idle = leaves.filter((n) => !n.stats).map(promise);
    assert.is(active.length, Math.min(4, leaves.length));
    if (idle.length > 0) {
      checks++;
      assert.ok(Math.min(...active) >= Math.max(...idle), `active ${active}, inactive ${idle}`);
    }
  }
  const sum = limited.summary();
  assert.ok(checks > 0 && sum.activeLeaves <= 4 && sum.leaves > 4, JSON.stringify(sum));
});

test('maxFeatures: each leaf draws that many features and splits only on one of them', () => {
  const s = agrawal(20_000);
  const t = fit(s, { maxFeatures: 1, seed: 5 });
  const all = nodes(t.toJSON().root);
  const splits = all.filter((n) => n.feature !== undefined);
  assert.ok(splits.length > 0);
  for (const n of all) assert.is(n.subset?.length, 1);
  for (const n of splits) assert.equal(n.subset, [n.feature]);
  const t3 = fit(s, { maxFeatures: 3, seed: 5 });
  for (const n of nodes(t3.toJSON().root)) {
    assert.is(new Set(n.subset).size, 3);
    if (n.feature !== undefined) assert.ok(n.subset!.includes(n.feature));
  }
  // Different seeds draw different subsets; all features (0) draws none.
  const sub = (seed: number) => JSON.stringify(fit(agrawal(10), { maxFeatures: 3, seed }).toJSON().root.subset);
  assert.is.not(sub(1), sub(2));
  assert.is(fit(agrawal(10)).toJSON().root.subset, undefined);
});

test('maxFeatures draws from the features the tree has seen non-zero, not from columns that are always 0', () => {
  // 53 inputs as the quick path lays out 2 numbers and a category of 3 values with room for 50: only 0..4 are ever non-zero.
  const inputs = 53,
    r = new Rng(4);
  const x = new Float64Array(inputs),
    nz = Int32Array.from({ length: inputs }, (_, j) => j);
  const row: TreeRow = { x, nz, n: inputs };
  const t = new HoeffdingTreeClassifier({ classes: 2, inputs, maxFeatures: 8, gracePeriod: 50, delta: 0.01 });
  const u = new HoeffdingTreeClassifier({ classes: 2, inputs, maxFeatures: 3, gracePeriod: 50, delta: 0.01, seed: 9 });
  for (let i = 0; i < 3000; i++) {
    x.fill(0);
    x[0] = r.float();
    x[1] = r.float();
    x[2 + (i % 3)] = 1;
    t.learn(row, x[0]! > 0.2 ? 1 : 0);
    u.learn(row, x[0]! > 0.2 ? 1 : 0);
  }
  const root = t.toJSON().root as { feature?: number; subset?: number[] };
  // 5 features in use, fewer than 8: every leaf may use them all, and the root splits on x0.
  assert.is(root.subset, undefined);
  assert.is(root.feature, 0);
  assert.equal(t.toJSON().pool, [0, 1, 2, 3, 4]);
  // 3 of the 5: every subset lies within them.
  for (const n of nodes(u.toJSON().root)) for (const f of n.subset ?? []) assert.ok(f <= 4, `drew ${f}`);
  assert.equal(HoeffdingTreeClassifier.fromJSON(JSON.parse(JSON.stringify(u.toJSON()))).toJSON(), u.toJSON());
});

test('weighted learn: w = 2 matches learning the row twice; w = 0 learns nothing', () => {
  const s = sea(4000);
  for (const leaf of ['majority', 'naiveBayes'] as const) {
    const twice = new HoeffdingTreeClassifier({ classes: 2, inputs: 3, leaf });
    const weighted = fit(s, { leaf }, 2);
    for (let i = 0; i < s.rows.length; i++) {
      twice.learn(s.rows[i]!, s.ys[i]!);
      twice.learn(s.rows[i]!, s.ys[i]!);
    }
    assert.equal(weighted.summary(), twice.summary());
    assert.is(weighted.seen, 8000);
    const a = probas(weighted, s.rows.slice(0, 500)),
      b = probas(twice, s.rows.slice(0, 500));
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-9, `${leaf} row ${i >> 1}: ${a[i]} vs ${b[i]}`);
  }
  const t = fit(s);
  const before = JSON.stringify(t.toJSON());
  for (let i = 0; i < 500; i++) t.learn(s.rows[i]!, s.ys[i]!, 0);
  assert.ok(JSON.stringify(t.toJSON()) === before, 'w = 0 changed the state');
});

test('implicit zeros: a dense row with explicit zeros and the same row given sparsely grow identical trees', () => {
  const dense = agrawal(20_000, 2, 3),
    sparse = agrawal(20_000, 2, 3, true),
    shuffled = agrawal(20_000, 2, 3, true, true);
  assert.ok(sparse.rows[0]!.n < 12 && dense.rows[0]!.n === AGRAWAL_INPUTS);
  const a = fit(dense),
    b = fit(sparse),
    c = fit(shuffled);
  assert.ok(a.summary().splits > 3);
  // Non-zeros in index order: the same state to the bit.
  assert.ok(JSON.stringify(a.toJSON()) === JSON.stringify(b.toJSON()), 'dense and sparse states differ');
  assert.equal(probas(a, dense.rows.slice(0, 300)), probas(b, sparse.rows.slice(0, 300)));
  // In any order: the same tree (the observers' slots are in a different order, so sums may differ in the last bit).
  const shape = (n: Node): unknown => (n.feature === undefined ? n.dist : [n.feature, n.threshold, n.dist, shape(n.left!), shape(n.right!)]);
  assert.equal(shape(c.toJSON().root), shape(a.toJSON().root));
  const pa = probas(a, dense.rows.slice(0, 300)),
    pc = probas(c, shuffled.rows.slice(0, 300));
  for (let i = 0; i < pa.length; i++) assert.ok(Math.abs(pa[i]! - pc[i]!) < 1e-9);
});

test('sparse: 2^18 hashed columns, ~10 non-zeros a row: learns the signal; memory follows what the leaves saw', () => {
  const D = 1 << 18,
    rng = new Rng(9);
  // One reused row, as TreeRows gives them: x cleared through the previous row's nz.
  const row: TreeRow = { x: new Float64Array(D), nz: new Int32Array(10), n: 10 };
  const t = new HoeffdingTreeClassifier({ classes: 2, inputs: D });
  const p = new Float64Array(2);
  let ok = 0;
  for (let i = 0; i < 8000; i++) {
    for (let k = 0; k < row.n; k++) row.x[row.nz[k]!] = 0;
    const y = rng.int(2);
    // Feature 12345 carries the class (noisy), 9 hashed ones are noise.
    row.x[12345] = (y === 1 ? 1 : -1) + rng.normal(0, 0.6);
    row.nz[0] = 12345;
    for (let k = 1; k < 10; k++) {
      let f = rng.int(D);
      while (row.x[f] !== 0) f = rng.int(D);
      row.x[f] = rng.bernoulli(0.5) ? 1 : -1;
      row.nz[k] = f;
    }
    t.predictProba(row, p);
    if (i >= 4000 && (p[1]! > p[0]! ? 1 : 0) === y) ok++;
    t.learn(row, y);
  }
  // Bayes rate of the signal: P(N(0, 0.6) > −1) ≈ 0.952.
  const accuracy = ok / 4000;
  assert.ok(accuracy >= 0.9, `accuracy over rows 4000..8000: ${accuracy}`);
  const state = t.toJSON();
  assert.is(state.root.feature, 12345);
  let slots = 0,
    weight = 0;
  for (const n of nodes(state.root)) {
    slots += n.stats?.features.length ?? 0;
    weight += n.stats?.weight ?? 0;
  }
  // A leaf has statistics for the features it saw since it was created: at most 10 a row.
  assert.ok(slots > 0 && slots <= 10 * weight, `slots ${slots} for ${weight} rows`);
  assert.ok(JSON.stringify(state).length < 200 * 10 * weight, 'state size proportional to the rows the leaves saw');
});

test('JSON round trip: a restored tree continues exactly as the original', () => {
  const s = agrawal(12_000, 3);
  for (const o of [{}, { maxFeatures: 5, maxLeaves: 3, seed: 7 }, { leaf: 'naiveBayes', criterion: 'gini', gracePeriod: 100 }] as const) {
    const a = new HoeffdingTreeClassifier({ classes: 2, inputs: AGRAWAL_INPUTS, ...o });
    for (let i = 0; i < 6000; i++) a.learn(s.rows[i]!, s.ys[i]!);
    const text = JSON.stringify(a.toJSON());
    const b = HoeffdingTreeClassifier.fromJSON(JSON.parse(text));
    assert.ok(JSON.stringify(b.toJSON()) === text, 'restored state differs');
    for (let i = 6000; i < 12_000; i++) {
      a.learn(s.rows[i]!, s.ys[i]!);
      b.learn(s.rows[i]!, s.ys[i]!);
    }
    assert.ok(a.summary().splits >= 2, `${JSON.stringify(o)}: ${JSON.stringify(a.summary())}`);
    assert.ok(JSON.stringify(b.toJSON()) === JSON.stringify(a.toJSON()), 'states differ after learning on');
    assert.equal(probas(b, s.rows.slice(0, 500)), probas(a, s.rows.slice(0, 500)));
    assert.equal(b.options(), a.options());
  }
  assert.throws(() => HoeffdingTreeClassifier.fromJSON({ kind: 'other' } as unknown as HoeffdingTreeClassifierState), /kind/);
});

test('bad options throw a SpecError naming the key; bad labels and weights throw', () => {
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ inputs: 3 }, 'classes'],
    [{ classes: 1, inputs: 3 }, 'classes'],
    [{ classes: 2 }, 'inputs'],
    [{ classes: 2, inputs: 0 }, 'inputs'],
    [{ classes: 2, inputs: 3, gracePeriod: 0 }, 'gracePeriod'],
    [{ classes: 2, inputs: 3, delta: 1 }, 'delta'],
    [{ classes: 2, inputs: 3, tau: -0.1 }, 'tau'],
    [{ classes: 2, inputs: 3, criterion: 'entropy' }, 'criterion'],
    [{ classes: 2, inputs: 3, leaf: 'nb' }, 'leaf'],
    [{ classes: 2, inputs: 3, bins: 0 }, 'bins'],
    [{ classes: 2, inputs: 3, maxDepth: -1 }, 'maxDepth'],
    [{ classes: 2, inputs: 3, maxLeaves: 1.5 }, 'maxLeaves'],
    [{ classes: 2, inputs: 3, maxFeatures: 4 }, 'maxFeatures'],
    [{ classes: 2, inputs: 3, seed: 'x' }, 'seed'],
    [{ classes: 2, inputs: 3, grace: 10 }, 'grace'],
  ];
  for (const [o, key] of bad) {
    try {
      new HoeffdingTreeClassifier(o as unknown as HoeffdingTreeClassifierOptions);
      assert.unreachable(`${JSON.stringify(o)} was accepted`);
    } catch (e) {
      assert.instance(e, SpecError);
      assert.is((e as SpecError).path, `hoeffdingTree.${key}`);
    }
  }
  const t = new HoeffdingTreeClassifier({ classes: 2, inputs: 3 });
  const row = sea(1).rows[0]!;
  assert.throws(() => t.learn(row, 2), /label/);
  assert.throws(() => t.learn(row, 0.5), /label/);
  assert.throws(() => t.learn(row, 1, -1), /weight/);
  assert.throws(() => t.learn(row, 1, Number.NaN), /weight/);
});

test.run();
