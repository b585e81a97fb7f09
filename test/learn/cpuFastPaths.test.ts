/**
 * The cpu backend's fast paths in GradientModel (one loop per mini-batch for a one-output dense
 * linear model, input rows read in place instead of sliced and uploaded) against the kernel-by-kernel
 * path: the same CpuBackend hidden behind a plain object, so the model cannot tell it is the cpu
 * one and takes the generic path. Same seed and batches: predictions, mean losses, states and step
 * counts must be bit-identical.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix, Rng } from '../../src/core/index.js';
import { CpuBackend, type Backend } from '../../src/kernels/index.js';
import { createModel, type Model, type ModelOptions } from '../../src/learn/index.js';

const METHODS = ['zeros', 'upload', 'write', 'read', 'release', 'sync', 'dispose', 'gemm', 'biasAdd', 'colSum', 'activate', 'activateBackward', 'softmax', 'lossGrad', 'optimizerStep', 'columnStats', 'spmm', 'spmmT'] as const;

/** The cpu backend behind a plain object: not `instanceof CpuBackend`, so no fast path applies. */
function opaque(cpu: CpuBackend): Backend {
  const o: Record<string, unknown> = { name: cpu.name, adapter: cpu.adapter, isHardware: cpu.isHardware };
  for (const m of METHODS) o[m] = (...a: unknown[]) => (cpu[m] as (...a: unknown[]) => unknown)(...a);
  return o as unknown as Backend;
}

function batch(rng: Rng, rows: number, cols: number, opts: { weights?: boolean; classes?: number; regression?: boolean }): FeatureMatrix {
  const x = new Float32Array(rows * cols), t = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = 0.2;
    for (let c = 0; c < cols; c++) { const v = rng.normal() * (1 + c); x[r * cols + c] = v; z += v * (c % 3 - 1); }
    if (opts.regression) t[r] = z + rng.normal() * 0.1;
    else if (opts.classes) t[r] = Math.min(opts.classes - 1, Math.floor(rng.float() * opts.classes));
    else t[r] = (z > 0) !== rng.bernoulli(0.15) ? 1 : 0;
  }
  // A few zero weights, so some short batches may weigh nothing.
  const weights = opts.weights ? Float32Array.from({ length: rows }, (_, i) => (i % 7 === 3 ? 0 : 0.25 + rng.float() * 2)) : null;
  return FeatureMatrix.dense(rows, cols, x, { targets: t, weights });
}

async function same(fast: Model, ref: Model, what: string): Promise<void> {
  const [a, b] = [await fast.state(), await ref.state()];
  assert.is(a.step, b.step, `${what}: step`);
  for (const k of Object.keys(b.params)) assert.equal(a.params[k], b.params[k], `${what}: param ${k}`);
  for (const k of Object.keys(b.optimizer)) assert.equal(a.optimizer[k], b.optimizer[k], `${what}: optimizer state ${k}`);
  const [la, lb] = [await fast.lastLoss(), await ref.lastLoss()];
  assert.ok(Object.is(la, lb), `${what}: lastLoss ${la} vs ${lb}`);
  // The fast path computes its loss when first asked; asking again gives the same figure.
  assert.ok(Object.is(await fast.lastLoss(), la), `${what}: lastLoss asked twice`);
}

const CASES: Array<{ name: string; spec: ModelOptions; cols: number; weights?: boolean; classes?: number; regression?: boolean }> = [
  { name: 'logistic sgd', spec: { kind: 'logistic', optimizer: 'sgd', lr: 0.2, batchSize: 64 }, cols: 4 },
  { name: 'logistic adam, L1+L2, inverse schedule, sample and class weights', spec: { kind: 'logistic', optimizer: 'adam', lr: 0.05, l1: 1e-4, l2: 1e-3, classWeights: [1, 3], schedule: { kind: 'inverse', decay: 0.1 }, batchSize: 37 }, cols: 9, weights: true },
  { name: 'logistic momentum with clipping', spec: { kind: 'logistic', optimizer: 'momentum', lr: 0.3, clip: 0.5, batchSize: 50 }, cols: 5 },
  { name: 'linear SVM (hinge), rmsprop', spec: { kind: 'svm', optimizer: 'rmsprop', lr: 0.01, batchSize: 31 }, cols: 6, weights: true },
  { name: 'linear regression, adagrad', spec: { kind: 'linear', optimizer: 'adagrad', lr: 0.1, batchSize: 40 }, cols: 3, regression: true },
  { name: 'softmax (generic path, rows in place)', spec: { kind: 'softmax', classes: 4, optimizer: 'sgd', lr: 0.1, batchSize: 33 }, cols: 5, classes: 4, weights: true },
  { name: 'MLP (generic path, rows in place)', spec: { kind: 'mlp', task: 'multiclass', classes: 3, hidden: [16], activation: 'relu', optimizer: 'nesterov', lr: 0.05, batchSize: 20 }, cols: 7, classes: 3 },
  // Plain SGD: weight GEMMs write the update themselves (alpha −lr, beta 1); the output layer of a
  // binary MLP (one column, gemv) and clipping/L2 keep the separate gradient and optimizer step.
  { name: 'MLP sgd, fused weight updates, step schedule', spec: { kind: 'mlp', task: 'multiclass', classes: 5, hidden: [36, 9], activation: 'relu', optimizer: 'sgd', lr: 0.05, schedule: { kind: 'step', every: 3, gamma: 0.7 }, batchSize: 64 }, cols: 300, classes: 5 },
  { name: 'MLP binary sgd (fused hidden layers, gemv output layer)', spec: { kind: 'mlp', hidden: [12], activation: 'relu', optimizer: 'sgd', lr: 0.1, batchSize: 25 }, cols: 6, weights: true },
  { name: 'MLP sgd with L2 (not fused)', spec: { kind: 'mlp', task: 'multiclass', classes: 3, hidden: [10], activation: 'relu', optimizer: 'sgd', lr: 0.05, l2: 1e-3, batchSize: 30 }, cols: 6, classes: 3 },
  { name: 'MLP binary tanh with clipping', spec: { kind: 'mlp', hidden: [8, 5], activation: 'tanh', optimizer: 'adam', lr: 0.01, clip: 1, batchSize: 16 }, cols: 4, weights: true },
];

for (const c of CASES) {
  test(`${c.name}: fast cpu path is bit-identical to the kernel-by-kernel path`, async () => {
    const cpu = new CpuBackend();
    const fast = await createModel({ ...c.spec, backend: 'cpu', seed: 3 });
    const ref = await createModel({ ...c.spec, seed: 3, device: opaque(cpu) });
    const rng = new Rng(11);
    // Uneven batch sizes: a short last mini-batch, a batch smaller than one mini-batch, one row.
    for (const rows of [200, 130, 7, 1, 333]) {
      const x = batch(rng, rows, c.cols, c);
      const [pa, pb] = [await fast.predict(x), await ref.predict(x)];
      assert.equal(Array.from(pa), Array.from(pb), `${c.name}: predictions before learning ${rows} rows`);
      await fast.learn(x);
      await ref.learn(x);
      await same(fast, ref, `${c.name} after ${rows} rows`);
    }
    assert.ok(fast.step > 10);
    await fast.dispose();
    await ref.dispose();
    await cpu.dispose();
  });
}

test('the logistic fast path moves the weights (not a no-op) and predicts P(y=1) in (0, 1)', async () => {
  const m = await createModel({ kind: 'logistic', optimizer: 'sgd', lr: 0.5, batchSize: 32, backend: 'cpu', seed: 1 });
  const rng = new Rng(2);
  const x = batch(rng, 512, 4, {});
  await m.learn(x);
  const s = await m.state();
  assert.ok(s.params.w0!.some((v) => Math.abs(v) > 0.05), 'weights moved');
  const p = await m.predict(x);
  assert.ok(p.every((v) => v > 0 && v < 1));
  await m.dispose();
});

test('wrap: a cpu tensor over the caller array, no copy; shape checked', () => {
  const cpu = new CpuBackend();
  const data = new Float32Array([1, 2, 3, 4, 5, 6]);
  const t = cpu.wrap(data, [2, 3]);
  assert.is(cpu.data(t), data);
  assert.throws(() => cpu.wrap(data, [4, 2]), /6 elements, shape needs 8/);
});

test.run();
