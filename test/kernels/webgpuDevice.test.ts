import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelError } from '../../src/core/index.js';
import {
  type Backend,
  CpuBackend,
  createBackend,
  createWebGpuBackend,
  DeviceLostError,
  OutOfMemoryError,
  type Tensor,
  type WebGpuBackend,
} from '../../src/kernels/index.js';
import { softwareBackend } from './softwareBackend.js';

const gpu = await softwareBackend();
const cpu = new CpuBackend();

function withBackends(name: string, fn: (be: Backend) => Promise<void>): void {
  test(`cpu: ${name}`, () => fn(cpu));
  gpu.test(test, `webgpu: ${name}`, (be) => fn(be));
}

withBackends('upload, write at an offset, read and zeros keep data and dtype', async (be) => {
  const t = be.upload(new Float32Array([1, 2, 3, 4, 5]), [5]);
  be.write(t, new Float32Array([9, 8]), 2);
  assert.equal(Array.from(await be.read(t)), [1, 2, 9, 8, 5]);
  const i = be.upload(new Int32Array([-1, 7]), [2]);
  const ri = await be.read(i);
  assert.instance(ri, Int32Array);
  assert.equal(Array.from(ri), [-1, 7]);
  assert.equal(Array.from(await be.read(be.zeros([3], 'u32'))), [0, 0, 0]);
  assert.equal((await be.read(be.zeros([0]))).length, 0);
  assert.throws(
    () => be.write(t, new Float32Array(4), 3),
    (e: unknown) => e instanceof KernelError && /overruns/.test((e as Error).message),
  );
  assert.throws(
    () => be.upload(new Float32Array(3), [2, 2]),
    (e: unknown) => e instanceof KernelError && /data has 3 elements, shape needs 4/.test((e as Error).message),
  );
});

withBackends('writes land in call order between kernels, and released buffers come back zeroed by zeros()', async (be) => {
  const x = be.upload(new Float32Array([1, 2, 3]), [3]);
  const y = be.zeros([3]);
  be.activate('identity', x, y);
  be.write(x, new Float32Array([10, 20, 30]));
  be.activate('relu', x, x);
  assert.equal(Array.from(await be.read(y)), [1, 2, 3]);
  assert.equal(Array.from(await be.read(x)), [10, 20, 30]);
  be.release(x);
  const z = be.zeros([3]);
  assert.equal(Array.from(await be.read(z)), [0, 0, 0]);
});

withBackends('a released tensor cannot be used again', async (be) => {
  const t = be.zeros([2]);
  be.release(t);
  assert.throws(
    () => be.activate('relu', t, t),
    (e: unknown) => e instanceof KernelError && /released/.test((e as Error).message),
  );
});

gpu.test(test, 'webgpu: a tensor of another backend is refused', (be) => {
  const foreign = cpu.zeros([2]);
  assert.throws(
    () => be.activate('relu', foreign, foreign),
    (e: unknown) => e instanceof KernelError && /belongs to another backend \(cpu\)/.test((e as Error).message),
  );
});

gpu.test(test, 'webgpu: the buffer pool reuses a released buffer of the same size class after submit', async (be) => {
  const a = be.zeros([1000]);
  const buf = be.context.buffer(a);
  be.release(a);
  await be.sync();
  const b = be.zeros([990]);
  assert.is(be.context.buffer(b), buf);
  be.release(b);
});

gpu.test(test, 'webgpu: an allocation beyond the device limits throws OutOfMemoryError', (be) => {
  const limit = Math.min(be.context.limits.maxStorageBufferBindingSize, be.context.limits.maxBufferSize);
  const n = Math.floor(limit / 4) + 1024;
  try {
    be.zeros([n]);
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, OutOfMemoryError);
    assert.instance(err, KernelError);
    assert.is((err as OutOfMemoryError).code, 'OUT_OF_MEMORY');
    assert.match((err as Error).message, /kernel zeros/);
  }
});

gpu.test(test, 'webgpu: adapter description names llvmpipe and is not hardware', (be) => {
  assert.match(be.adapter, /llvmpipe/);
  assert.match(be.adapter, /\[software\]/);
  assert.is(be.isHardware, false);
});

test('webgpu: device loss rejects pending work with DeviceLostError instead of hanging, and later calls throw it', async () => {
  const made = await backendWithGemm();
  if (!made) return;
  let be: WebGpuBackend | undefined = made.be;
  const { a, c } = made;
  const pending = be.read(c);
  be.context.device.destroy();
  // A bounded wait: if the backend hung, this race would reject with the timeout instead.
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('hung on a lost device')), 10_000));
  try {
    await Promise.race([pending.then(() => be!.sync()), timeout]);
    assert.unreachable('should reject');
  } catch (err) {
    assert.instance(err, DeviceLostError);
    assert.is((err as DeviceLostError).code, 'DEVICE_LOST');
  }
  assert.throws(
    () => be!.gemm(a, a, c, { m: 64, n: 64, k: 64 }),
    (e: unknown) => e instanceof DeviceLostError,
  );
  await be.dispose();
  // Freeing a disposed backend's Dawn instance crashed the process natively (most runs); collect
  // garbage now so a regression fails here, not at a random later point.
  be = undefined;
  await collectGarbage();
});

test('webgpu: backends disposed after real work can be garbage-collected, and a new one works', async () => {
  for (let k = 0; k < 2; k++) {
    const made = await backendWithGemm();
    if (!made) return;
    let be: WebGpuBackend | undefined = made.be;
    assert.is((await be.read(made.c))[0], 64);
    await be.dispose();
    be = undefined;
    await collectGarbage();
  }
});

/** A fresh software backend with a 64³ GEMM of ones recorded (c = a·a); null without an adapter outside CI. */
async function backendWithGemm(): Promise<{ be: WebGpuBackend; a: Tensor; c: Tensor } | null> {
  let be: WebGpuBackend;
  try {
    be = await createWebGpuBackend({ software: true });
  } catch (err) {
    if (process.env.CI) throw err;
    return null;
  }
  const a = be.upload(new Float32Array(64 * 64).fill(1), [64, 64]);
  const c = be.zeros([64, 64]);
  be.gemm(a, a, c, { m: 64, n: 64, k: 64 });
  return { be, a, c };
}

async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('createBackend: cpu, auto (remembered) and an unknown name', async () => {
  const c = await createBackend('cpu');
  assert.is(c.name, 'cpu');
  const a = await createBackend('auto');
  // No hardware adapter on CI machines: auto falls back to a CPU path and says which.
  if (!a.isHardware) assert.ok(a.name === 'cpu' || a.name === 'gpujs', a.name);
  assert.ok(a.adapter.length > 0);
  const again = await createBackend('auto');
  assert.is(again.name, a.name);
  await a.dispose();
  await again.dispose();
  try {
    await createBackend('tpu' as 'cpu');
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, KernelError);
    assert.match((err as Error).message, /unknown backend "tpu"/);
  }
});

test('teardown', async () => {
  await gpu.dispose();
});

test.run();
