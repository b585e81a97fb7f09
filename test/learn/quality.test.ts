/**
 * Quality bars, deterministic under fixed seeds. Progressive accuracy = predict a batch, score it,
 * then learn it (test-then-train), in a plain loop. Figures are printed for the report.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Batch, FeatureMatrix, Rng } from '../../src/core/index.js';
import { createModel, type Model, type ModelOptions } from '../../src/learn/index.js';
import { RandomRBFGenerator, SEAGenerator } from '../../src/synth/index.js';

function matrix(b: Batch, features: string[], center: number, scale: number): FeatureMatrix {
  const cols = features.map((c) => (b.column(c) as { values: Float64Array }).values);
  const n = b.length,
    x = new Float32Array(n * cols.length);
  for (let r = 0; r < n; r++) for (let c = 0; c < cols.length; c++) x[r * cols.length + c] = (cols[c]![r]! - center) / scale;
  return FeatureMatrix.dense(n, cols.length, x, { targets: Float32Array.from((b.column('class') as { values: Int32Array }).values) });
}

function argmax(p: Float32Array, r: number, k: number): number {
  if (k === 1) return p[r]! >= 0.5 ? 1 : 0;
  let best = 0;
  for (let c = 1; c < k; c++) if (p[r * k + c]! > p[r * k + best]!) best = c;
  return best;
}

async function progressive(m: Model, next: () => FeatureMatrix, batches: number): Promise<number> {
  let correct = 0,
    total = 0;
  for (let i = 0; i < batches; i++) {
    const x = next();
    const p = await m.predict(x);
    for (let r = 0; r < x.rows; r++) if (argmax(p, r, m.outputs) === x.targets![r]) correct++;
    total += x.rows;
    await m.learn(x);
  }
  return correct / total;
}

const SEA = ['attrib1', 'attrib2', 'attrib3'];

for (const o of [
  { kind: 'logistic', optimizer: 'adam', lr: 0.05, batchSize: 16 },
  { kind: 'logistic', optimizer: 'ftrl', lr: 0.5, batchSize: 1 },
  { kind: 'passiveAggressive', variant: 'PA-I', C: 1 },
] as ModelOptions[]) {
  test(`${o.kind} (${o.optimizer ?? o.variant}) on noiseless SEA: progressive accuracy ≥ 97% over 20k rows`, async () => {
    const g = new SEAGenerator({ noise: 0, seed: 3 });
    const m = await createModel(o);
    const chunk = o.batchSize ?? 1;
    // Attributes are uniform on [0, 10): centred and scaled to unit variance (σ = 10/√12).
    const acc = await progressive(m, () => matrix(g.next(chunk === 1 ? 50 : chunk), SEA, 5, 10 / Math.sqrt(12)), 20000 / (chunk === 1 ? 50 : chunk));
    console.log(`  SEA ${o.kind}/${o.optimizer ?? o.variant}: progressive accuracy ${(100 * acc).toFixed(2)}%`);
    assert.ok(acc >= 0.97, `accuracy ${acc}`);
    await m.dispose();
  });
}

test('linear regression recovers known coefficients to 1e-3 on noiseless data', async () => {
  const coef = [1.5, -2, 0.5, 0.25],
    intercept = 3,
    rng = new Rng(17);
  const m = await createModel({ kind: 'linear', optimizer: 'sgd', lr: 0.1, batchSize: 32 });
  for (let i = 0; i < 200; i++) {
    const x = new Float32Array(32 * 4),
      t = new Float32Array(32);
    for (let r = 0; r < 32; r++) {
      let y = intercept;
      for (let c = 0; c < 4; c++) {
        const v = rng.normal();
        x[r * 4 + c] = v;
        y += coef[c]! * v;
      }
      t[r] = y;
    }
    await m.learn(FeatureMatrix.dense(32, 4, x, { targets: t }));
  }
  const st = await m.state();
  const err = Math.max(...st.params.w0!.map((w, i) => Math.abs(w - coef[i]!)), Math.abs(st.params.b0![0]! - intercept));
  console.log(`  linear regression: max coefficient error ${err.toExponential(2)}`);
  assert.ok(err <= 1e-3, `max error ${err}`);
});

function moons(n: number, seed: number): FeatureMatrix {
  // Two interleaved half circles (scikit-learn's make_moons) with Gaussian noise σ = 0.1.
  const rng = new Rng(seed),
    x = new Float32Array(2 * n),
    t = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2,
      a = Math.PI * rng.float();
    x[2 * i] = (c === 0 ? Math.cos(a) : 1 - Math.cos(a)) + rng.normal(0, 0.1);
    x[2 * i + 1] = (c === 0 ? Math.sin(a) : 0.5 - Math.sin(a)) + rng.normal(0, 0.1);
    t[i] = c;
  }
  return FeatureMatrix.dense(n, 2, x, { targets: t });
}

test('an MLP learns two interleaved moons to ≥ 98% (held-out rows)', async () => {
  const train = moons(1000, 1),
    held = moons(2000, 2);
  const m = await createModel({ kind: 'mlp', hidden: [16, 16], activation: 'tanh', optimizer: 'adam', lr: 0.01, batchSize: 16, seed: 1 });
  for (let epoch = 0; epoch < 30; epoch++) await m.learn(train);
  const p = await m.predict(held);
  let correct = 0;
  for (let r = 0; r < held.rows; r++) if ((p[r]! >= 0.5 ? 1 : 0) === held.targets![r]) correct++;
  const lin = await createModel({ kind: 'logistic', optimizer: 'adam', lr: 0.01, batchSize: 16 });
  for (let epoch = 0; epoch < 30; epoch++) await lin.learn(train);
  const pl = await lin.predict(held);
  let linCorrect = 0;
  for (let r = 0; r < held.rows; r++) if ((pl[r]! >= 0.5 ? 1 : 0) === held.targets![r]) linCorrect++;
  console.log(`  moons: MLP ${((100 * correct) / held.rows).toFixed(2)}%, logistic regression ${((100 * linCorrect) / held.rows).toFixed(2)}%`);
  assert.ok(correct / held.rows >= 0.98, `MLP accuracy ${correct / held.rows}`);
  // The moons are not linearly separable: the hidden layers are what does it.
  assert.ok(linCorrect / held.rows < 0.95);
});

test('softmax regression on a 10-class RandomRBF stream: well above chance', async () => {
  const g = new RandomRBFGenerator({ numClasses: 10, numAttributes: 10, numCentroids: 50, seed: 5 });
  const feats = Array.from({ length: 10 }, (_, i) => `att${i + 1}`);
  const m = await createModel({ kind: 'softmax', classes: 10, optimizer: 'adam', lr: 0.02, batchSize: 32 });
  const counts = new Array<number>(10).fill(0);
  const acc = await progressive(
    m,
    () => {
      const x = matrix(g.next(32), feats, 0.5, 0.3);
      x.targets!.forEach((t) => counts[t]!++);
      return x;
    },
    20000 / 32,
  );
  const majority = Math.max(...counts) / counts.reduce((a, c) => a + c);
  console.log(`  RandomRBF 10 classes: softmax progressive accuracy ${(100 * acc).toFixed(2)}% (chance 10%, majority class ${(100 * majority).toFixed(2)}%)`);
  assert.ok(acc >= 2 * majority, `accuracy ${acc} vs majority ${majority}`);
});

test.run();
