import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix, Rng, SchemaError, SpecError } from '../../src/core/index.js';
import { TestThenTrain } from '../../src/evaluate/index.js';
import { createModel, type Model, type ModelOptions, modelFromState } from '../../src/learn/index.js';
import { MetricSet } from '../../src/metrics/index.js';
import { TreeModel } from '../../src/trees/index.js';

/** SEA-like rows: 3 uniform features in [0, 10); class 1 when x0 + x1 > 8 (x2 is noise); regression target 2·x0 − x1. */
function sea(rows: number, seed: number, task: 'binary' | 'multiclass' | 'regression' = 'binary', ids = 0): FeatureMatrix {
  const r = new Rng(seed);
  const x = new Float32Array(rows * 3),
    y = new Float32Array(rows),
    rowIds = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 3; j++) x[i * 3 + j] = r.float() * 10;
    const s = x[i * 3]! + x[i * 3 + 1]!;
    y[i] = task === 'binary' ? (s > 8 ? 1 : 0) : task === 'multiclass' ? (s > 12 ? 2 : s > 6 ? 1 : 0) : 2 * x[i * 3]! - x[i * 3 + 1]!;
    rowIds[i] = ids + i;
  }
  return FeatureMatrix.dense(rows, 3, x, { targets: y, rowIds });
}

async function progressive(model: Model, m: FeatureMatrix, metric: string): Promise<number> {
  const metrics = new MetricSet([metric]);
  const engine = new TestThenTrain(model, { metrics });
  await engine.process(m);
  await engine.finish();
  return metrics.values()[metric]!;
}

const make = (o: Partial<ModelOptions> & Pick<ModelOptions, 'kind'>) => createModel(o as ModelOptions);

test('every tree kind is built by createModel and learns a binary stream test-then-train', async () => {
  for (const kind of ['hoeffding', 'hat', 'arf', 'forest'] as const) {
    const m = await make({ kind, ...(kind === 'arf' ? { trees: 3 } : kind === 'forest' ? { trees: 10 } : {}) });
    assert.ok(m instanceof TreeModel, kind);
    assert.is(m.task, 'binary');
    assert.is(m.batchSize, 1);
    assert.is(m.backendName, 'cpu');
    const acc = await progressive(m, sea(6000, 1), 'accuracy');
    // The concept is one threshold on x0 + x1: every kind gets well above the 0.5–0.6 of a constant.
    assert.ok(acc > 0.85, `${kind}: progressive accuracy ${acc}`);
    assert.ok(m.summary().leaves > 1, `${kind} split: ${JSON.stringify(m.summary())}`);
    await m.dispose();
  }
});

test('multiclass and regression tasks: predictions have the task shape and learn', async () => {
  for (const kind of ['hoeffding', 'arf', 'forest'] as const) {
    const extra = kind === 'arf' ? { trees: 3 } : kind === 'forest' ? { trees: 10 } : {};
    const mc = await make({ kind, task: 'multiclass', classes: 3, ...extra });
    assert.is(mc.outputs, 3);
    const acc = await progressive(mc, sea(6000, 2, 'multiclass'), 'accuracy');
    assert.ok(acc > 0.75, `${kind} multiclass accuracy ${acc}`);
    const p = await mc.predict(sea(5, 9, 'multiclass'));
    assert.is(p.length, 15);
    for (let i = 0; i < 5; i++) assert.ok(Math.abs(p[i * 3]! + p[i * 3 + 1]! + p[i * 3 + 2]! - 1) < 1e-4);
    const rg = await make({ kind, task: 'regression', ...extra });
    const r2 = await progressive(rg, sea(6000, 3, 'regression'), 'r2');
    // The forest predicts from its last fit (0 before the first, at 1024 rows): its progressive R² starts behind.
    assert.ok(r2 > (kind === 'forest' ? 0.6 : 0.8), `${kind} regression R² ${r2}`);
  }
});

test('a saved tree model comes back with the same predictions and goes on learning identically', async () => {
  for (const kind of ['hoeffding', 'hat', 'arf', 'forest'] as const) {
    const opts = { kind, seed: 7, ...(kind === 'arf' ? { trees: 3 } : kind === 'forest' ? { trees: 5 } : {}) } as ModelOptions;
    const a = await createModel(opts);
    await a.learn(sea(3000, 4));
    const state = JSON.parse(JSON.stringify(await a.state()));
    const b = await modelFromState(state);
    const probe = sea(200, 5);
    assert.equal(Array.from(await b.predict(probe)), Array.from(await a.predict(probe)), `${kind}: restored predictions`);
    const more = sea(2000, 6, 'binary', 10_000);
    await a.learn(more);
    await b.learn(more);
    assert.equal(Array.from(await b.predict(probe)), Array.from(await a.predict(probe)), `${kind}: after more rows`);
    assert.is(b.step, a.step);
  }
});

test('the forest fits on the rows it keeps: one per row id (epochs replace), predict and state fit pending rows', async () => {
  const m = (await make({ kind: 'forest', trees: 5 })) as TreeModel;
  const data = sea(1500, 8);
  await m.learn(data);
  await m.learn(data); // a second epoch: same row ids
  const s = (await m.state()).tree as { rows: { rows: number } };
  assert.is(s.rows.rows, 1500);
  const p = await m.predict(sea(100, 9));
  assert.ok(p.some((v) => v > 0.9) && p.some((v) => v < 0.1), 'fitted forest separates the classes');
  const capped = (await make({ kind: 'forest', trees: 3, maxRows: 500 })) as TreeModel;
  await capped.learn(sea(3000, 10));
  assert.is(((await capped.state()).tree as { rows: { rows: number } }).rows.rows, 500);
});

test('wide sparse rows: hoeffding learns from the non-zeros; forest refuses hashed widths', async () => {
  const rows = 3000,
    d = 1 << 18,
    r = new Rng(3);
  const indptr = new Int32Array(rows + 1),
    indices = new Int32Array(rows * 4),
    values = new Float32Array(rows * 4),
    y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const on = r.float() < 0.5;
    y[i] = on ? 1 : 0;
    // Feature 77 carries the class; three random hashed features are noise.
    indices.set([on ? 77 : 78, r.int(d), r.int(d), r.int(d)], i * 4);
    values.set([1, 1, 1, 1], i * 4);
    indptr[i + 1] = (i + 1) * 4;
  }
  const x = FeatureMatrix.csr(rows, d, indptr, indices, values, { targets: y });
  const h = await make({ kind: 'hoeffding' });
  const acc = await progressive(h, x, 'accuracy');
  assert.ok(acc > 0.9, `hoeffding on hashed rows: ${acc}`);
  const f = await make({ kind: 'forest' });
  try {
    await f.learn(x);
    assert.unreachable('forest took 2^18 inputs');
  } catch (e) {
    assert.instance(e, SpecError);
    assert.match((e as Error).message, /hashed features\?/);
  }
});

test('tree options are checked at creation, naming the key', async () => {
  const refused = async (o: Record<string, unknown>, key: string, re: RegExp) => {
    try {
      await make(o as unknown as ModelOptions);
      assert.unreachable(JSON.stringify(o));
    } catch (e) {
      assert.instance(e, SpecError, JSON.stringify(o));
      assert.is((e as SpecError).path, key, JSON.stringify(o));
      assert.match((e as Error).message, re);
    }
  };
  await refused({ kind: 'hoeffding', lr: 0.1 }, 'lr', /only applies to kinds/);
  await refused({ kind: 'hoeffding', trees: 3 }, 'trees', /only applies to kinds arf, forest/);
  await refused({ kind: 'arf', backend: 'webgpu' }, 'backend', /learn on the cpu/);
  await refused({ kind: 'hoeffding', leaf: 'linear' }, 'leaf', /majority, naiveBayes, adaptive/);
  await refused({ kind: 'hat', task: 'regression', criterion: 'gini' }, 'criterion', /applies to classification/);
  await refused({ kind: 'forest', bins: 1 }, 'bins', /integer ≥ 2/);
  await refused({ kind: 'arf', driftDelta: 1 }, 'driftDelta', /\(0, 1\)/);
  await refused({ kind: 'forest', bootstrap: 'yes' }, 'bootstrap', /true or false/);
});

test('bad targets are refused with the row named; rows without a target are predicted, not learned', async () => {
  const m = await make({ kind: 'hoeffding' });
  const x = sea(10, 1);
  x.targets![3] = 2;
  try {
    await m.learn(x);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SchemaError);
    assert.match((e as Error).message, /row 3 .*is 2, expected a class index in \[0, 2\)/);
  }
  const n = await make({ kind: 'hoeffding' });
  const y = sea(10, 1);
  y.targets!.fill(Number.NaN);
  await n.learn(y);
  assert.is(n.step, 0);
});

test('arf on worker threads: the engine takes testThenTrainAsync, with the predictions of the serial forest', async () => {
  const serial = await make({ kind: 'arf', trees: 4, seed: 3 });
  const parallel = await make({ kind: 'arf', trees: 4, seed: 3, workers: 2 });
  assert.ok(serial.testThenTrain && !serial.testThenTrainAsync);
  assert.ok(parallel.testThenTrainAsync && !parallel.testThenTrain);
  const data = sea(3000, 11);
  const a = await progressive(serial, data, 'logLoss');
  const b = await progressive(parallel, data, 'logLoss');
  assert.is(b, a);
  const probe = sea(100, 12);
  assert.equal(Array.from(await parallel.predict(probe)), Array.from(await serial.predict(probe)));
  await parallel.dispose();
  await serial.dispose();
});

test.run();
