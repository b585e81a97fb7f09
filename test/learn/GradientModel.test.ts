import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix, Rng, SchemaError } from '../../src/core/index.js';
import type { OptimizerKind } from '../../src/kernels/index.js';
import { createModel, type ModelOptions, modelFromState } from '../../src/learn/index.js';
import { closeTo } from '../kernels/closeTo.js';

function data(rows: number, cols: number, seed: number, label: (x: number[], rng: Rng) => number): FeatureMatrix {
  const rng = new Rng(seed),
    x = new Float32Array(rows * cols),
    t = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < cols; c++) row.push((x[r * cols + c] = rng.normal()));
    t[r] = label(row, rng);
  }
  return FeatureMatrix.dense(rows, cols, x, { targets: t });
}

function toCsr(m: FeatureMatrix): FeatureMatrix {
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

async function rejects(f: () => Promise<unknown>, want: RegExp | (new (...a: never[]) => Error)): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (want instanceof RegExp) assert.match((e as Error).message, want);
    else assert.instance(e, want);
    return;
  }
  assert.unreachable('expected a rejection');
}

const sig = (z: number) => 1 / (1 + Math.exp(-z));

test('mini-batch semantics: one update per batch from the weighted mean gradient (hand-written reference loop)', async () => {
  const rows = 10,
    cols = 3,
    bs = 4,
    lr = 0.5,
    l2 = 0.01;
  const x = data(rows, cols, 7, (r) => (r[0]! - r[1]! > 0 ? 1 : 0));
  const sw = Float32Array.from({ length: rows }, (_, i) => 0.5 + (i % 3));
  const xw = FeatureMatrix.dense(rows, cols, x.values, { targets: x.targets, weights: sw });
  const model = await createModel({ kind: 'logistic', optimizer: 'sgd', lr, l2, batchSize: bs, schedule: { kind: 'inverse', decay: 0.5, power: 1 } });
  await model.learn(xw);
  // The reference: plain arrays, batches [0,4), [4,8), [8,10), L2 on weights only.
  const w = [0, 0, 0];
  let b = 0,
    t = 0;
  const losses: number[] = [];
  for (let s = 0; s < rows; s += bs) {
    const e = Math.min(rows, s + bs);
    const gw = [0, 0, 0];
    let gb = 0,
      sum = 0,
      loss = 0;
    for (let r = s; r < e; r++) {
      let z = b;
      for (let c = 0; c < cols; c++) z += w[c]! * x.values[r * cols + c]!;
      const y = x.targets![r]!,
        d = (sig(z) - y) * sw[r]!;
      loss += sw[r]! * (Math.log1p(Math.exp(z)) - y * z);
      for (let c = 0; c < cols; c++) gw[c]! += d * x.values[r * cols + c]!;
      gb += d;
      sum += sw[r]!;
    }
    t++;
    const rate = lr / (1 + 0.5 * (t - 1));
    for (let c = 0; c < cols; c++) w[c] = w[c]! - rate * (gw[c]! / sum + l2 * w[c]!);
    b -= (rate * gb) / sum;
    losses.push(loss / sum);
  }
  const st = await model.state();
  assert.is(model.step, 3);
  closeTo(st.params.w0!, w, 1e-6, 1e-5, 'weights');
  closeTo(st.params.b0!, [b], 1e-6, 1e-5, 'bias');
  closeTo([await model.lastLoss()], [losses.reduce((a, c) => a + c) / losses.length], 1e-6, 1e-5, 'mean batch loss');
  await model.dispose();
});

// Hand-written optimizer rules (Backend.optimizerStep's documented semantics) for a reference.
function refStep(kind: OptimizerKind, w: number[], g: number[], st: number[][], lr: number, l1: number, l2: number, t: number): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]! + l2 * w[i]!;
    let wi = w[i]!;
    if (kind === 'sgd') wi -= lr * gi;
    else if (kind === 'momentum' || kind === 'nesterov') {
      const v = (st[0]![i] = 0.9 * st[0]![i]! + gi);
      wi -= lr * (kind === 'nesterov' ? gi + 0.9 * v : v);
    } else if (kind === 'adam') {
      const m = (st[0]![i] = 0.9 * st[0]![i]! + 0.1 * gi),
        s = (st[1]![i] = 0.999 * st[1]![i]! + 0.001 * gi * gi);
      wi -= (lr * (m / (1 - 0.9 ** t))) / (Math.sqrt(s / (1 - 0.999 ** t)) + 1e-8);
    } else if (kind === 'adagrad') {
      const s = (st[0]![i]! += gi * gi);
      wi -= (lr * gi) / (Math.sqrt(s) + 1e-8);
    } else {
      const s = (st[0]![i] = 0.9 * st[0]![i]! + 0.1 * gi * gi);
      wi -= (lr * gi) / (Math.sqrt(s) + 1e-8);
    }
    w[i] = l1 > 0 ? Math.sign(wi) * Math.max(Math.abs(wi) - lr * l1, 0) : wi;
  }
}

for (const kind of ['sgd', 'momentum', 'nesterov', 'adam', 'adagrad', 'rmsprop'] as const) {
  test(`${kind} with L1 and L2: two steps of linear regression against hand-computed updates`, async () => {
    const x = FeatureMatrix.dense(2, 2, Float32Array.from([1, 2, -1, 0.5]), { targets: Float32Array.from([3, -1]) });
    const lr = 0.1,
      l1 = 0.05,
      l2 = 0.2;
    const model = await createModel({ kind: 'linear', optimizer: kind, lr, l1, l2, batchSize: 2 });
    const nState = kind === 'sgd' ? 0 : kind === 'adam' ? 2 : 1;
    const w = [0, 0],
      b = [0];
    const sw = Array.from({ length: nState }, () => [0, 0]),
      sb = Array.from({ length: nState }, () => [0]);
    for (let t = 1; t <= 2; t++) {
      await model.learn(x);
      const gw = [0, 0];
      let gb = 0;
      for (let r = 0; r < 2; r++) {
        const d = (b[0]! + w[0]! * x.values[2 * r]! + w[1]! * x.values[2 * r + 1]! - x.targets![r]!) / 2;
        gw[0]! += d * x.values[2 * r]!;
        gw[1]! += d * x.values[2 * r + 1]!;
        gb += d;
      }
      refStep(kind, w, gw, sw, lr, l1, l2, t);
      refStep(kind, b, [gb], sb, lr, 0, 0, t);
    }
    const st = await model.state();
    closeTo(st.params.w0!, w, 1e-6, 1e-5, `${kind} weights`);
    closeTo(st.params.b0!, b, 1e-6, 1e-5, `${kind} bias`);
    for (let s = 0; s < nState; s++) closeTo(st.optimizer[`w0/${s}`]!, sw[s]!, 1e-6, 1e-5, `${kind} state ${s}`);
    assert.ok(
      w.some((v) => v !== 0),
      'the reference moved',
    );
    await model.dispose();
  });
}

test('L1 drives an irrelevant weight to exactly zero', async () => {
  const x = data(2000, 3, 11, (r) => 2 * r[0]!);
  const model = await createModel({ kind: 'linear', optimizer: 'sgd', lr: 0.05, l1: 0.05, batchSize: 8 });
  await model.learn(x);
  const w = (await model.state()).params.w0!;
  assert.is(w[1], 0);
  assert.is(w[2], 0);
  assert.ok(w[0]! > 1.5, `kept the relevant weight: ${w[0]}`);
});

test('CSR input gives the same trajectory as the same data dense (linear and MLP)', async () => {
  const x = data(64, 6, 3, (r) => (r[0]! + r[3]! > 0 ? 1 : 0));
  // Zero out half the entries so the CSR form is genuinely sparse.
  for (let i = 0; i < x.values.length; i += 2) x.values[i] = 0;
  const csr = toCsr(x);
  assert.ok(csr.nnz < x.rows * x.cols);
  for (const o of [
    { kind: 'logistic', optimizer: 'adam', lr: 0.05 },
    { kind: 'mlp', hidden: [5], activation: 'tanh' },
  ] as ModelOptions[]) {
    const a = await createModel({ ...o, batchSize: 8, seed: 9 }),
      b = await createModel({ ...o, batchSize: 8, seed: 9 });
    await a.learn(x);
    await b.learn(csr);
    const sa = await a.state(),
      sb = await b.state();
    for (const k of Object.keys(sa.params)) closeTo(sb.params[k]!, sa.params[k]!, 1e-6, 1e-5, `${o.kind} ${k}`);
    closeTo(await b.predict(csr), await a.predict(x), 1e-6, 1e-5, `${o.kind} predictions`);
  }
});

test('sample weight 2 equals the row twice; class weights equal the matching sample weights', async () => {
  const base = data(6, 2, 5, (r) => (r[0]! > 0 ? 1 : 0));
  const dup = [0, 0, 1, 2, 3, 4, 5];
  const xd = FeatureMatrix.dense(7, 2, Float32Array.from(dup.flatMap((r) => [base.values[2 * r]!, base.values[2 * r + 1]!])), {
    targets: Float32Array.from(dup.map((r) => base.targets![r]!)),
  });
  const xw = FeatureMatrix.dense(6, 2, base.values, { targets: base.targets, weights: Float32Array.from([2, 1, 1, 1, 1, 1]) });
  const opts: ModelOptions = { kind: 'logistic', optimizer: 'momentum', lr: 0.3, batchSize: 100 };
  const a = await createModel(opts),
    b = await createModel(opts);
  await a.learn(xd);
  await b.learn(xw);
  closeTo((await b.state()).params.w0!, (await a.state()).params.w0!, 1e-6, 1e-5, 'weights');
  const cw = [0.5, 3];
  const c = await createModel({ ...opts, classWeights: cw });
  const d = await createModel(opts);
  await c.learn(base);
  await d.learn(FeatureMatrix.dense(6, 2, base.values, { targets: base.targets, weights: Float32Array.from(base.targets!, (t) => cw[t]!) }));
  closeTo((await c.state()).params.w0!, (await d.state()).params.w0!, 1e-7, 1e-6, 'class weights');
  assert.not.equal((await c.state()).params.w0, (await a.state()).params.w0);
});

test('clip: the first SGD step moves the parameters by exactly lr·clip in global norm', async () => {
  const x = data(16, 4, 2, (r) => 10 * r[0]! + 5);
  const model = await createModel({ kind: 'mlp', hidden: [3], output: 'identity', optimizer: 'sgd', lr: 0.1, clip: 0.5, batchSize: 16, seed: 4, inputs: 4 });
  const before = await model.state();
  await model.learn(x);
  const after = await model.state();
  let sq = 0;
  for (const k of Object.keys(before.params))
    after.params[k]!.forEach((v, i) => {
      sq += (v - before.params[k]![i]!) ** 2;
    });
  assert.ok(Math.abs(Math.sqrt(sq) - 0.05) < 1e-5, `step norm ${Math.sqrt(sq)}`);
});

test('state() round trip gives identical predictions and continues training identically', async () => {
  for (const o of [
    { kind: 'softmax', classes: 3, optimizer: 'adam', lr: 0.05 },
    { kind: 'mlp', hidden: [6, 4], activation: 'sigmoid', output: 'softmax', classes: 3, optimizer: 'rmsprop', lr: 0.01 },
    { kind: 'svm', optimizer: 'nesterov', l2: 0.01 },
  ] as ModelOptions[]) {
    const x = data(50, 4, 8, (r) => (o.kind === 'svm' ? (r[1]! > 0 ? 1 : 0) : r[0]! > 0.5 ? 2 : r[0]! > -0.5 ? 1 : 0));
    const a = await createModel({ ...o, batchSize: 7, seed: 3 });
    await a.learn(x);
    const st = JSON.parse(JSON.stringify(await a.state()));
    const b = await modelFromState(st);
    assert.is(b.step, a.step);
    assert.equal(await b.predict(x), await a.predict(x), `${o.kind} predictions`);
    await a.learn(x);
    await b.learn(x);
    assert.equal(await b.predict(x), await a.predict(x), `${o.kind} after more training`);
  }
});

test('softmax and MLP predictions are distributions; multiclass MLP outputs one column per class', async () => {
  const x = data(20, 3, 1, (r) => (r[0]! > 0 ? 2 : 0));
  const m = await createModel({ kind: 'mlp', hidden: [4], classes: 3, task: 'multiclass', batchSize: 5 });
  await m.learn(x);
  const p = await m.predict(x);
  assert.is(p.length, 60);
  for (let r = 0; r < 20; r++) assert.ok(Math.abs(p[3 * r]! + p[3 * r + 1]! + p[3 * r + 2]! - 1) < 1e-5);
});

test('bad inputs: wrong width, missing targets, labels out of range', async () => {
  const m = await createModel({ kind: 'softmax', classes: 3, inputs: 2 });
  assert.is(m.inputs, 2);
  await rejects(() => m.predict(FeatureMatrix.dense(1, 3, new Float32Array(3))), SchemaError);
  await rejects(() => m.learn(FeatureMatrix.dense(1, 2, new Float32Array(2))), /targets/);
  await rejects(() => m.learn(FeatureMatrix.dense(2, 2, new Float32Array(4), { targets: Float32Array.from([1, 3]) })), /row 1 is 3/);
  const l = await createModel({ kind: 'logistic' });
  await rejects(() => l.learn(FeatureMatrix.dense(1, 2, new Float32Array(2), { targets: Float32Array.from([2]) })), SchemaError);
  assert.is(Number.isNaN(await l.lastLoss()), true);
  await rejects(
    () => l.learn(FeatureMatrix.dense(1, 2, new Float32Array(2), { targets: Float32Array.from([1]), weights: Float32Array.from([-1]) })),
    /sample weight of row 0/,
  );
});

/** Predict, then learn the labeled rows, per mini-batch of `bs`: what testThenTrain must equal. */
async function predictThenLearn(model: Awaited<ReturnType<typeof createModel>>, x: FeatureMatrix, bs: number): Promise<Float32Array> {
  const out = new Float32Array(x.rows * model.outputs);
  for (let s = 0; s < x.rows; s += bs) {
    const e = Math.min(x.rows, s + bs);
    const part = x.sliceRows(s, e);
    out.set(await model.predict(part), s * model.outputs);
    const keep = [...part.targets!.keys()].filter((i) => Number.isFinite(part.targets![i]!));
    if (keep.length === 0) continue;
    if (keep.length === part.rows) {
      await model.learn(part);
      continue;
    }
    const dense = part.toDense();
    const values = new Float32Array(keep.length * x.cols);
    keep.forEach((i, k) => values.set(dense.values.subarray(i * x.cols, (i + 1) * x.cols), k * x.cols));
    const labeled = FeatureMatrix.dense(keep.length, x.cols, values, { targets: Float32Array.from(keep, (i) => part.targets![i]!) });
    await model.learn(x.kind === 'csr' ? toCsr(labeled) : labeled);
  }
  return out;
}

test('testThenTrain (cpu): each mini-batch predicted by the model before it, then learned; bit-identical to predict then learn', async () => {
  const cases: Array<{ o: ModelOptions; label: (r: number[], rng: Rng) => number; csr?: boolean }> = [
    {
      o: { kind: 'mlp', task: 'multiclass', classes: 3, hidden: [5], optimizer: 'adam', lr: 0.05, batchSize: 4, seed: 3 },
      label: (r) => (r[0]! > 0.5 ? 2 : r[1]! > 0 ? 1 : 0),
    },
    { o: { kind: 'mlp', task: 'regression', hidden: [6, 3], optimizer: 'sgd', lr: 0.05, batchSize: 3, seed: 4 }, label: (r) => r[0]! - 2 * r[2]! },
    // (A one-output linear or logistic model on the cpu is a LinearModel: softmax stays here.)
    { o: { kind: 'softmax', classes: 3, optimizer: 'sgd', lr: 0.3, batchSize: 4 }, label: (r) => (r[0]! + r[1]! > 0 ? 1 : r[3]! > 0 ? 2 : 0), csr: true },
  ];
  for (const { o, label, csr } of cases) {
    const base = data(23, 4, 11, label);
    // Row 5 has no label (predicted, not learned); row 6's mini-batch still learns its other rows.
    const t = base.targets!.slice();
    t[5] = Number.NaN;
    const dense = FeatureMatrix.dense(base.rows, base.cols, base.values, { targets: t });
    const x = csr ? toCsr(dense) : dense;
    const a = await createModel({ ...o, backend: 'cpu' }),
      b = await createModel({ ...o, backend: 'cpu' });
    assert.type(a.testThenTrain, 'function', `${o.kind} on the cpu has testThenTrain`);
    const got = new Float32Array(x.rows * a.outputs);
    // Two calls (a cut at a mini-batch boundary) are the same as one.
    const bs = o.batchSize!;
    a.testThenTrain!(x.sliceRows(0, 2 * bs), got.subarray(0, 2 * bs * a.outputs));
    a.testThenTrain!(x.sliceRows(2 * bs, x.rows), got.subarray(2 * bs * a.outputs));
    const want = await predictThenLearn(b, x, bs);
    assert.equal(Array.from(got), Array.from(want), `${o.kind} predictions`);
    const [sa, sb] = [await a.state(), await b.state()];
    assert.equal(sa.params, sb.params, `${o.kind} weights`);
    assert.is(sa.step, sb.step);
    assert.is(sa.step, Math.ceil(x.rows / bs));
    // The first mini-batch was predicted by the untrained model: later ones by a trained one.
    assert.not.equal(Array.from(got.subarray(0, a.outputs)), Array.from(got.subarray(-a.outputs)));
    await a.dispose();
    await b.dispose();
  }
});

test('testThenTrain: absent with clipping (it reads the norm back); bad targets and a short output fail', async () => {
  const clipped = await createModel({ kind: 'mlp', hidden: [3], clip: 1, backend: 'cpu' });
  assert.is(clipped.testThenTrain, undefined);
  const m = await createModel({ kind: 'mlp', task: 'multiclass', classes: 2, hidden: [3], backend: 'cpu', batchSize: 2 });
  const x = FeatureMatrix.dense(2, 2, new Float32Array([1, 2, 3, 4]), { targets: new Float32Array([0, 5]) });
  assert.throws(() => m.testThenTrain!(x, new Float32Array(4)), /multiclass target of row 1 is 5, expected a class index in \[0, 2\)/);
  assert.throws(() => m.testThenTrain!(x, new Float32Array(3)), /needs room for 2×2 predictions, got 3/);
  assert.throws(
    () => m.testThenTrain!(FeatureMatrix.dense(1, 2, new Float32Array(2)), new Float32Array(2)),
    /testThenTrain needs a FeatureMatrix with targets/,
  );
});

test.run();
