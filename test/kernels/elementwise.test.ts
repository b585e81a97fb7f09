import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelError } from '../../src/core/index.js';
import { activateBackwardCpu, activateCpu, biasAddCpu, colSumCpu, softmaxCpu } from '../../src/kernels/cpu/index.js';
import { type Activation, type Backend, CpuBackend } from '../../src/kernels/index.js';
import { closeTo } from './closeTo.js';
import { seeded } from './seeded.js';
import { softwareBackend } from './softwareBackend.js';

const gpu = await softwareBackend();
const cpu = new CpuBackend();
const KINDS: Activation[] = ['identity', 'relu', 'sigmoid', 'tanh'];
const SHAPES: Array<[number, number]> = [
  [1, 1],
  [7, 13],
  [31, 17],
  [257, 3],
  [3, 1000],
  [1024, 10],
];
const ATOL = 1e-6,
  RTOL = 1e-5;

function withBackends(name: string, fn: (be: Backend) => Promise<void>): void {
  test(`cpu: ${name}`, () => fn(cpu));
  gpu.test(test, `webgpu: ${name}`, (be) => fn(be));
}

withBackends('biasAdd matches its twin', async (be) => {
  for (const [r, c] of SHAPES) {
    const x = seeded(r * 31 + c, r * c),
      bias = seeded(c, c);
    const want = x.slice();
    biasAddCpu(want, bias, r, c);
    const X = be.upload(x, [r, c]),
      B = be.upload(bias, [c]);
    be.biasAdd(X, B, r, c);
    closeTo(await be.read(X), want, ATOL, RTOL, `biasAdd ${r}×${c}`);
    be.release(X);
    be.release(B);
  }
});

withBackends('colSum matches its twin, with alpha/beta and many rows', async (be) => {
  for (const [r, c] of [...SHAPES, [5000, 3] as [number, number]]) {
    const x = seeded(r + c, r * c),
      out0 = seeded(7, c);
    for (const o of [{}, { alpha: 0.25, beta: -1.5 }]) {
      const want = out0.slice();
      colSumCpu(x, want, r, c, o);
      const X = be.upload(x, [r, c]),
        O = be.upload(out0, [c]);
      be.colSum(X, O, r, c, o);
      closeTo(await be.read(O), want, 1e-6 * Math.sqrt(r) * 4, RTOL, `colSum ${r}×${c} ${JSON.stringify(o)}`);
      be.release(X);
      be.release(O);
    }
  }
});

withBackends('activations forward and backward match their twins, in place and out of place', async (be) => {
  // Scale 8 reaches the flat tails of sigmoid and tanh; append extremes for overflow checks.
  const x = new Float32Array([...seeded(3, 997, 8), 0, -0, 100, -100, 1e30, -1e30]);
  const dy = seeded(4, x.length);
  for (const kind of KINDS) {
    const y = new Float32Array(x.length);
    activateCpu(kind, x, y);
    const X = be.upload(x, [x.length]),
      Y = be.zeros([x.length]);
    be.activate(kind, X, Y);
    closeTo(await be.read(Y), y, ATOL, RTOL, `activate ${kind}`);
    be.activate(kind, X, X);
    closeTo(await be.read(X), y, ATOL, RTOL, `activate ${kind} in place`);

    const dx = new Float32Array(x.length);
    activateBackwardCpu(kind, y, dy, dx);
    const DY = be.upload(dy, [dy.length]),
      DX = be.zeros([dy.length]);
    be.activateBackward(kind, Y, DY, DX);
    closeTo(await be.read(DX), dx, ATOL, RTOL, `activateBackward ${kind}`);
    be.activateBackward(kind, Y, DY, DY);
    closeTo(await be.read(DY), dx, ATOL, RTOL, `activateBackward ${kind} with dx = dy`);
    for (const t of [X, Y, DY, DX]) be.release(t);
  }
});

withBackends('softmax matches its twin for any column count and huge logits', async (be) => {
  for (const [r, c] of [...SHAPES, [2, 4097] as [number, number]]) {
    const x = seeded(r * 7 + c, r * c, 5);
    if (x.length > 2) {
      x[0] = 1000;
      x[1] = -1000;
    }
    const want = new Float32Array(x.length);
    softmaxCpu(x, want, r, c);
    const X = be.upload(x, [r, c]),
      Y = be.zeros([r, c]);
    be.softmax(X, Y, r, c);
    const got = await be.read(Y);
    closeTo(got, want, ATOL, RTOL, `softmax ${r}×${c}`);
    be.softmax(X, X, r, c);
    closeTo(await be.read(X), want, ATOL, RTOL, `softmax ${r}×${c} in place`);
    for (let i = 0; i < r; i++) {
      let s = 0;
      for (let j = 0; j < c; j++) s += got[i * c + j]!;
      assert.ok(Math.abs(s - 1) < 1e-4, `row ${i} sums to ${s}`);
    }
    be.release(X);
    be.release(Y);
  }
});

withBackends('kernel calls with mismatched shapes throw KernelError naming the kernel', async (be) => {
  const x = be.zeros([4, 3]),
    bias = be.zeros([4]);
  assert.throws(
    () => be.biasAdd(x, bias, 4, 3),
    (e: unknown) => e instanceof KernelError && /kernel biasAdd.*expected cols = 3/.test((e as Error).message),
  );
  assert.throws(
    () => be.softmax(x, bias, 4, 3),
    (e: unknown) => e instanceof KernelError && /kernel softmax/.test((e as Error).message),
  );
  assert.throws(
    () => be.activate('gelu' as Activation, x, x),
    (e: unknown) => e instanceof KernelError && /unknown activation "gelu"/.test((e as Error).message),
  );
  be.release(x);
  be.release(bias);
});

test('teardown', async () => {
  await gpu.dispose();
});

test.run();
