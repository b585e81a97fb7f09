import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generatorFromJSON, RandomRBFGenerator } from '../../src/synth/index.js';
import { nums, snapshot, tolerance } from './util.js';

const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));

test('schema and a model of centroids inside the unit cube', () => {
  const g = new RandomRBFGenerator({ numClasses: 4, numAttributes: 3, numCentroids: 20 });
  assert.equal(g.schema.names, ['att1', 'att2', 'att3', 'class']);
  assert.is(g.numClasses, 4);
  for (let i = 0; i < 20; i++) {
    const c = g.centroid(i);
    assert.ok(c.label >= 0 && c.label < 4 && c.spread >= 0 && c.spread < 1 && c.weight >= 0 && c.weight < 1);
    for (const v of c.centre) assert.ok(v >= 0 && v < 1);
  }
});

test('one centroid: every row has its class, scattered around its centre with distance ~ |N(0, spread)|', () => {
  const g = new RandomRBFGenerator({ numAttributes: 4, numCentroids: 1, seed: 6 });
  const { centre, label, spread } = g.centroid(0);
  const b = g.next(20_000);
  const y = nums(b, 'class');
  const cols = [1, 2, 3, 4].map((j) => nums(b, `att${j}`));
  let sq = 0;
  const mean = [0, 0, 0, 0];
  for (let i = 0; i < b.length; i++) {
    assert.is(y[i], label);
    const x = cols.map((c) => c[i]!);
    sq += dist(x, centre) ** 2;
    x.forEach((v, j) => {
      mean[j]! += v / b.length;
    });
  }
  // E[d²] = spread² for d ~ N(0, spread); the directions are symmetric, so the mean is the centre.
  const msd = sq / b.length;
  assert.ok(Math.abs(msd - spread ** 2) < 0.05 * spread ** 2, `mean squared distance ${msd} vs ${spread ** 2}`);
  mean.forEach((m, j) => assert.ok(Math.abs(m - centre[j]!) < 0.02 * Math.max(spread, 0.05), `mean ${m} vs centre ${centre[j]}`));
});

test('class shares follow the centroid weights', () => {
  const g = new RandomRBFGenerator({ numClasses: 3, numAttributes: 2, numCentroids: 10, seed: 8 });
  const share = [0, 0, 0];
  let total = 0;
  for (let i = 0; i < 10; i++) {
    const c = g.centroid(i);
    share[c.label]! += c.weight;
    total += c.weight;
  }
  const b = g.next(30_000);
  const counts = [0, 0, 0];
  for (const y of nums(b, 'class')) counts[y]!++;
  for (let k = 0; k < 3; k++) {
    const p = share[k]! / total;
    assert.ok(Math.abs(counts[k]! / b.length - p) < tolerance(p, b.length), `class ${k}: ${counts[k]! / b.length} vs ${p}`);
  }
});

test('without speedChange the centroids stay put', () => {
  const g = new RandomRBFGenerator({ numCentroids: 5, seed: 2 });
  const before = g.centre(0);
  g.next(2000);
  assert.equal(Array.from(g.centre(0)), Array.from(before));
});

test('moving centroids: the first numDriftCentroids move by speedChange per row and stay in the cube', () => {
  const speed = 0.0002,
    rows = 5000;
  const g = new RandomRBFGenerator({ numAttributes: 3, numCentroids: 5, numDriftCentroids: 2, speedChange: speed, seed: 3 });
  const before = [0, 1, 2, 3, 4].map((i) => g.centre(i));
  g.next(rows);
  for (let i = 0; i < 5; i++) {
    const after = g.centre(i);
    for (const v of after) assert.ok(v >= 0 && v <= 1);
    const moved = dist(after, before[i]!);
    if (i < 2) assert.ok(moved > 0.5 * rows * speed && moved <= rows * speed + 1e-9, `centroid ${i} moved ${moved}`);
    else assert.is(moved, 0, `centroid ${i} should not move`);
  }
});

test('centroids bounce off the walls', () => {
  const g = new RandomRBFGenerator({ numAttributes: 2, numCentroids: 1, speedChange: 0.05, seed: 4 });
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < 400; i++) {
    g.next(1);
    for (const v of g.centre(0)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  // 400 steps of 0.05 cover the cube several times: both walls are reached, never crossed.
  assert.is(lo, 0);
  assert.is(hi, 1);
});

test('determinism (seed and modelSeed) and JSON round trip while drifting', () => {
  const opts = { numAttributes: 5, numCentroids: 8, speedChange: 0.001, seed: 10 };
  assert.is(snapshot(new RandomRBFGenerator(opts).next(200)), snapshot(new RandomRBFGenerator(opts).next(200)));
  const same = new RandomRBFGenerator({ ...opts, seed: 11, modelSeed: 10 }),
    other = new RandomRBFGenerator({ ...opts, seed: 11 });
  assert.equal(Array.from(same.centre(3)), Array.from(new RandomRBFGenerator(opts).centre(3)));
  assert.not.equal(Array.from(other.centre(3)), Array.from(same.centre(3)));
  const g = new RandomRBFGenerator(opts);
  g.next(3333);
  const r = generatorFromJSON(JSON.parse(JSON.stringify(g.toJSON()))) as RandomRBFGenerator;
  assert.equal(Array.from(r.centre(0)), Array.from(g.centre(0)));
  assert.is(snapshot(r.next(1000)), snapshot(g.next(1000)));
  assert.equal(Array.from(r.centre(7)), Array.from(g.centre(7)));
});

test.run();
