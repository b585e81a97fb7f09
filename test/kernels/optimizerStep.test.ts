import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { OPTIMIZER_STATE, type OptimizerHyper, type OptimizerKind } from '../../src/kernels/Backend.js';
import { optimizerStepCpu } from '../../src/kernels/cpu/optimizerStepCpu.js';
import { optimizerStepGpu } from '../../src/kernels/webgpu/optimizerStepGpu.js';
import { assertClose } from './batched/assertClose.js';
import { openSoftwareGpu, type SoftwareGpu } from './batched/softwareGpu.js';

const KINDS: OptimizerKind[] = ['sgd', 'momentum', 'nesterov', 'adam', 'adagrad', 'rmsprop'];

function randn(rng: Rng, n: number, std = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal(0, std);
  return a;
}

test('cpu: sgd with L2 equals sgd on the gradient plus l2·w', () => {
  const rng = new Rng(1);
  const w = randn(rng, 9),
    g = randn(rng, 9);
  const a = w.slice(),
    b = w.slice();
  optimizerStepCpu('sgd', a, g, [], { lr: 0.1, l2: 0.5, step: 1 });
  const g2 = g.map((x, i) => x + 0.5 * w[i]!);
  optimizerStepCpu('sgd', b, g2, [], { lr: 0.1, step: 1 });
  assertClose(a, b, 1e-7, 1e-6, 'w');
  for (let i = 0; i < 9; i++) assert.ok(Math.abs(a[i]! - (w[i]! - 0.1 * g2[i]!)) < 1e-6);
});

test('cpu: L1 is proximal — small weights land on exactly zero, others shrink by lr·l1', () => {
  const w = new Float32Array([0.05, -0.05, 1, -1, 0.2]);
  const g = new Float32Array(5);
  optimizerStepCpu('sgd', w, g, [], { lr: 0.5, l1: 0.2, step: 1 }); // shrink 0.1
  assert.equal(
    Array.from(w).map((x) => Math.round(x * 1e6) / 1e6),
    [0, 0, 0.9, -0.9, 0.1],
  );
  assert.ok(Object.is(w[0], 0) || w[0] === 0);
});

test('cpu: momentum accumulates velocity; nesterov looks ahead', () => {
  const g = new Float32Array([1]);
  const w = new Float32Array([0]),
    v = new Float32Array(1);
  optimizerStepCpu('momentum', w, g, [v], { lr: 0.1, momentum: 0.5, step: 1 });
  optimizerStepCpu('momentum', w, g, [v], { lr: 0.1, momentum: 0.5, step: 2 });
  assert.ok(Math.abs(v[0]! - 1.5) < 1e-6);
  assert.ok(Math.abs(w[0]! - -(0.1 + 0.15)) < 1e-6);
  const wn = new Float32Array([0]),
    vn = new Float32Array(1);
  optimizerStepCpu('nesterov', wn, g, [vn], { lr: 0.1, momentum: 0.5, step: 1 });
  assert.ok(Math.abs(wn[0]! - -0.1 * (1 + 0.5)) < 1e-6);
});

test('cpu: adam first step moves each weight by about lr against the gradient sign', () => {
  const rng = new Rng(2);
  const g = randn(rng, 50, 3);
  const w = new Float32Array(50),
    m = new Float32Array(50),
    s = new Float32Array(50);
  optimizerStepCpu('adam', w, g, [m, s], { lr: 0.01, step: 1 });
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(w[i]! + 0.01 * Math.sign(g[i]!)) < 1e-5, `w[${i}]=${w[i]}`);
});

test('cpu: adagrad and rmsprop normalise the step by the root of the squared-gradient state', () => {
  const w = new Float32Array([1]),
    s = new Float32Array(1);
  optimizerStepCpu('adagrad', w, new Float32Array([2]), [s], { lr: 0.1, eps: 0, step: 1 });
  assert.ok(Math.abs(s[0]! - 4) < 1e-6 && Math.abs(w[0]! - 0.9) < 1e-6);
  const w2 = new Float32Array([1]),
    s2 = new Float32Array(1);
  optimizerStepCpu('rmsprop', w2, new Float32Array([2]), [s2], { lr: 0.1, rho: 0.75, eps: 0, step: 1 });
  assert.ok(Math.abs(s2[0]! - 1) < 1e-6 && Math.abs(w2[0]! - (1 - 0.2)) < 1e-6);
});

test('cpu: wrong state count or length is a KernelError naming optimizerStep', () => {
  assert.throws(() => optimizerStepCpu('adam', new Float32Array(3), new Float32Array(3), [new Float32Array(3)], { lr: 1, step: 1 }), /optimizerStep/);
  assert.throws(() => optimizerStepCpu('sgd', new Float32Array(3), new Float32Array(2), [], { lr: 1, step: 1 }), /optimizerStep/);
});

let gpu: SoftwareGpu | null = null;
test.before(async () => {
  gpu = await openSoftwareGpu();
});
test.after(() => {
  gpu?.close();
  gpu = null;
});

// Sizes: 1, primes, around the 64-wide workgroup, and past one dispatch row of work.
const SIZES = [1, 7, 63, 64, 65, 1031, 200_003];

test('webgpu matches cpu for every optimizer, with and without L1/L2, over three steps', async () => {
  if (!gpu) {
    console.log('  (no WebGPU adapter: skipped)');
    return;
  }
  const rng = new Rng(7);
  for (const kind of KINDS) {
    for (const n of SIZES) {
      for (const reg of [{}, { l2: 0.01, l1: 0.001 }]) {
        const w = randn(rng, n),
          state = Array.from({ length: OPTIMIZER_STATE[kind] }, () => new Float32Array(n));
        // rms/adagrad/adam state must stay non-negative in its squared slot: start from zeros.
        const tw = gpu.upload(w),
          ts = state.map((s) => gpu!.upload(s));
        const cw = w.slice(),
          cs = state.map((s) => s.slice());
        for (let step = 1; step <= 3; step++) {
          const g = randn(rng, n);
          const h: OptimizerHyper = { lr: 0.05, momentum: 0.8, beta1: 0.85, beta2: 0.99, rho: 0.8, eps: 1e-6, step, ...reg };
          optimizerStepCpu(kind, cw, g, cs, h);
          const tg = gpu.upload(g);
          optimizerStepGpu(gpu.ctx, kind, tw, tg, ts, h);
          await gpu.sync();
          gpu.release(tg);
        }
        const what = `${kind} n=${n} ${JSON.stringify(reg)}`;
        assertClose(await gpu.read(tw), cw, 1e-5, 1e-4, `${what} w`);
        for (let i = 0; i < ts.length; i++) assertClose(await gpu.read(ts[i]!), cs[i]!, 1e-5, 1e-4, `${what} state${i}`);
        gpu.release(tw);
        ts.forEach((t) => gpu!.release(t));
      }
    }
  }
});

test.run();
