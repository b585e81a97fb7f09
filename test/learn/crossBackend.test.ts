/**
 * Cross-backend trajectories: the same seed and batches on cpu and on webgpu (software adapter)
 * give the same weights within float tolerance after 1,000 steps, and close loss curves.
 * With CI set, a missing software adapter FAILS these tests (softwareBackend helper).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix, Rng } from '../../src/core/index.js';
import { createModel, type ModelOptions, modelFromState } from '../../src/learn/index.js';
import { closeTo } from '../kernels/closeTo.js';
import { softwareBackend } from '../kernels/softwareBackend.js';

const gpu = await softwareBackend();
const ROWS = 8,
  COLS = 4,
  STEPS = 1000;

function batch(rng: Rng): FeatureMatrix {
  const x = new Float32Array(ROWS * COLS),
    t = new Float32Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let z = 0.3;
    for (let c = 0; c < COLS; c++) {
      const v = rng.normal();
      x[r * COLS + c] = v;
      z += v * (c - 1.5);
    }
    // A label noise of 10% keeps the loss away from zero, so the curves are compared on real values.
    t[r] = z > 0 !== rng.bernoulli(0.1) ? 1 : 0;
  }
  return FeatureMatrix.dense(ROWS, COLS, x, { targets: t });
}

for (const spec of [
  { kind: 'logistic', optimizer: 'sgd', lr: 0.1, l2: 0.001 },
  { kind: 'mlp', hidden: [8], activation: 'tanh', optimizer: 'adam', lr: 0.01 },
] as ModelOptions[]) {
  gpu.test(test, `${spec.kind}: ${STEPS} steps on cpu and webgpu (software) follow the same trajectory`, async (backend) => {
    const cpu = await createModel({ ...spec, batchSize: ROWS, seed: 5 });
    const dev = await createModel({ ...spec, batchSize: ROWS, seed: 5, device: backend });
    assert.is(dev.backendName, 'webgpu');
    const rng = new Rng(1);
    const curve: Array<[number, number]> = [];
    for (let s = 1; s <= STEPS; s++) {
      const x = batch(rng);
      await cpu.learn(x);
      await dev.learn(x);
      // Losses come back on demand only; every 50 steps keeps the device mostly free of readbacks.
      if (s % 50 === 0) curve.push([await cpu.lastLoss(), await dev.lastLoss()]);
    }
    assert.is(dev.step, STEPS);
    const a = await cpu.state(),
      b = await dev.state();
    for (const k of Object.keys(a.params)) closeTo(b.params[k]!, a.params[k]!, 2e-4, 1e-3, `${spec.kind} ${k}`);
    closeTo(
      curve.map((c) => c[1]),
      curve.map((c) => c[0]),
      1e-4,
      1e-3,
      `${spec.kind} loss curve`,
    );
    assert.ok(
      curve.every(([l]) => l > 0.01),
      'losses are not trivially zero',
    );
    // Predictions agree, and the webgpu state restores on the cpu with the same predictions.
    const probe = batch(rng);
    closeTo(await dev.predict(probe), await cpu.predict(probe), 1e-4, 1e-3, `${spec.kind} predictions`);
    const moved = await modelFromState(b, { backend: 'cpu' });
    closeTo(await moved.predict(probe), await dev.predict(probe), 1e-5, 1e-4, `${spec.kind} restored on cpu`);
    await cpu.dispose();
    await dev.dispose();
    await moved.dispose();
  });
}

gpu.test(test, 'webgpu: CSR input and a softmax model with class weights and clipping match the cpu', async (backend) => {
  const rng = new Rng(3);
  const spec: ModelOptions = { kind: 'softmax', classes: 3, optimizer: 'momentum', lr: 0.05, clip: 1, classWeights: [1, 2, 0.5], batchSize: 6 };
  const cpu = await createModel(spec),
    dev = await createModel({ ...spec, device: backend });
  for (let s = 0; s < 40; s++) {
    const indptr = [0],
      idx: number[] = [],
      val: number[] = [],
      t: number[] = [];
    for (let r = 0; r < 12; r++) {
      for (let c = 0; c < 10; c++)
        if (rng.bernoulli(0.3)) {
          idx.push(c);
          val.push(rng.normal());
        }
      indptr.push(idx.length);
      t.push(rng.int(3));
    }
    const x = FeatureMatrix.csr(12, 10, Int32Array.from(indptr), Int32Array.from(idx), Float32Array.from(val), { targets: Float32Array.from(t) });
    await cpu.learn(x);
    await dev.learn(x);
  }
  const a = await cpu.state(),
    b = await dev.state();
  for (const k of Object.keys(a.params)) closeTo(b.params[k]!, a.params[k]!, 1e-4, 1e-3, `softmax ${k}`);
  closeTo([await dev.lastLoss()], [await cpu.lastLoss()], 1e-5, 1e-4, 'loss');
  await cpu.dispose();
  await dev.dispose();
});

test('gpujs backend (webasm): 200 logistic steps follow the cpu trajectory', async () => {
  const spec: ModelOptions = { kind: 'logistic', optimizer: 'adagrad', lr: 0.1, batchSize: ROWS, seed: 2 };
  const cpu = await createModel(spec),
    gj = await createModel({ ...spec, backend: 'gpujs' });
  assert.is(gj.backendName, 'gpujs');
  const rng = new Rng(4);
  for (let s = 0; s < 200; s++) {
    const x = batch(rng);
    await cpu.learn(x);
    await gj.learn(x);
  }
  const a = await cpu.state(),
    b = await gj.state();
  for (const k of Object.keys(a.params)) closeTo(b.params[k]!, a.params[k]!, 1e-4, 1e-3, `gpujs ${k}`);
  await cpu.dispose();
  await gj.dispose();
});

test.after(() => gpu.dispose());
test.run();
