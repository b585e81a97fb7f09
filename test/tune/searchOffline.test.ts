import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix, Rng, SchemaError, SpecError } from '../../src/core/index.js';
import { takeRows } from '../../src/evaluate/index.js';
import { createModel, type ModelOptions } from '../../src/learn/index.js';
import { type OfflineSearchResult, searchOffline } from '../../src/tune/index.js';

/** y = 3 + 2·x0 − x1 + noise: a tiny rate barely moves off zero in one epoch (r2 < 0), a fair one fits (r2 > 0.9). */
function regression(seed: number, rows: number): FeatureMatrix {
  const rng = new Rng(seed),
    v = new Float32Array(rows * 3),
    t = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 3; j++) v[i * 3 + j] = rng.normal();
    t[i] = 3 + 2 * v[i * 3]! - v[i * 3 + 1]! + 0.1 * rng.normal();
  }
  return FeatureMatrix.dense(rows, 3, v, { targets: t });
}

/** P(y=1) = σ(2·x0 − 2·x1). */
function binary(seed: number, rows: number): FeatureMatrix {
  const rng = new Rng(seed),
    v = new Float32Array(rows * 2),
    t = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    v[i * 2] = rng.normal();
    v[i * 2 + 1] = rng.normal();
    t[i] = rng.float() < 1 / (1 + Math.exp(-(2 * v[i * 2]! - 2 * v[i * 2 + 1]!))) ? 1 : 0;
  }
  return FeatureMatrix.dense(rows, 2, v, { targets: t });
}

const LINEAR: ModelOptions = { kind: 'linear', optimizer: 'sgd', batchSize: 8, backend: 'cpu', seed: 3 };
const RATES = { kind: 'linear', optimizer: 'sgd', lr: { logUniform: [1e-6, 0.3] } };
/** A choice whose first value (candidate #0's) is the tiny one, so the first drawn is the worst, not the default. */
const CHOICES = { kind: 'linear', optimizer: 'sgd', lr: [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.05, 0.2] };

const strip = (r: OfflineSearchResult) => ({ ...r, elapsedSeconds: 0 });

test('random and halving both pick a candidate that fits; the field has ones that do not', async () => {
  const x = regression(11, 600);
  const random = await searchOffline(x, { base: LINEAR, space: CHOICES, method: 'random', candidates: 9, seed: 5 });
  assert.is(random.metric, 'r2');
  assert.is(random.better, 'higher');
  assert.is(random.leaderboard.length, 9);
  const means = random.leaderboard.map((e) => e.mean);
  assert.ok(Math.min(...means) < 0.5, `some candidate underfits: ${means.join(', ')}`);
  assert.ok(random.best.mean > 0.9, `random's best r2 ${random.best.mean}`);
  assert.is(random.best.mean, Math.max(...means));
  for (let i = 1; i < means.length; i++) assert.ok(means[i - 1]! >= means[i]!, 'best first');
  assert.ok(
    random.leaderboard.every((e) => e.folds.length === 5 && e.rounds === 1),
    'every candidate on 5 folds, one round',
  );
  const best = random.leaderboard[0]!;
  assert.ok(Math.abs(best.mean - best.folds.reduce((a, b) => a + b) / 5) < 1e-12);

  const halving = await searchOffline(x, { base: LINEAR, space: CHOICES, candidates: 9, seed: 5 });
  assert.is(halving.method, 'halving');
  const top3 = random.leaderboard.slice(0, 3).map((e) => e.id);
  assert.ok(top3.includes(halving.best.id), `halving's pick #${halving.best.id} is in random's top 3 (${top3})`);
  assert.ok(halving.best.mean > 0.9);
  // Same candidates (same seed), so the same labels; the winner's last round is on every row, as random's.
  assert.equal(halving.leaderboard.map((e) => e.label).sort(), random.leaderboard.map((e) => e.label).sort());
  assert.is(halving.leaderboard[0]!.rows, random.leaderboard[0]!.rows);
  assert.is(halving.best.mean, random.leaderboard.find((e) => e.id === halving.best.id)!.mean);
});

test('halving: rows grow by 3 each round, the field shrinks to a third, and it costs fewer candidate-rows than random', async () => {
  const x = regression(12, 600);
  const o = { base: LINEAR, space: RATES, candidates: 9, seed: 2 };
  const h = await searchOffline(x, o);
  const r = await searchOffline(x, { ...o, method: 'random' });
  // 480 training rows per fold: 54 (480/9, rounded up), 160, 480; candidates 9, 3, 1.
  assert.equal(h.schedule, [
    { rows: 5 * 54, candidates: 9 },
    { rows: 5 * 160, candidates: 3 },
    { rows: 5 * 480, candidates: 1 },
  ]);
  assert.equal(r.schedule, [{ rows: 2400, candidates: 9 }]);
  assert.equal(
    h.leaderboard.map((e) => e.rounds),
    [3, 2, 2, 1, 1, 1, 1, 1, 1],
  );
  assert.equal(
    h.leaderboard.map((e) => e.rows),
    [2400, 800, 800, 270, 270, 270, 270, 270, 270],
  );
  assert.is(h.cost, 9 * 270 + 3 * 800 + 2400);
  assert.is(r.cost, 9 * 2400);
  assert.is(
    h.leaderboard.reduce((s, e) => s + e.cost, 0),
    h.cost,
  );
  assert.ok(h.cost < r.cost / 2);
  // Those kept after round 1 were round 1's best 3 (higher r2 first), and they sit above the dropped ones.
  const dropped = h.leaderboard.filter((e) => e.rounds === 1).map((e) => e.mean);
  for (let i = 1; i < dropped.length; i++) assert.ok(dropped[i - 1]! >= dropped[i]!);
});

test('fold scores are on held-out rows only: a model that memorizes its training rows scores as a hand computation says', async () => {
  // One-hot row ids: a row's own feature is never seen when it is held out, so only the bias carries over.
  const n = 12,
    rng = new Rng(4);
  const indptr = Int32Array.from({ length: n + 1 }, (_, i) => i),
    indices = Int32Array.from({ length: n }, (_, i) => i),
    values = new Float32Array(n).fill(1),
    targets = Float32Array.from({ length: n }, () => rng.normal(0, 2));
  const x = FeatureMatrix.csr(n, n, indptr, indices, values, { targets });
  const base: ModelOptions = { kind: 'linear', optimizer: 'sgd', lr: 0.2, batchSize: 1, backend: 'cpu', seed: 1 };
  const epochs = 40;
  const r = await searchOffline(x, { base, space: { kind: 'linear' }, method: 'random', candidates: 1, folds: 3, epochs });

  const r2 = (y: ArrayLike<number>, p: ArrayLike<number>): number => {
    let mean = 0;
    for (let i = 0; i < y.length; i++) mean += y[i]! / y.length;
    let res = 0,
      tot = 0;
    for (let i = 0; i < y.length; i++) {
      res += (y[i]! - p[i]!) ** 2;
      tot += (y[i]! - mean) ** 2;
    }
    return 1 - res / tot;
  };
  const held: number[] = [],
    seen: number[] = [];
  for (let f = 0; f < 3; f++) {
    const test = [4 * f, 4 * f + 1, 4 * f + 2, 4 * f + 3];
    const train = [...Array(n).keys()].filter((i) => !test.includes(i));
    const model = await createModel({ ...base, kind: 'linear' });
    const xt = takeRows(x, train);
    for (let e = 0; e < epochs; e++) await model.learn(xt);
    const xv = takeRows(x, test);
    held.push(r2(xv.targets!, await model.predict(xv)));
    seen.push(r2(xt.targets!, await model.predict(xt)));
    await model.dispose();
  }
  assert.ok(
    seen.every((v) => v > 0.95),
    `the model memorizes its training rows: r2 ${seen}`,
  );
  const folds = r.leaderboard[0]!.folds;
  for (let f = 0; f < 3; f++) assert.ok(Math.abs(folds[f]! - held[f]!) < 1e-5, `fold ${f}: ${folds[f]} vs hand ${held[f]}`);
  assert.ok(r.best.mean < 0.5, `held-out r2 ${r.best.mean}`);
});

test('a loss metric ranks lower first; the default metric for binary is rocAuc', async () => {
  const x = binary(21, 400);
  const base: ModelOptions = { kind: 'logistic', optimizer: 'sgd', batchSize: 8, backend: 'cpu', seed: 1 };
  const space = { kind: 'logistic', optimizer: 'sgd', lr: [1e-5, 0.5, 1e-4, 0.1] };
  const r = await searchOffline(x, { base, space, method: 'random', candidates: 4, folds: 4, metric: 'logLoss' });
  assert.is(r.better, 'lower');
  const byLr = new Map(r.leaderboard.map((e) => [e.config.lr, e.mean]));
  assert.is(byLr.size, 4);
  assert.ok(Math.abs(byLr.get(1e-5)! - Math.LN2) < 0.01, `a tiny rate stays near log 2: ${byLr.get(1e-5)}`);
  assert.ok(r.best.mean < 0.55, `best log loss ${r.best.mean}`);
  assert.is(r.best.mean, Math.min(...byLr.values()));
  const means = r.leaderboard.map((e) => e.mean);
  for (let i = 1; i < means.length; i++) assert.ok(means[i - 1]! <= means[i]!, 'lowest loss first');
  const auc = await searchOffline(x, { base, space, method: 'random', candidates: 1, folds: 4 });
  assert.is(auc.metric, 'rocAuc');
  assert.is(auc.better, 'higher');
});

test('deterministic for a seed; shuffle and another seed change the folds or the draw', async () => {
  const x = regression(31, 300);
  const o = { base: LINEAR, space: RATES, candidates: 5, folds: 3 };
  const a = await searchOffline(x, { ...o, seed: 7, shuffle: true });
  const b = await searchOffline(x, { ...o, seed: 7, shuffle: true });
  assert.equal(strip(a), strip(b));
  const contiguous = await searchOffline(x, { ...o, seed: 7 });
  assert.equal(contiguous.leaderboard.map((e) => e.label).sort(), a.leaderboard.map((e) => e.label).sort());
  assert.not.equal(contiguous.leaderboard[0]!.folds, a.leaderboard.find((e) => e.id === contiguous.leaderboard[0]!.id)!.folds);
  const other = await searchOffline(x, { ...o, seed: 8, shuffle: true });
  assert.not.equal(other.leaderboard.map((e) => e.label).sort(), a.leaderboard.map((e) => e.label).sort());
});

test('refit returns the winner trained on every row; progress counts every fit', async () => {
  const x = regression(41, 300);
  const seen: Array<[number, number, string]> = [];
  const r = await searchOffline(x, {
    base: LINEAR,
    space: RATES,
    candidates: 3,
    folds: 3,
    method: 'random',
    refit: true,
    onProgress: (done, total, label) => seen.push([done, total, label]),
  });
  assert.is(seen.length, 3 * 3 + 1);
  assert.equal(
    seen.map((s) => s[0]),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.ok(seen.every((s) => s[1] === 10));
  assert.match(seen[9]![2], `refit #${r.best.id}`);
  assert.ok(r.model);
  const p = await r.model!.predict(x);
  const t = x.targets!;
  let res = 0,
    tot = 0,
    mean = 0;
  for (let i = 0; i < x.rows; i++) mean += t[i]! / x.rows;
  for (let i = 0; i < x.rows; i++) {
    res += (t[i]! - p[i]!) ** 2;
    tot += (t[i]! - mean) ** 2;
  }
  assert.ok(1 - res / tot > 0.9, `refit r2 ${1 - res / tot}`);
  await r.model!.dispose();
});

test('bad options throw SpecError naming the option; data without targets throws SchemaError', async () => {
  const x = regression(51, 20);
  const base = LINEAR;
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ folds: 1 }, 'folds'],
    [{ folds: 21 }, 'folds'],
    [{ folds: 2.5 }, 'folds'],
    [{ candidates: 0 }, 'candidates'],
    [{ method: 'grid' }, 'method'],
    [{ epochs: 0 }, 'epochs'],
    [{ factor: 1 }, 'factor'],
    [{ metric: 'acuracy' }, 'metric'],
    [{ budget: 3 }, 'budget'],
    [{ space: { kind: 'linear', seed: [1, 2] } }, 'space.seed'],
  ];
  for (const [extra, path] of cases) {
    try {
      await searchOffline(x, { base, ...extra } as never);
      assert.unreachable(`${JSON.stringify(extra)} should throw`);
    } catch (e) {
      assert.instance(e, SpecError, `${JSON.stringify(extra)}: ${(e as Error).message}`);
      assert.is((e as SpecError).path, path);
    }
  }
  const bare = FeatureMatrix.dense(20, 3, x.values);
  try {
    await searchOffline(bare, { base });
    assert.unreachable('no targets should throw');
  } catch (e) {
    assert.instance(e, SchemaError);
    assert.match((e as Error).message, 'targets');
  }
  const unlabeled = FeatureMatrix.dense(20, 3, x.values, { targets: new Float32Array(20).fill(Number.NaN) });
  try {
    await searchOffline(unlabeled, { base });
    assert.unreachable('no labeled rows should throw');
  } catch (e) {
    assert.instance(e, SchemaError);
  }
});

test.run();
