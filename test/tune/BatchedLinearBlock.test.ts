/**
 * BatchedLinearBlock: K sgd candidates in one BatchedLinear (cpu) or BatchedLinearGpu (webgpu,
 * software adapter) against each candidate alone (createModel, predict then learn the labeled
 * rows per mini-batch). With CI set, a missing software adapter FAILS the webgpu tests.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix, Rng, SchemaError, SpecError } from '../../src/core/index.js';
import type { Backend, Tensor, WebGpuBackend } from '../../src/kernels/index.js';
import { createModel, type Model, type ModelOptions, modelFromState, resolveModelOptions } from '../../src/learn/index.js';
import { BatchedLinearBlock } from '../../src/tune/BatchedLinearBlock.js';
import { assertClose } from '../kernels/batched/assertClose.js';
import { softwareBackend } from '../kernels/softwareBackend.js';

const gpu = await softwareBackend();
test.after(() => gpu.dispose());

// float32 arithmetic on both sides, in different orders (BatchedLinear sums in float64, the GPU in other orders).
const RTOL = 1e-6,
  ATOL = 1e-6;
const D = 5;
type Kind = 'logistic' | 'linear' | 'softmax' | 'svm';
const CLASSES = 3;

/** K = 4 candidates differing in lr, l1 and l2 (rates kept small enough for the squared loss). */
function candidates(kind: Kind, batchSize: number, backend: 'cpu' | 'webgpu'): ModelOptions[] {
  const s = kind === 'linear' ? 0.3 : 1;
  const hyper = [{ lr: 0.05 }, { lr: 0.1, l2: 0.01 }, { lr: 0.2, l1: 0.002 }, { lr: 0.3, l1: 0.001, l2: 0.02 }];
  return hyper.map((h) => ({
    kind,
    optimizer: 'sgd',
    batchSize,
    backend,
    ...(kind === 'softmax' ? { classes: CLASSES } : {}),
    ...h,
    lr: h.lr * s,
  }));
}

/** Seeded rows: x N(0,1) (half zeros when sparse), targets by a fixed linear rule, a tenth NaN. */
function data(rng: Rng, rows: number, kind: Kind, csr: boolean, weights?: Float32Array): FeatureMatrix {
  const x = new Float32Array(rows * D),
    t = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0.3;
    for (let j = 0; j < D; j++) {
      const v = csr && rng.float() < 0.5 ? 0 : rng.normal();
      x[r * D + j] = v;
      s += v * ((j % 3) - 1 + 0.25 * j);
    }
    t[r] = kind === 'linear' ? s + 0.2 * rng.normal() : kind === 'softmax' ? (s < -0.5 ? 0 : s < 0.7 ? 1 : 2) : s + 0.5 * rng.normal() > 0 ? 1 : 0;
    if (rng.float() < 0.1) t[r] = NaN;
  }
  const extras = { targets: t, weights: weights ?? null };
  const dense = FeatureMatrix.dense(rows, D, x, extras);
  if (!csr) return dense;
  const indptr = new Int32Array(rows + 1),
    indices: number[] = [],
    values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < D; j++)
      if (x[r * D + j] !== 0) {
        indices.push(j);
        values.push(x[r * D + j]!);
      }
    indptr[r + 1] = indices.length;
  }
  return FeatureMatrix.csr(rows, D, indptr, Int32Array.from(indices), Float32Array.from(values), extras);
}

/** Awaits fn and asserts it threw an error that passes `check` (uvu's assert has no `rejects`). */
async function rejects(fn: () => Promise<unknown>, check: (e: unknown) => boolean): Promise<void> {
  try {
    await fn();
  } catch (e) {
    assert.ok(check(e), `unexpected error: ${(e as Error).message}`);
    return;
  }
  assert.unreachable('expected an error');
}

/** The rows of m whose target is finite (the engine's labeledRows), or null. */
function labeled(m: FeatureMatrix): FeatureMatrix | null {
  const t = m.targets!,
    keep: number[] = [];
  for (let r = 0; r < m.rows; r++) if (Number.isFinite(t[r]!)) keep.push(r);
  if (keep.length === 0) return null;
  const dense = m.kind === 'dense' ? m : m.toDense();
  const x = new Float32Array(keep.length * m.cols);
  keep.forEach((r, i) => x.set(dense.values.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  const pick = (a: Float32Array | null) => (a ? Float32Array.from(keep, (r) => a[r]!) : null);
  return FeatureMatrix.dense(keep.length, m.cols, x, { targets: pick(m.targets), weights: pick(m.weights) });
}

/** What the engine does with a model alone: per mini-batch, predict every row, then learn the labeled ones. */
async function alone(m: Model, x: FeatureMatrix, bs: number): Promise<Float32Array> {
  const out = new Float32Array(x.rows * m.outputs);
  for (let s = 0; s < x.rows; s += bs) {
    const mb = x.sliceRows(s, Math.min(x.rows, s + bs));
    out.set(await m.predict(mb), s * m.outputs);
    const l = labeled(mb);
    if (l) await m.learn(l);
  }
  return out;
}

/** Candidate k's columns of a block's rows × K × outputs predictions. */
function column(out: Float32Array, rows: number, K: number, O: number, k: number): Float32Array {
  const c = new Float32Array(rows * O);
  for (let r = 0; r < rows; r++) for (let o = 0; o < O; o++) c[r * O + o] = out[(r * K + k) * O + o]!;
  return c;
}

async function sameState(block: BatchedLinearBlock, k: number, m: Model, what: string): Promise<void> {
  const got = await block.state(k),
    want = await m.state();
  assertClose(got.params.w0!, want.params.w0!, ATOL, RTOL, `${what} w0`);
  assertClose(got.params.b0!, want.params.b0!, ATOL, RTOL, `${what} b0`);
  assert.is(got.step, want.step, `${what} step`);
  assert.equal(got.optimizer, want.optimizer, `${what} optimizer state`);
  assert.equal(got.options, want.options, `${what} options`);
  assert.equal([got.kind, got.task, got.inputs, got.outputs], [want.kind, want.task, want.inputs, want.outputs], `${what} shape`);
}

/**
 * Two calls (3 mini-batches, then 2 and a partial one) through the block and through each
 * candidate alone: predictions and states agree; candidate 1 is dropped between the calls; then
 * candidate 3's state goes through modelFromState and continues as the model alone does.
 */
async function race(kind: Kind, backend: 'cpu' | 'webgpu', bs: number, csr: boolean, device?: Backend): Promise<void> {
  const what = `${kind} ${backend} batch ${bs} ${csr ? 'csr' : 'dense'}`;
  const opts = candidates(kind, bs, backend);
  const extra = device ? { device } : {};
  const block = await BatchedLinearBlock.create(
    opts.map((o) => resolveModelOptions(o)),
    extra,
  );
  const models = await Promise.all(opts.map((o) => createModel({ ...o, ...extra })));
  const K = opts.length,
    O = kind === 'softmax' ? CLASSES : 1;
  assert.is(block.outputs, O);
  assert.is(block.backendName, backend);
  for (const m of models) assert.is(m.backendName, backend);
  const rng = new Rng(bs * 7 + (csr ? 1 : 0) + kind.length);
  for (const [call, rows] of [3 * bs, 2 * bs + 11].entries()) {
    const x = data(rng, rows, kind, csr);
    // The second call's first mini-batch has no label: predicted, no step.
    if (call === 1) x.targets!.fill(NaN, 0, bs);
    const out = new Float32Array(rows * K * O);
    // The cpu's synchronous pass, then the async one (the only one on webgpu).
    if (call === 0 && block.testThenTrain) block.testThenTrain(x, out);
    else await block.testThenTrainAsync(x, out);
    assert.is(block.testThenTrain === undefined, backend === 'webgpu', 'sync pass on the cpu only');
    for (let k = 0; k < K; k++) {
      if (!block.isAlive(k)) {
        assert.ok(
          column(out, rows, K, O, k).every((v) => Number.isNaN(v)),
          `${what}: dropped candidate ${k}'s outputs are NaN`,
        );
        continue;
      }
      const want = await alone(models[k]!, x, bs);
      assertClose(column(out, rows, K, O, k), want, ATOL, RTOL, `${what} call ${call} candidate ${k} predictions`);
      await sameState(block, k, models[k]!, `${what} call ${call} candidate ${k}`);
    }
    if (call === 0) {
      block.drop(1);
      assert.is(block.alive, K - 1);
      assert.not.ok(block.isAlive(1));
      assert.ok(block.isAlive(2));
      await rejects(
        () => block.state(1),
        (e: unknown) => e instanceof SpecError && /dropped/.test((e as Error).message),
      );
    }
  }
  // Candidate 3 leaves the block as a model of its own and goes on as the model alone does.
  const restored = await modelFromState(await block.state(3), extra);
  const x = data(rng, 2 * bs, kind, csr);
  const a = await alone(restored, x, bs),
    b = await alone(models[3]!, x, bs);
  assertClose(a, b, ATOL, RTOL, `${what}: restored candidate 3 predictions`);
  assertClose((await restored.state()).params.w0!, (await models[3]!.state()).params.w0!, ATOL, RTOL, `${what}: restored candidate 3 w0`);
  await block.dispose();
  for (const m of [...models, restored]) await m.dispose();
}

for (const kind of ['logistic', 'linear', 'softmax'] as const) {
  test(`cpu ${kind}: each candidate's predictions and state equal the model alone (dense, batch 32 and 64)`, async () => {
    await race(kind, 'cpu', 32, false);
    await race(kind, 'cpu', 64, false);
  });
  test(`cpu ${kind}: CSR input, batch 37`, async () => {
    await race(kind, 'cpu', 37, true);
  });
  gpu.test(test, `webgpu ${kind}: each candidate's predictions and state equal the model alone (dense batch 64, CSR batch 37)`, async (backend) => {
    await race(kind, 'webgpu', 64, false, backend);
    await race(kind, 'webgpu', 37, true, backend);
  });
}

test('cpu svm: σ(margin) outputs and hinge steps equal the model alone', async () => {
  await race('svm', 'cpu', 32, false);
});

gpu.test(test, 'webgpu: dispose releases every tensor the block made', async (backend) => {
  const dev = backend as WebGpuBackend;
  const live = new Set<number>();
  const { zeros, upload, release } = dev;
  dev.zeros = (shape, dtype) => {
    const t = zeros.call(dev, shape, dtype);
    live.add(t.id);
    return t;
  };
  dev.upload = (data, shape) => {
    const t = upload.call(dev, data, shape);
    live.add(t.id);
    return t;
  };
  dev.release = (t: Tensor) => {
    live.delete(t.id);
    release.call(dev, t);
  };
  try {
    const opts = candidates('logistic', 16, 'webgpu').map((o) => resolveModelOptions(o));
    const block = await BatchedLinearBlock.create(opts, { device: dev });
    const x = data(new Rng(3), 40, 'logistic', false);
    await block.testThenTrainAsync(x, new Float32Array(40 * 4));
    block.drop(0);
    await block.testThenTrainAsync(x, new Float32Array(40 * 4));
    assert.ok(live.size > 0);
    await block.dispose();
    assert.is(live.size, 0, 'tensors left');
    await rejects(
      () => block.testThenTrainAsync(x, new Float32Array(40 * 4)),
      (e) => e instanceof SchemaError,
    );
  } finally {
    delete (dev as Partial<WebGpuBackend>).zeros;
    delete (dev as Partial<WebGpuBackend>).upload;
    delete (dev as Partial<WebGpuBackend>).release;
  }
});

test('eligible and fits: sgd candidates of the linear kinds that differ in lr, l1, l2 and seed only', () => {
  const r = (o: Partial<ModelOptions>) => resolveModelOptions({ kind: 'logistic', optimizer: 'sgd', ...o } as ModelOptions);
  assert.ok(BatchedLinearBlock.eligible(r({})));
  assert.ok(BatchedLinearBlock.eligible(r({ kind: 'softmax', classes: 4, backend: 'webgpu' })));
  assert.not.ok(BatchedLinearBlock.eligible(r({ optimizer: 'adam' })));
  assert.not.ok(BatchedLinearBlock.eligible(r({ optimizer: 'normalized' })));
  assert.not.ok(BatchedLinearBlock.eligible(r({ schedule: 'inverse' })));
  assert.not.ok(BatchedLinearBlock.eligible(r({ schedule: { kind: 'constant', warmup: 10 } })));
  assert.not.ok(BatchedLinearBlock.eligible(r({ clip: 1 })));
  assert.not.ok(BatchedLinearBlock.eligible(r({ classWeights: [1, 2] })));
  assert.not.ok(BatchedLinearBlock.eligible(r({ backend: 'auto' })));
  assert.not.ok(BatchedLinearBlock.eligible(resolveModelOptions({ kind: 'mlp', optimizer: 'sgd', hidden: [4] })));
  assert.ok(BatchedLinearBlock.fits(r({ lr: 0.1, seed: 1 }), r({ lr: 0.3, l1: 0.01, l2: 0.1, seed: 9 })));
  assert.not.ok(BatchedLinearBlock.fits(r({}), r({ batchSize: 16 })));
  assert.not.ok(BatchedLinearBlock.fits(r({}), r({ backend: 'webgpu' })));
  assert.not.ok(BatchedLinearBlock.fits(r({}), r({ kind: 'svm' })));
  assert.throws(
    () => new BatchedLinearBlock([r({}), r({ batchSize: 8 })], undefined as unknown as Backend, false),
    (e: unknown) => e instanceof SpecError && /differs from candidate 0 in batchSize/.test((e as Error).message),
  );
});

test('cpu: equal sample weights within a mini-batch learn as the model alone, zero weights are not learned, differing weights throw', async () => {
  const opts = candidates('logistic', 16, 'cpu');
  const block = await BatchedLinearBlock.create(opts.map((o) => resolveModelOptions(o)));
  const models = await Promise.all(opts.map((o) => createModel(o)));
  // One weight per mini-batch of 16 (2, 0.5, 3), a few zeros.
  const w = Float32Array.from({ length: 48 }, (_, r) => [2, 0.5, 3][r >> 4]!);
  for (let r = 0; r < 48; r += 5) w[r] = 0;
  const x = data(new Rng(11), 48, 'logistic', false, w);
  const out = new Float32Array(48 * 4);
  await block.testThenTrainAsync(x, out);
  for (let k = 0; k < 4; k++) {
    assertClose(column(out, 48, 4, 1, k), await alone(models[k]!, x, 16), ATOL, RTOL, `candidate ${k} predictions`);
    await sameState(block, k, models[k]!, `candidate ${k}`);
  }
  w[7] = 3;
  const step = block.step;
  await rejects(
    () => block.testThenTrainAsync(x, out),
    (e: unknown) => e instanceof SchemaError && /sample weight of row 7/.test((e as Error).message),
  );
  assert.is(block.step, step, 'nothing learned');
  const bad = data(new Rng(2), 16, 'logistic', false);
  bad.targets![3] = 2;
  await rejects(
    () => block.testThenTrainAsync(bad, out),
    (e: unknown) => e instanceof SchemaError && /row 3 is 2/.test((e as Error).message),
  );
  await rejects(
    () => block.testThenTrainAsync(data(new Rng(2), 16, 'logistic', false), new Float32Array(10)),
    (e) => e instanceof SchemaError,
  );
  for (const m of models) await m.dispose();
  await block.dispose();
});

test.run();
