/**
 * The cpu's fast paths against the kernel-by-kernel path, bit for bit (same seed and batches, dense
 * and CSR: predictions, mean losses, states and step counts):
 *  - LinearModel (one loop per dense mini-batch; buildModel's choice for a one-output linear model on
 *    the cpu) against GradientModel on a CpuBackend, which runs the same model as backend kernels;
 *  - GradientModel on a CpuBackend (bias, relu and relu's backward in the SIMD GEMM's pass, plain SGD
 *    fused into the weight GEMM) against GradientModel on SeparateKernelsCpu, a CpuBackend that runs
 *    every GEMM epilogue as the separate kernels and claims no exactSgdGemm.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix, Rng, SchemaError } from '../../src/core/index.js';
import { CpuBackend, type GemmOptions, GpuJsBackend, type Tensor } from '../../src/kernels/index.js';
import { createModel, GradientModel, LinearModel, type Model, type ModelOptions, modelFromState, resolveModelOptions } from '../../src/learn/index.js';

/** The cpu backend with every GEMM epilogue as the separate kernels and no SGD fused into a GEMM: the reference. */
class SeparateKernelsCpu extends CpuBackend {
  override readonly capabilities = { sharedWrap: true, exactSgdGemm: false };

  override gemm(a: Tensor, b: Tensor, c: Tensor, o: GemmOptions): void {
    const { epilogue: ep, ...plain } = o;
    super.gemm(a, b, c, plain);
    if (ep && 'backward' in ep) this.activateBackward(ep.backward, ep.y, c, c);
    else if (ep) {
      if (ep.bias) this.biasAdd(c, ep.bias, o.m, o.n);
      if (ep.act) this.activate(ep.act, c, c);
    }
  }
}

/** m in CSR form, without every fifth value of the dense one (made zero), so that it is sparse. */
function toCsr(m: FeatureMatrix): FeatureMatrix {
  for (let i = 2; i < m.values.length; i += 5) m.values[i] = 0;
  const indptr = new Int32Array(m.rows + 1),
    idx: number[] = [],
    val: number[] = [];
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const v = m.values[r * m.cols + c]!;
      if (v !== 0) {
        idx.push(c);
        val.push(v);
      }
    }
    indptr[r + 1] = idx.length;
  }
  return FeatureMatrix.csr(m.rows, m.cols, indptr, Int32Array.from(idx), Float32Array.from(val), { targets: m.targets, weights: m.weights });
}

function batch(rng: Rng, rows: number, cols: number, opts: { weights?: boolean; classes?: number; regression?: boolean }): FeatureMatrix {
  const x = new Float32Array(rows * cols),
    t = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = 0.2;
    for (let c = 0; c < cols; c++) {
      const v = rng.normal() * (1 + c);
      x[r * cols + c] = v;
      z += v * ((c % 3) - 1);
    }
    if (opts.regression) t[r] = z + rng.normal() * 0.1;
    else if (opts.classes) t[r] = Math.min(opts.classes - 1, Math.floor(rng.float() * opts.classes));
    else t[r] = z > 0 !== rng.bernoulli(0.15) ? 1 : 0;
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
  {
    name: 'logistic adam, L1+L2, inverse schedule, sample and class weights',
    spec: { kind: 'logistic', optimizer: 'adam', lr: 0.05, l1: 1e-4, l2: 1e-3, classWeights: [1, 3], schedule: { kind: 'inverse', decay: 0.1 }, batchSize: 37 },
    cols: 9,
    weights: true,
  },
  { name: 'logistic momentum with clipping', spec: { kind: 'logistic', optimizer: 'momentum', lr: 0.3, clip: 0.5, batchSize: 50 }, cols: 5 },
  { name: 'linear SVM (hinge), rmsprop', spec: { kind: 'svm', optimizer: 'rmsprop', lr: 0.01, batchSize: 31 }, cols: 6, weights: true },
  { name: 'linear regression, adagrad', spec: { kind: 'linear', optimizer: 'adagrad', lr: 0.1, batchSize: 40 }, cols: 3, regression: true },
  {
    name: 'softmax (generic path, rows in place)',
    spec: { kind: 'softmax', classes: 4, optimizer: 'sgd', lr: 0.1, batchSize: 33 },
    cols: 5,
    classes: 4,
    weights: true,
  },
  {
    name: 'MLP (generic path, rows in place)',
    spec: { kind: 'mlp', task: 'multiclass', classes: 3, hidden: [16], activation: 'relu', optimizer: 'nesterov', lr: 0.05, batchSize: 20 },
    cols: 7,
    classes: 3,
  },
  // Plain SGD: weight GEMMs write the update themselves (alpha −lr, beta 1); the output layer of a
  // binary MLP (one column, gemv) and clipping/L2 keep the separate gradient and optimizer step.
  {
    name: 'MLP sgd, fused weight updates, step schedule',
    spec: {
      kind: 'mlp',
      task: 'multiclass',
      classes: 5,
      hidden: [36, 9],
      activation: 'relu',
      optimizer: 'sgd',
      lr: 0.05,
      schedule: { kind: 'step', every: 3, gamma: 0.7 },
      batchSize: 64,
    },
    cols: 300,
    classes: 5,
  },
  {
    name: 'MLP binary sgd (fused hidden layers, gemv output layer)',
    spec: { kind: 'mlp', hidden: [12], activation: 'relu', optimizer: 'sgd', lr: 0.1, batchSize: 25 },
    cols: 6,
    weights: true,
  },
  {
    name: 'MLP sgd with L2 (not fused)',
    spec: { kind: 'mlp', task: 'multiclass', classes: 3, hidden: [10], activation: 'relu', optimizer: 'sgd', lr: 0.05, l2: 1e-3, batchSize: 30 },
    cols: 6,
    classes: 3,
  },
  {
    name: 'MLP binary tanh with clipping',
    spec: { kind: 'mlp', hidden: [8, 5], activation: 'tanh', optimizer: 'adam', lr: 0.01, clip: 1, batchSize: 16 },
    cols: 4,
    weights: true,
  },
];

// Uneven batch sizes (a short last mini-batch, a batch smaller than one mini-batch, one row), and CSR batches.
const STREAM: Array<[number, 'dense' | 'csr']> = [
  [200, 'dense'],
  [130, 'dense'],
  [7, 'dense'],
  [1, 'dense'],
  [90, 'csr'],
  [333, 'dense'],
  [5, 'csr'],
  [41, 'dense'],
];

for (const c of CASES) {
  const linear = c.spec.kind !== 'mlp' && c.spec.kind !== 'softmax';
  const what = linear
    ? 'LinearModel is bit-identical to GradientModel on the cpu backend'
    : 'GradientModel with fused GEMM epilogues is bit-identical to separate kernels';
  test(`${c.name}: ${what}`, async () => {
    const fast = await createModel({ ...c.spec, backend: 'cpu', seed: 3 });
    const o = resolveModelOptions({ ...c.spec, backend: 'cpu', seed: 3 });
    const ref = new GradientModel(o, linear ? new CpuBackend() : new SeparateKernelsCpu(), true);
    assert.instance(fast, linear ? LinearModel : GradientModel);
    const rng = new Rng(11);
    for (const [rows, kind] of STREAM) {
      const dense = batch(rng, rows, c.cols, c),
        x = kind === 'csr' ? toCsr(dense) : dense;
      const [pa, pb] = [await fast.predict(x), await ref.predict(x)];
      assert.equal(Array.from(pa), Array.from(pb), `${c.name}: predictions before learning ${rows} ${kind} rows`);
      await fast.learn(x);
      await ref.learn(x);
      await same(fast, ref, `${c.name} after ${rows} ${kind} rows`);
    }
    assert.ok(fast.step > 10);
    await fast.dispose();
    await ref.dispose();
  });
}

test("a LinearModel state is GradientModel's format: equal states, each loads the other, modelFromState rebuilds a LinearModel", async () => {
  const spec: ModelOptions = { kind: 'logistic', optimizer: 'adam', lr: 0.05, l2: 1e-3, batchSize: 32, backend: 'cpu', seed: 4 };
  const lin = await createModel(spec);
  const graph = new GradientModel(resolveModelOptions(spec), new CpuBackend(), true);
  const rng = new Rng(5);
  for (const rows of [100, 77]) {
    const x = batch(rng, rows, 6, {});
    await lin.learn(x);
    await graph.learn(x);
  }
  const state = await lin.state();
  assert.equal(state, await graph.state(), 'the whole state, options included');
  assert.is(state.kind, 'logistic');
  // Through JSON, as a saved pipeline.json holds it.
  const saved = JSON.parse(JSON.stringify(await graph.state()));
  const restored = await modelFromState(saved);
  assert.instance(restored, LinearModel);
  const intoGraph = new GradientModel(resolveModelOptions(spec), new CpuBackend(), true);
  intoGraph.load(state);
  const probe = batch(rng, 50, 6, {});
  const want = Array.from(await lin.predict(probe));
  assert.equal(Array.from(await restored.predict(probe)), want, 'restored LinearModel');
  assert.equal(Array.from(await intoGraph.predict(probe)), want, 'GradientModel loading a LinearModel state');
  assert.is(restored.step, lin.step);
  for (const m of [lin, graph, restored, intoGraph]) await m.dispose();
});

test('buildModel: LinearModel for one-output linear, logistic and svm models with a device optimizer on the cpu; GradientModel for softmax, mlp and backends whose wrap copies', async () => {
  for (const kind of ['linear', 'logistic', 'svm'] as const) {
    const m = await createModel({ kind, optimizer: 'sgd', backend: 'cpu', inputs: 3 });
    assert.instance(m, LinearModel, kind);
    await m.dispose();
  }
  for (const spec of [
    { kind: 'softmax', classes: 3, optimizer: 'adagrad' },
    { kind: 'mlp', hidden: [4] },
    { kind: 'mlp', task: 'regression', hidden: [4] },
  ] as ModelOptions[]) {
    const m = await createModel({ ...spec, backend: 'cpu', inputs: 3 });
    assert.instance(m, GradientModel, JSON.stringify(spec));
    await m.dispose();
  }
  const gj = new GpuJsBackend();
  assert.is(gj.capabilities.sharedWrap, false);
  const m = await createModel({ kind: 'logistic', inputs: 3, device: gj });
  assert.instance(m, GradientModel, 'logistic on gpujs');
  await m.dispose();
  await gj.dispose();
  assert.throws(
    () => new LinearModel(resolveModelOptions({ kind: 'softmax', classes: 3, backend: 'cpu' }), new CpuBackend(), true),
    (e: unknown) => e instanceof SchemaError && /kind softmax, task multiclass, 3 outputs/.test((e as Error).message),
  );
  assert.throws(() => new LinearModel(resolveModelOptions({ kind: 'logistic' }), gj, false), /wrap shares memory.*on gpujs/);
});

test('the logistic fast path moves the weights (not a no-op) and predicts P(y=1) in (0, 1)', async () => {
  const m = await createModel({ kind: 'logistic', optimizer: 'sgd', lr: 0.5, batchSize: 32, backend: 'cpu', seed: 1 });
  const rng = new Rng(2);
  const x = batch(rng, 512, 4, {});
  await m.learn(x);
  const s = await m.state();
  assert.ok(
    s.params.w0!.some((v) => Math.abs(v) > 0.05),
    'weights moved',
  );
  const p = await m.predict(x);
  assert.ok(p.every((v) => v > 0 && v < 1));
  await m.dispose();
});

test.run();
