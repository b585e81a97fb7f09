import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix } from '../../src/core/index.js';
import { createModel, modelFromState } from '../../src/learn/index.js';
import { closeTo } from '../kernels/closeTo.js';

// A few sparse rows: feature indices and values, label.
const ROWS: Array<[number[], number[], number]> = [
  [[0, 2], [1, 0.5], 1],
  [[1], [2], 0],
  [[0, 1, 3], [-1, 1, 0.25], 1],
  [[2, 3], [1, -2], 0],
  [[0], [3], 1],
];

function csr(rows = ROWS): FeatureMatrix {
  const indptr = [0],
    idx: number[] = [],
    val: number[] = [];
  for (const [i, v] of rows) {
    idx.push(...i);
    val.push(...v);
    indptr.push(idx.length);
  }
  return FeatureMatrix.csr(rows.length, 4, Int32Array.from(indptr), Int32Array.from(idx), Float32Array.from(val), {
    targets: Float32Array.from(rows.map((r) => r[2])),
  });
}

test('FTRL-Proximal matches a hand-written Algorithm 1 (McMahan et al. 2013), row by row', async () => {
  const alpha = 0.5,
    beta = 1,
    l1 = 0.1,
    l2 = 0.2;
  const m = await createModel({ kind: 'logistic', optimizer: 'ftrl', lr: alpha, ftrlBeta: beta, l1, l2, batchSize: 1 });
  for (let pass = 0; pass < 3; pass++) await m.learn(csr());
  const z = new Array<number>(5).fill(0),
    n = new Array<number>(5).fill(0);
  const weight = (i: number) => (Math.abs(z[i]!) <= l1 ? 0 : -(z[i]! - Math.sign(z[i]!) * l1) / ((beta + Math.sqrt(n[i]!)) / alpha + l2));
  for (let pass = 0; pass < 3; pass++) {
    for (const [idx, val, y] of ROWS) {
      const I = [...idx, 4],
        X = [...val, 1]; // index 4: the bias feature
      const w = I.map(weight);
      const p = 1 / (1 + Math.exp(-I.reduce((s, _, k) => s + w[k]! * X[k]!, 0)));
      I.forEach((i, k) => {
        const g = (p - y) * X[k]!,
          sigma = (Math.sqrt(n[i]! + g * g) - Math.sqrt(n[i]!)) / alpha;
        z[i] = z[i]! + g - sigma * w[k]!;
        n[i] = n[i]! + g * g;
      });
    }
  }
  const st = await m.state();
  closeTo(st.optimizer.z!, z, 1e-9, 1e-6, 'z');
  closeTo(st.optimizer.n!, n, 1e-9, 1e-6, 'n');
  closeTo(st.params.w0!, [0, 1, 2, 3].map(weight), 1e-9, 1e-6, 'weights');
  assert.is(m.step, 15);
  // The same rows dense give the same state; the state round trip gives the same predictions.
  const d = await createModel({ kind: 'logistic', optimizer: 'ftrl', lr: alpha, ftrlBeta: beta, l1, l2, batchSize: 1 });
  for (let pass = 0; pass < 3; pass++) await d.learn(csr().toDense());
  closeTo((await d.state()).optimizer.z!, z, 1e-9, 1e-6, 'dense z');
  const r = await modelFromState(JSON.parse(JSON.stringify(st)));
  assert.equal(await r.predict(csr()), await m.predict(csr()));
});

test('FTRL mini-batch: one update from the mean gradient, all rows scored with the weights from before', async () => {
  const m = await createModel({ kind: 'linear', optimizer: 'ftrl', lr: 1, batchSize: 5 });
  await m.learn(csr());
  // From zero state every weight is 0, so each row's gradient is (0 − y)·x; the mean over 5 rows.
  const g = new Array<number>(5).fill(0);
  for (const [idx, val, y] of ROWS) {
    idx.forEach((i, k) => {
      g[i]! += (-y * val[k]!) / 5;
    });
    g[4]! += -y / 5;
  }
  const st = await m.state();
  // With w = 0 before the step, z = g (σ·w vanishes) and n = g².
  closeTo(st.optimizer.z!, g, 1e-9, 1e-6, 'z');
  closeTo(
    st.optimizer.n!,
    g.map((v) => v * v),
    1e-9,
    1e-6,
    'n',
  );
  assert.is(m.step, 1);
});

test.run();
