import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix, SpecError } from '../../src/core/index.js';
import { AgrawalGenerator, ConceptDriftGenerator, SEAGenerator } from '../../src/synth/index.js';
import { AdaptiveRandomForestClassifier } from '../../src/trees/AdaptiveRandomForestClassifier.js';
import { ArfWorkerPool } from '../../src/trees/ArfWorkerPool.js';
import { HoeffdingTreeClassifier } from '../../src/trees/HoeffdingTreeClassifier.js';
import { TreeRows } from '../../src/trees/TreeRows.js';
import { AGRAWAL_LEVELS, accuracy, generatorMatrix, sliceRows } from './arfStreams.js';

/** SEA θ = 7 (function 3) switching abruptly to θ = 9.5 (function 4) at row 10 000; 10 % label noise (so 0.9 is the best accuracy). */
function seaDrift(rows: number): FeatureMatrix {
  return generatorMatrix(
    new ConceptDriftGenerator(new SEAGenerator({ function: 3, seed: 1 }), new SEAGenerator({ function: 4, seed: 2 }), { position: 10_000, width: 1 }),
    rows,
  );
}

/** A single Hoeffding tree's prequential predictions (its ARF settings: grace 50, δ 0.01, adaptive leaves). */
function singleTree(m: FeatureMatrix, classes: number): Float32Array {
  const t = new HoeffdingTreeClassifier({ inputs: m.cols, classes, gracePeriod: 50, delta: 0.01, leaf: 'adaptive' });
  const rows = new TreeRows(m.cols),
    out = new Float32Array(m.rows * classes);
  for (let i = 0; i < m.rows; i++) {
    const r = rows.at(m, i);
    t.predictProba(r, out, i * classes);
    t.learn(r, m.targets![i]!);
  }
  return out;
}

/** The first index where a and b differ, or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** A dense matrix as CSR, its zeros left out. */
function toCsr(m: FeatureMatrix): FeatureMatrix {
  const c = m.cols,
    indptr = new Int32Array(m.rows + 1),
    idx: number[] = [],
    val: number[] = [];
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < c; j++)
      if (m.values[i * c + j] !== 0) {
        idx.push(j);
        val.push(m.values[i * c + j]!);
      }
    indptr[i + 1] = idx.length;
  }
  return FeatureMatrix.csr(m.rows, c, indptr, Int32Array.from(idx), Float32Array.from(val), { targets: m.targets, weights: m.weights });
}

/** Whether two forests hold the same trees, detectors and counts (their states but for the worker count), without printing megabytes when not. */
function sameTrees(a: AdaptiveRandomForestClassifier, b: AdaptiveRandomForestClassifier): boolean {
  const sa = a.toJSON(),
    sb = b.toJSON();
  return sa.seen === sb.seen && JSON.stringify(sa.members) === JSON.stringify(sb.members);
}

test('SEA with an abrupt drift at row 10k: prequential accuracy ≥ 0.86, ≥ 0.85 over the 5k rows after the change, 0.05 above a single tree there; drifts follow the change', () => {
  const m = seaDrift(15_000);
  const f = new AdaptiveRandomForestClassifier({ inputs: 3, classes: 2, seed: 7 });
  const out = new Float32Array(m.rows * 2);
  f.testThenTrain(sliceRows(m, 0, 10_000), out.subarray(0, 20_000));
  const before = f.summary();
  const rest = new Float32Array(5_000 * 2);
  f.testThenTrain(sliceRows(m, 10_000, 15_000), rest);
  out.set(rest, 20_000);
  const after = f.summary();
  const all = accuracy(out, m.targets!, 2),
    post = accuracy(out, m.targets!, 2, 10_000, 15_000);
  const tree = singleTree(m, 2);
  const treeAll = accuracy(tree, m.targets!, 2),
    treePost = accuracy(tree, m.targets!, 2, 10_000, 15_000);
  // Seed 7 here: 0.873 and 0.860; the single tree 0.829 and 0.765.
  assert.ok(all >= 0.86, `accuracy ${all}`);
  assert.ok(post >= 0.85, `accuracy after the change ${post}`);
  assert.ok(all > treeAll && post > treePost + 0.05, `ARF ${all} / ${post}, one tree ${treeAll} / ${treePost}`);
  assert.ok(after.drifts > before.drifts, `drifts ${before.drifts} → ${after.drifts}`);
  assert.ok(after.warnings > before.warnings, `warnings ${before.warnings} → ${after.warnings}`);
  assert.is(after.trees, 10);
  assert.ok(after.nodes >= after.leaves && after.leaves >= 10 && after.depth >= 1);
  assert.is(f.seen, 15_000);
});

test('Agrawal (function 1, categories one-hot: 40 columns): prequential accuracy ≥ 0.80 (random subspace of 7), ≥ 0.93 with every feature', () => {
  const m = generatorMatrix(new AgrawalGenerator({ function: 1, seed: 1 }), 10_000, AGRAWAL_LEVELS);
  assert.is(m.cols, 40);
  const out = new Float32Array(m.rows * 2);
  new AdaptiveRandomForestClassifier({ inputs: 40, classes: 2, seed: 3 }).testThenTrain(m, out);
  const sub = accuracy(out, m.targets!, 2);
  new AdaptiveRandomForestClassifier({ inputs: 40, classes: 2, seed: 3, maxFeatures: 0 }).testThenTrain(m, out);
  const all = accuracy(out, m.targets!, 2);
  assert.ok(sub >= 0.8, `m = 7: ${sub}`);
  assert.ok(all >= 0.93, `all features: ${all}`);
});

test('testThenTrain = predictProba + learn row by row; weights: 0 learns nothing, unlabelled rows are only predicted', () => {
  const m = seaDrift(2_000);
  const a = new AdaptiveRandomForestClassifier({ inputs: 3, classes: 2, seed: 5 }),
    b = new AdaptiveRandomForestClassifier({ inputs: 3, classes: 2, seed: 5 });
  const out = new Float32Array(m.rows * 2);
  a.testThenTrain(m, out);
  const rows = new TreeRows(3),
    p = new Float32Array(2);
  for (let i = 0; i < m.rows; i++) {
    const r = rows.at(m, i);
    b.predictProba(r, p);
    assert.is(p[0], out[2 * i]);
    assert.is(p[1], out[2 * i + 1]);
    b.learn(r, m.targets![i]!);
  }
  assert.ok(sameTrees(a, b));
  const targets = m.targets!.slice(0, 100);
  targets[3] = NaN;
  const weights = new Float32Array(100).fill(1);
  weights[5] = 0;
  const c = new AdaptiveRandomForestClassifier({ inputs: 3, classes: 2, seed: 5 });
  c.testThenTrain(FeatureMatrix.dense(100, 3, m.values.slice(0, 300), { targets, weights }), new Float32Array(200));
  assert.is(c.seen, 98);
});

test('serial and parallel (2 workers) give identical predictions and state; toJSON reads the workers; close() ends them', async () => {
  const m = seaDrift(12_000);
  // Workers other suites of this process may have left running.
  const live0 = ArfWorkerPool.live;
  const serial = new AdaptiveRandomForestClassifier({ inputs: 3, classes: 2, seed: 11, trees: 6 }),
    par = new AdaptiveRandomForestClassifier({ inputs: 3, classes: 2, seed: 11, trees: 6, workers: 2 });
  const a = new Float32Array(2_000 * 2),
    b = new Float32Array(2_000 * 2);
  // Rows 8k..12k: the change at 10k brings warnings and drifts into the batches.
  serial.testThenTrain(sliceRows(m, 0, 8_000), new Float32Array(16_000));
  await par.testThenTrainParallel(sliceRows(m, 0, 8_000), new Float32Array(16_000));
  for (let k = 4; k < 6; k++) {
    const batch = sliceRows(m, k * 2_000, (k + 1) * 2_000);
    serial.testThenTrain(batch, a);
    await par.testThenTrainParallel(batch, b);
    assert.is(ArfWorkerPool.live, live0 + 2);
    assert.is(firstDifference(b, a), -1, `batch ${k}`);
  }
  assert.equal(par.summary(), serial.summary());
  assert.ok(serial.summary().drifts > 0);
  // Synchronous snapshot of the trees on the workers.
  assert.ok(sameTrees(par, serial));
  // A row-by-row call takes the trees back; both go on alike.
  const rows = new TreeRows(3);
  const pa = new Float64Array(2),
    pb = new Float64Array(2);
  const r = rows.at(m, 17);
  serial.predictProba(r, pa);
  par.predictProba(r, pb);
  assert.equal(Array.from(pb), Array.from(pa));
  await par.testThenTrainParallel(sliceRows(m, 0, 2_000), b);
  serial.testThenTrain(sliceRows(m, 0, 2_000), a);
  assert.is(firstDifference(b, a), -1);
  // CSR rows with weights (0, 0.5, 2, and unlabelled rows) cross to the workers too.
  const w = sliceRows(m, 2_000, 4_000),
    weights = Float32Array.from({ length: 2_000 }, (_, i) => [0, 0.5, 1, 2][i % 4]!),
    targets = w.targets!.map((y, i) => (i % 7 === 3 ? NaN : y));
  const csr = toCsr(FeatureMatrix.dense(2_000, 3, w.values, { targets, weights }));
  await par.testThenTrainParallel(csr, b);
  serial.testThenTrain(csr, a);
  assert.is(firstDifference(b, a), -1);
  assert.is(par.seen, serial.seen);
  await par.close();
  assert.is(ArfWorkerPool.live, live0);
  assert.ok(sameTrees(par, serial));
});

test('JSON round trip continues identically', () => {
  const m = generatorMatrix(
    new ConceptDriftGenerator(new SEAGenerator({ function: 3, seed: 1 }), new SEAGenerator({ function: 4, seed: 2 }), { position: 2_000, width: 1 }),
    5_000,
  );
  const a = new AdaptiveRandomForestClassifier({ inputs: 3, classes: 2, seed: 2, weightedVote: false, trees: 5 });
  a.testThenTrain(sliceRows(m, 0, 3_000), new Float32Array(6_000));
  const b = AdaptiveRandomForestClassifier.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  assert.is(b.seen, 3_000);
  const oa = new Float32Array(4_000),
    ob = new Float32Array(4_000);
  a.testThenTrain(sliceRows(m, 3_000, 5_000), oa);
  b.testThenTrain(sliceRows(m, 3_000, 5_000), ob);
  assert.is(firstDifference(ob, oa), -1);
  assert.ok(sameTrees(a, b));
});

test('summary, feature importances (SEA: attrib3 is irrelevant) and CSR input', () => {
  const m = generatorMatrix(new SEAGenerator({ seed: 4 }), 3_000);
  const f = new AdaptiveRandomForestClassifier({ inputs: 3, classes: 2, seed: 1, maxFeatures: 0 });
  f.testThenTrain(m, new Float32Array(6_000));
  const imp = new Float64Array(3);
  f.featureImportances(imp);
  assert.ok(Math.abs(imp[0]! + imp[1]! + imp[2]! - 1) < 1e-9, `sum ${imp}`);
  assert.ok(imp[2]! < imp[0]! && imp[2]! < imp[1]!, `importances ${imp}`);
  // The same rows as CSR (zeros left out) give the same forest.
  const csr = toCsr(m);
  const g = new AdaptiveRandomForestClassifier({ inputs: 3, classes: 2, seed: 1, maxFeatures: 0 });
  g.testThenTrain(csr, new Float32Array(6_000));
  assert.equal(g.summary(), f.summary());
});

test('bad options throw SpecError naming the key; bad labels throw before anything is learnt', () => {
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ classes: 2 }, 'arf.inputs'],
    [{ inputs: 3 }, 'arf.classes'],
    [{ inputs: 3, classes: 2, trees: 0 }, 'arf.trees'],
    [{ inputs: 3, classes: 2, maxFeatures: -1 }, 'arf.maxFeatures'],
    [{ inputs: 3, classes: 2, lambda: 0 }, 'arf.lambda'],
    [{ inputs: 3, classes: 2, gracePeriod: 0 }, 'arf.gracePeriod'],
    [{ inputs: 3, classes: 2, delta: 1 }, 'arf.delta'],
    [{ inputs: 3, classes: 2, tau: -0.1 }, 'arf.tau'],
    [{ inputs: 3, classes: 2, warningDelta: 0 }, 'arf.warningDelta'],
    [{ inputs: 3, classes: 2, driftDelta: 2 }, 'arf.driftDelta'],
    [{ inputs: 3, classes: 2, weightedVote: 1 }, 'arf.weightedVote'],
    [{ inputs: 3, classes: 2, seed: 1.5 }, 'arf.seed'],
    [{ inputs: 3, classes: 2, workers: -1 }, 'arf.workers'],
    [{ inputs: 3, classes: 2, tree: 5 }, 'arf.tree'],
    [{ inputs: 3, classes: 2, leaf: 'mean' }, 'arf.leaf'],
    [{ inputs: 3, classes: 2, criterion: 'entropy' }, 'arf.criterion'],
    [{ inputs: 3, classes: 2, maxLeaves: -1 }, 'arf.maxLeaves'],
    [{ inputs: 3, classes: 2, maxDepth: 0.5 }, 'arf.maxDepth'],
  ];
  for (const [o, key] of bad)
    assert.throws(
      () => new AdaptiveRandomForestClassifier(o as never),
      (e: unknown) => e instanceof SpecError && (e as Error).message.includes(key),
      key,
    );
  // Tree options reach the trees: depth-1 majority-class stumps.
  const stumps = new AdaptiveRandomForestClassifier({ inputs: 3, classes: 2, leaf: 'majority', criterion: 'gini', maxDepth: 1, trees: 3 });
  stumps.testThenTrain(generatorMatrix(new SEAGenerator({ seed: 2 }), 2_000), new Float32Array(4_000));
  assert.is(stumps.summary().depth, 1);
  const f = new AdaptiveRandomForestClassifier({ inputs: 3, classes: 2 });
  const m = FeatureMatrix.dense(2, 3, new Float32Array(6), { targets: Float32Array.of(1, 2) });
  assert.throws(() => f.testThenTrain(m, new Float32Array(4)), /row 1/);
  assert.is(f.seen, 0);
});

test.run();
