import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FeatureMatrix } from '../../src/core/index.js';
import { type ScoredChunk, TestThenTrain, type TestThenTrainOptions } from '../../src/evaluate/index.js';
import { MetricSet } from '../../src/metrics/index.js';
import { FakeModel, matrix } from '../operators/learn/FakeModel.js';
import { hashedStream, SgdModel } from './SgdModel.js';

const ROWS = 70_000;
const data = hashedStream(ROWS);

/** The stream cut into source batches of `size` rows (the last one shorter). */
function batches(m: FeatureMatrix, size: number): FeatureMatrix[] {
  const out: FeatureMatrix[] = [];
  for (let i = 0; i < m.rows; i += size) out.push(m.sliceRows(i, i + size));
  return out;
}

async function runEngine(model: SgdModel, source: FeatureMatrix[], options: Omit<TestThenTrainOptions, 'metrics'> = {}) {
  const metrics = new MetricSet(['accuracy', 'rocAuc', 'logLoss'], { rolling: 1000 });
  const chunks: Array<Omit<ScoredChunk, 'targets' | 'predictions'> & { sumT: number; sumP: number }> = [];
  const engine = new TestThenTrain(model, {
    ...options,
    metrics,
    ...(options.onChunk
      ? {
          onChunk: (c: ScoredChunk) => {
            chunks.push({ first: c.first, rows: c.rows, sumT: c.targets.reduce((a, b) => a + b, 0), sumP: c.predictions.reduce((a, b) => a + b, 0) });
            return options.onChunk!(c);
          },
        }
      : {}),
  });
  for (const b of source) if (await engine.process(b)) break;
  await engine.finish();
  return { engine, values: metrics.values(), rolling: metrics.rollingValues(), weights: model.weights(), chunks };
}

test('the same stream gives identical metrics and weights with source batches of 64, 4096 and 65536 rows, for model batch sizes 1, 32 and 100, on both engine paths', async () => {
  for (const b of [1, 32, 100]) {
    const runs: Awaited<ReturnType<typeof runEngine>>[] = [];
    for (const withTestThenTrain of [true, false]) {
      for (const size of [64, 4096, 65_536]) {
        // The slow path (an await per mini-batch) runs on fewer rows at batch size 1.
        const source = batches(!withTestThenTrain && b === 1 ? data.sliceRows(0, 20_000) : data, size);
        const r = await runEngine(new SgdModel(b, data.cols, withTestThenTrain), source, { onChunk: () => false });
        assert.is(
          r.engine.learned,
          source.reduce((n, m) => n + m.rows, 0),
        );
        runs.push(r);
      }
    }
    const [first] = runs;
    for (const r of runs.slice(1, 3)) {
      assert.equal(r.values, first!.values, `batch size ${b}: metrics`);
      assert.equal(r.rolling, first!.rolling, `batch size ${b}: rolling metrics`);
      assert.equal(r.weights, first!.weights, `batch size ${b}: weights`);
      assert.equal(r.chunks, first!.chunks, `batch size ${b}: the chunks the hook saw`);
    }
    const slow = runs.slice(3);
    for (const r of slow.slice(1)) assert.equal(r.values, slow[0]!.values, `batch size ${b}, predict then learn: metrics`);
    if (b !== 1) assert.equal(slow[0]!.values, first!.values, `batch size ${b}: testThenTrain and predict-then-learn agree`);
    assert.ok(first!.values.rocAuc! > 0.7, `the model learns: AUC ${first!.values.rocAuc}`);
    assert.is(first!.chunks[0]!.rows, Math.ceil(256 / b) * b, 'chunks are whole mini-batches of at least 256 rows');
  }
});

test('without a hook, a model with testThenTrain gets one synchronous call per source batch, on whole mini-batches', async () => {
  const model = new SgdModel(32, data.cols, true);
  const source = batches(data.sliceRows(0, 10_000), 1000);
  await runEngine(model, source);
  assert.is(model.calls.predict, 0);
  assert.is(model.calls.learn, 0);
  // 1000 = 31 × 32 + 8: every batch after the first completes the carried mini-batch first.
  for (const rows of model.calls.testThenTrainRows.slice(0, -1)) assert.is(rows % 32, 0, `a call of ${rows} rows`);
  assert.is(
    model.calls.testThenTrainRows.reduce((a, b) => a + b, 0),
    10_000,
  );
  assert.ok(model.calls.testThenTrain <= 2 * source.length + 1);
});

test('the first mini-batch is scored by the untrained model, each later one by the model after the mini-batches before it', async () => {
  const model = new SgdModel(32, data.cols, true);
  const seen: number[] = [];
  const engine = new TestThenTrain(model, {
    onChunk: (c) => {
      seen.push(...c.predictions);
      return false;
    },
  });
  // Source batches of 20 rows: the first mini-batch spans two of them.
  for (const b of batches(data.sliceRows(0, 320), 20)) await engine.process(b);
  await engine.finish();
  assert.is(seen.length, 320);
  assert.ok(
    seen.slice(0, 32).every((p) => p === 0.5),
    'rows 0-31 predicted by the zero model',
  );
  assert.ok(seen[32] !== 0.5, 'row 32 predicted after the first update');
  // Rows 32-63 get what the model after exactly one update (of rows 0-31) predicts.
  const after1 = new SgdModel(32, data.cols, false);
  await after1.learn(data.sliceRows(0, 32));
  assert.equal(seen.slice(32, 64), Array.from(await after1.predict(data.sliceRows(32, 64))));
});

test('rows with a missing target are predicted, neither scored nor learned; mini-batches still count them', async () => {
  const m = hashedStream(5000, 200, 3, 0.2);
  const labeled = m.targets!.filter((y) => !Number.isNaN(y)).length;
  for (const tt of [true, false]) {
    const model = new SgdModel(10, m.cols, tt);
    const r = await runEngine(model, batches(m, 333));
    assert.is(r.engine.rows, 5000);
    assert.is(r.engine.scored, labeled);
    assert.is(r.engine.learned, labeled);
    assert.ok(labeled < 4200 && labeled > 3800, String(labeled));
  }
  const a = await runEngine(new SgdModel(10, m.cols, true), batches(m, 64));
  const b = await runEngine(new SgdModel(10, m.cols, true), batches(m, 4096));
  assert.equal(a.values, b.values);
});

test('maxRows cuts the batch that crosses it; the engine is done and takes no more rows', async () => {
  const model = new SgdModel(32, data.cols, true);
  const engine = new TestThenTrain(model, { maxRows: 1000, metrics: new MetricSet(['accuracy']) });
  assert.is(await engine.process(data.sliceRows(0, 600)), false);
  assert.is(await engine.process(data.sliceRows(600, 1200)), true);
  assert.is(await engine.process(data.sliceRows(1200, 1800)), true);
  assert.is(engine.rows, 1000);
  assert.is(engine.carried, 1000 % 32);
  await engine.finish();
  assert.is(engine.learned, 1000);
  assert.is(engine.carried, 0);
});

test('onChunk can stop the engine: what was learned and what was not are counted', async () => {
  const model = new SgdModel(100, data.cols, true);
  let calls = 0;
  const engine = new TestThenTrain(model, { onChunk: () => ++calls === 2 });
  assert.is(await engine.process(data.sliceRows(0, 1000)), true);
  assert.ok(engine.stopped);
  // Chunks of 300 rows (256 rounded up to whole mini-batches of 100): stopped after the second.
  assert.is(engine.learned, 600);
  assert.is(engine.unlearned, 400);
  assert.is(model.step, 6);
  assert.is(await engine.process(data.sliceRows(1000, 2000)), true);
  await engine.finish();
  assert.is(engine.rows, 1000);
  assert.is(engine.learned + engine.unlearned, 1000);
  assert.is(calls, 2);
});

test('an async onChunk is awaited before the engine goes on (a model state can be read there)', async () => {
  const model = new SgdModel(1, data.cols, true);
  const steps: number[] = [];
  const engine = new TestThenTrain(model, {
    chunkRows: 100,
    onChunk: async () => {
      await new Promise((r) => setTimeout(r, 1));
      steps.push((await model.state()).step);
      return false;
    },
  });
  await engine.process(data.sliceRows(0, 350));
  await engine.finish();
  assert.equal(steps, [100, 200, 300, 350]);
});

test('label delay: rows are predicted on arrival, learned only once their label is due, in whole mini-batches', async () => {
  class Batch4 extends FakeModel {
    override readonly batchSize = 4;
  }
  const model = new Batch4();
  const metrics = new MetricSet(['accuracy']);
  const engine = new TestThenTrain(model, { metrics, labelDelay: { rows: 5 } });
  const right = (id: number) => (id % 2 ? 0.9 : 0.1);
  for (let s = 0; s < 21; s += 3) await engine.process(matrix(s, 3, right));
  assert.is(engine.waiting, 5);
  await engine.finish();
  let predicted = 0;
  const learns = model.log.filter((c) => c.op === 'learn');
  const lastPredict = model.log.map((c) => c.op).lastIndexOf('predict');
  model.log.forEach((c, i) => {
    if (c.op === 'predict') predicted += c.rowIds.length;
    else if (i < lastPredict) for (const id of c.rowIds) assert.ok(predicted >= id + 1 + 5, `row ${id} learned after ${predicted} predicted`);
  });
  assert.equal(
    learns.map((c) => c.rowIds.length),
    [4, 4, 4, 4, 4, 1],
  );
  assert.equal(
    learns.flatMap((c) => c.rowIds),
    Array.from({ length: 21 }, (_, i) => i),
  );
  assert.is(metrics.values().accuracy, 1);
  assert.is(engine.learned, 21);
});

test('a model whose batchSize is not a positive integer is refused, naming it', () => {
  const model = new SgdModel(32, 4, false);
  (model as { batchSize: number }).batchSize = 0;
  assert.throws(() => new TestThenTrain(model), /logistic model: batchSize must be an integer ≥ 1, got 0/);
});

test('the CSR views of the chunks a model gets stay as they were (their indptrs share one array per call, each its own range), sync hook or async', async () => {
  for (const asyncHook of [false, true]) {
    const seen: Array<{ view: FeatureMatrix; indptr: number[]; first: number }> = [];
    let first = 0;
    const model = new SgdModel(1, data.cols, true);
    const inner = model.testThenTrain!.bind(model);
    model.testThenTrain = (x: FeatureMatrix, out: Float32Array) => {
      seen.push({ view: x, indptr: Array.from(x.indptr!), first });
      first += x.rows;
      inner(x, out);
    };
    const engine = new TestThenTrain(model, { chunkRows: 100, onChunk: asyncHook ? async () => false : () => false });
    // Source batches that cut chunks: a view starts mid-chunk, another ends mid-batch.
    for (const [s, e] of [
      [0, 250],
      [250, 610],
      [610, 1000],
    ] as const)
      await engine.process(data.sliceRows(s, e));
    await engine.finish();
    assert.is(engine.learned, 1000);
    assert.ok(seen.length >= 10);
    for (const v of seen) {
      assert.equal(Array.from(v.view.indptr!), v.indptr, `view at ${v.first} rewritten`);
      assert.equal(v.indptr, Array.from(data.sliceRows(v.first, v.first + v.view.rows).indptr!), `view at ${v.first}`);
    }
  }
});

test('snapshot() between two source batches, restored into a fresh engine and model (through JSON), goes on exactly as the engine never stopped', async () => {
  const source = batches(data, 3000);
  for (const [b, ttt] of [
    [32, true],
    [100, false],
    [1, true],
  ] as const) {
    const whole = await runEngine(new SgdModel(b, data.cols, ttt), source, { onChunk: () => false });
    for (const cut of [1, 7, 20]) {
      const metrics = new MetricSet(['accuracy', 'rocAuc', 'logLoss'], { rolling: 1000 });
      const first = new SgdModel(b, data.cols, ttt);
      const e1 = new TestThenTrain(first, { metrics, onChunk: () => false });
      for (const x of source.slice(0, cut)) await e1.process(x);
      // A partial mini-batch waits at every cut here (3000 rows a batch): the snapshot must carry it.
      const saved = JSON.parse(JSON.stringify({ engine: e1.snapshot(), model: await first.state(), metrics: metrics.toJSON() }));
      const second = new SgdModel(b, data.cols, ttt);
      second.load(saved.model);
      const m2 = MetricSet.fromJSON(saved.metrics);
      const e2 = new TestThenTrain(second, { metrics: m2, onChunk: () => false, restore: saved.engine });
      assert.is(e2.carried, e1.carried, 'rows waiting for their mini-batch');
      for (const x of source.slice(cut)) await e2.process(x);
      await e2.finish();
      assert.equal(m2.values(), whole.values, `batch ${b}, cut after ${cut} source batches: metrics`);
      assert.equal(second.weights(), whole.weights, `batch ${b}, cut after ${cut}: weights`);
      assert.is(e2.learned, whole.engine.learned);
      assert.is(e2.rows, whole.engine.rows);
    }
  }
});

test('snapshot() is refused with a label delay (its held predictions are not saved)', () => {
  const e = new TestThenTrain(new SgdModel(1, 4, false), { labelDelay: { rows: 10 } });
  assert.throws(() => e.snapshot(), /label delay cannot be snapshot/);
});

test.run();
