import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix } from '../../src/core/index.js';
import { createModel } from '../../src/learn/index.js';
import { closeTo } from '../kernels/closeTo.js';

const X = FeatureMatrix.dense(2, 2, Float32Array.from([1, 2, -1, 1]), { targets: Float32Array.from([1, 0]) });

test('PA-I classification: hand-computed closed-form steps', async () => {
  const m = await createModel({ kind: 'passiveAggressive', variant: 'PA-I', C: 0.1 });
  await m.learn(X);
  // Row 1: s = 0, ℓ = 1, q = 1 + 4 + 1 = 6, τ = min(0.1, 1/6) = 0.1, y = +1: w = [0.1, 0.2], b = 0.1.
  // Row 2: y = −1, s = 0.1 − 0.1 + 0.2 = 0.2, ℓ = 1.2, q = 3, τ = min(0.1, 0.4) = 0.1: w = [0.2, 0.1], b = 0.
  const st = await m.state();
  closeTo(st.params.w0!, [0.2, 0.1], 1e-12, 1e-9, 'w');
  closeTo(st.params.b0!, [0], 1e-12, 1e-9, 'b');
  closeTo([await m.lastLoss()], [(1 + 1.2) / 2], 1e-12, 1e-9, 'mean hinge loss');
  assert.is(m.step, 2);
});

test('PA and PA-II classification steps', async () => {
  const pa = await createModel({ kind: 'passiveAggressive', variant: 'PA' });
  await pa.learn(FeatureMatrix.dense(1, 2, Float32Array.from([1, 2]), { targets: Float32Array.from([1]) }));
  closeTo((await pa.state()).params.w0!, [1 / 6, 2 / 6], 1e-12, 1e-9, 'PA: τ = ℓ/q');
  const pa2 = await createModel({ kind: 'passiveAggressive', variant: 'PA-II', C: 0.1 });
  await pa2.learn(FeatureMatrix.dense(1, 2, Float32Array.from([1, 2]), { targets: Float32Array.from([1]) }));
  closeTo((await pa2.state()).params.w0!, [1 / 11, 2 / 11], 1e-12, 1e-9, 'PA-II: τ = ℓ/(q + 1/2C)');
});

test('PA regression: ε-insensitive update; inside the tube nothing moves', async () => {
  const m = await createModel({ kind: 'passiveAggressive', task: 'regression', variant: 'PA', epsilon: 0.1 });
  await m.learn(FeatureMatrix.dense(1, 1, Float32Array.from([2]), { targets: Float32Array.from([1]) }));
  // s = 0, ℓ = 0.9, q = 5, τ = 0.18: w = 0.36, b = 0.18; the prediction is now 0.9 = y − ε.
  let st = await m.state();
  closeTo([...st.params.w0!, ...st.params.b0!], [0.36, 0.18], 1e-12, 1e-9, 'w, b');
  closeTo(await m.predict(FeatureMatrix.dense(1, 1, Float32Array.from([2]))), [0.9], 1e-6, 1e-6, 'on the tube edge');
  await m.learn(FeatureMatrix.dense(1, 1, Float32Array.from([2]), { targets: Float32Array.from([0.95]) }));
  st = await m.state();
  closeTo([...st.params.w0!, ...st.params.b0!], [0.36, 0.18], 1e-12, 1e-9, 'passive inside ε');
});

test('sample weight scales C for PA-I', async () => {
  const m = await createModel({ kind: 'passiveAggressive', variant: 'PA-I', C: 0.1 });
  await m.learn(FeatureMatrix.dense(1, 2, Float32Array.from([1, 2]), { targets: Float32Array.from([1]), weights: Float32Array.from([0.5]) }));
  closeTo((await m.state()).params.w0!, [0.05, 0.1], 1e-12, 1e-9, 'τ = min(C·w, ℓ/q)');
});

test.run();
