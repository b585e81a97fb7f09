import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, SpecError } from '../../../src/core/index.js';
import { BatchedLinear, BatchedLinearGpu, type BatchedLoss, type ModelHyper } from '../../../src/kernels/batched/index.js';
import { assertClose } from './assertClose.js';
import { openSoftwareGpu, type SoftwareGpu } from './softwareGpu.js';

/** Seeded batch: x N(0,1), targets by a fixed linear rule per loss kind. */
function batch(rng: Rng, rows: number, d: number, loss: BatchedLoss, classes: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(rows * d),
    y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = rng.normal();
      x[r * d + j] = v;
      s += v * ((j % 3) - 1) * 0.7;
    }
    y[r] = loss === 'squared' ? s + 0.1 * rng.normal() : loss === 'softmax' ? Math.abs(Math.trunc(s * 2)) % classes : s > 0 ? 1 : 0;
  }
  return { x, y };
}

function hypers(k: number): ModelHyper[] {
  return Array.from({ length: k }, (_, m) => ({ lr: 0.02 * (1 + m), l2: (m % 3) * 0.01, l1: m % 4 === 3 ? 0.002 : 0 }));
}

test('cpu: K models in one BatchedLinear equal K independent single-model runs', () => {
  const rng = new Rng(21);
  const d = 6,
    k = 5,
    hyper = hypers(k);
  const all = new BatchedLinear({ features: d, loss: 'logistic', hyper, seed: 3 });
  const singles = hyper.map((h) => new BatchedLinear({ features: d, loss: 'logistic', hyper: [h] }));
  singles.forEach((s, m) => s.w.set(all.weights(m).w));
  for (let s = 0; s < 4; s++) {
    const { x, y } = batch(rng, 33, d, 'logistic', 2);
    all.step(x, y, 33);
    singles.forEach((one) => one.step(x, y, 33));
  }
  singles.forEach((one, m) => {
    assertClose(all.weights(m).w, one.w, 0, 0, `model ${m} w`);
    assertClose(all.weights(m).b, one.b, 0, 0, `model ${m} b`);
    assert.is(all.lastLoss[m], one.lastLoss[0]);
  });
});

test('cpu: squared loss learns a linear rule; a larger lr (within range) gets lower loss sooner', () => {
  const rng = new Rng(4);
  const d = 4;
  const bl = new BatchedLinear({ features: d, loss: 'squared', hyper: [{ lr: 0.01 }, { lr: 0.2 }] });
  for (let s = 0; s < 60; s++) {
    const { x, y } = batch(rng, 32, d, 'squared', 1);
    bl.step(x, y, 32);
  }
  assert.ok(bl.lastLoss[1]! < bl.lastLoss[0]!, `losses ${bl.lastLoss}`);
  assert.ok(bl.lastLoss[1]! < 0.05, `fast model loss ${bl.lastLoss[1]}`);
});

test('cpu: toJSON/fromJSON round-trips and training continues identically', () => {
  const rng = new Rng(8);
  const a = new BatchedLinear({ features: 3, outputs: 3, loss: 'softmax', hyper: hypers(3), seed: 1 });
  const b0 = batch(rng, 10, 3, 'softmax', 3);
  a.step(b0.x, b0.y, 10);
  const b = BatchedLinear.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  const b1 = batch(rng, 10, 3, 'softmax', 3);
  a.step(b1.x, b1.y, 10);
  b.step(b1.x, b1.y, 10);
  assertClose(b.w, a.w, 0, 0, 'w');
});

test('options and inputs are checked: SpecError names the option, KernelError the step', () => {
  assert.throws(
    () => new BatchedLinear({ features: 3, loss: 'logistic', hyper: [{ lr: 0.1 }, { lr: -1 }] }),
    (e: unknown) => e instanceof SpecError && e.path === 'hyper[1].lr',
  );
  assert.throws(
    () => new BatchedLinear({ features: 3, loss: 'logistic', outputs: 2, hyper: [{ lr: 0.1 }] }),
    (e: unknown) => e instanceof SpecError && e.path === 'outputs',
  );
  const bl = new BatchedLinear({ features: 2, outputs: 3, loss: 'softmax', hyper: [{ lr: 0.1 }] });
  assert.throws(() => bl.step(new Float32Array(4), new Float32Array([0, 3]), 2), /batchedLinear\.step.*class index/);
  assert.throws(() => bl.step(new Float32Array(3), new Float32Array(2), 2), /batchedLinear\.step/);
});

let gpu: SoftwareGpu | null = null;
test.before(async () => {
  gpu = await openSoftwareGpu();
});
test.after(() => {
  gpu?.close();
  gpu = null;
});

// [loss, K, d, classes, rows]: K = 1 and primes, d past the 64-wide workgroup, ragged batches.
const CASES: Array<[BatchedLoss, number, number, number, number[]]> = [
  ['squared', 1, 1, 1, [1, 5, 3]],
  ['logistic', 7, 13, 1, [64, 65, 17]],
  ['hinge', 3, 67, 1, [31, 31, 7]],
  ['softmax', 5, 11, 4, [50, 129, 3]],
  ['logistic', 31, 131, 1, [256, 256, 100]],
];

test('webgpu: K models in one dispatch per phase match the CPU reference over several steps', async () => {
  if (!gpu) {
    console.log('  (no WebGPU adapter: skipped)');
    return;
  }
  const rng = new Rng(99);
  for (const [loss, k, d, classes, batches] of CASES) {
    const opts = { features: d, outputs: loss === 'softmax' ? classes : 1, loss, hyper: hypers(k), seed: 5, initStd: 0.1 };
    const cpu = new BatchedLinear(opts);
    const g = new BatchedLinearGpu(gpu, gpu.ctx, opts);
    for (const rows of batches) {
      const { x, y } = batch(rng, rows, d, loss, classes);
      cpu.step(x, y, rows);
      g.step(x, y, rows);
    }
    await gpu.sync();
    const what = `${loss} K=${k} d=${d}`;
    const got = await g.allWeights();
    assertClose(got.w, cpu.w, 1e-5, 1e-4, `${what} w`);
    assertClose(got.b, cpu.b, 1e-5, 1e-4, `${what} b`);
    assertClose(await g.lastLoss(), cpu.lastLoss, 1e-5, 1e-4, `${what} loss`);
    const m = k - 1,
      one = await g.weights(m);
    assertClose(one.w, cpu.weights(m).w, 1e-5, 1e-4, `${what} weights(${m})`);
    g.dispose();
  }
});

test.run();
