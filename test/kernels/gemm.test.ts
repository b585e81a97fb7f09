import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelError } from '../../src/core/index.js';
import { gemmCpu } from '../../src/kernels/cpu/index.js';
import { type Backend, CpuBackend, type GemmOptions } from '../../src/kernels/index.js';
import { closeTo } from './closeTo.js';
import { seeded } from './seeded.js';
import { softwareBackend } from './softwareBackend.js';

const gpu = await softwareBackend();
const fast = new CpuBackend({ gemm: 'fast' });
const blocked = new CpuBackend({ gemm: 'blocked' });
const reference = new CpuBackend({ gemm: 'reference' });

// f32 products summed over k: the error of a float32 dot product grows about like √k·ε·Σ|aᵢbᵢ|.
const atolFor = (k: number) => 2e-6 * Math.max(k, 1);
const RTOL = 1e-4;

async function check(backend: Backend, o: GemmOptions, seed: number, label: string): Promise<void> {
  const { m, n, k } = o;
  const a = seeded(seed, m * k),
    b = seeded(seed + 1, k * n),
    c0 = seeded(seed + 2, m * n);
  const want = c0.slice();
  gemmCpu(a, b, want, o);
  const A = backend.upload(a, o.transA ? [k, m] : [m, k]);
  const B = backend.upload(b, o.transB ? [n, k] : [k, n]);
  const C = backend.upload(c0, [m, n]);
  backend.gemm(A, B, C, o);
  const got = await backend.read(C);
  for (const t of [A, B, C]) backend.release(t);
  closeTo(got, want, atolFor(k), RTOL, `${label} gemm ${JSON.stringify(o)}`);
}

const SMALL: Array<[number, number, number]> = [
  [1, 1, 1],
  [37, 1, 29],
  [300, 1, 70],
  [7, 13, 5],
  [31, 17, 29],
  [65, 67, 63],
  [128, 36, 20],
  [3, 130, 1],
  [1, 97, 200],
];
const TRANS: Array<[boolean, boolean]> = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

function variants(): GemmOptions[] {
  const out: GemmOptions[] = [];
  for (const [m, n, k] of SMALL) for (const [transA, transB] of TRANS) out.push({ m, n, k, transA, transB });
  return out;
}

test('cpu GEMM paths (wasm SIMD, blocked) match the reference: sizes 1, primes, non-multiples of the tile, all transposes', async () => {
  assert.match(fast.adapter, /WebAssembly SIMD/);
  let seed = 10;
  for (const o of variants()) {
    await check(fast, o, seed, 'cpu-simd');
    await check(blocked, o, seed++, 'cpu-blocked');
  }
});

test('cpu fast GEMM: alpha/beta, k = 0 and a k larger than one cache block', async () => {
  await check(fast, { m: 9, n: 11, k: 600, alpha: 0.5, beta: -2 }, 3, 'cpu-fast');
  await check(fast, { m: 5, n: 300, k: 7, transA: true, alpha: 2, beta: 1 }, 4, 'cpu-fast');
  await check(fast, { m: 4, n: 4, k: 0, beta: 3 }, 5, 'cpu-fast');
  // More than one NC block of columns and KC block of depth, with a ragged last block.
  await check(fast, { m: 6, n: 530, k: 700, transB: true, alpha: 1.5, beta: 0.5 }, 6, 'cpu-simd');
  await check(blocked, { m: 6, n: 530, k: 700, transA: true }, 7, 'cpu-blocked');
});

test('beta = 0 never reads C (NaN in C does not leak)', async () => {
  for (const be of [fast, blocked, reference]) {
    const A = be.upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
    const C = be.upload(new Float32Array(4).fill(NaN), [2, 2]);
    be.gemm(A, A, C, { m: 2, n: 2, k: 2 });
    assert.equal(Array.from(await be.read(C)), [7, 10, 15, 22], be.adapter);
  }
});

test('bad shapes throw a KernelError naming gemm and the shapes', () => {
  const A = fast.zeros([2, 3]),
    B = fast.zeros([4, 2]),
    C = fast.zeros([2, 2]);
  try {
    fast.gemm(A, B, C, { m: 2, n: 2, k: 3 });
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, KernelError);
    assert.match((err as Error).message, /kernel gemm/);
    assert.match((err as Error).message, /b=\[4x2\]/);
    assert.match((err as Error).message, /expected k·n = 6/);
  }
});

gpu.test(test, 'webgpu GEMM matches the CPU reference: sizes 1, primes, non-multiples of the tile, all transposes', async (be) => {
  let seed = 100;
  for (const o of variants()) await check(be, o, seed++, 'webgpu');
});

gpu.test(test, 'webgpu GEMM: alpha/beta and beta = 0 with NaN in C, scalar and vec4 paths', async (be) => {
  await check(be, { m: 9, n: 11, k: 600, alpha: 0.5, beta: -2 }, 3, 'webgpu');
  await check(be, { m: 8, n: 12, k: 16, transA: true, transB: true, alpha: -1, beta: 0.5 }, 6, 'webgpu');
  await check(be, { m: 4, n: 4, k: 0, beta: 3 }, 5, 'webgpu');
  const A = be.upload(new Float32Array([1, 2, 3, 4]), [2, 2]);
  const C = be.upload(new Float32Array(4).fill(NaN), [2, 2]);
  be.gemm(A, A, C, { m: 2, n: 2, k: 2 });
  assert.equal(Array.from(await be.read(C)), [7, 10, 15, 22]);
});

gpu.test(test, 'webgpu GEMM at moderately large sizes, all transposes (160×144×200)', async (be) => {
  let seed = 200;
  for (const [transA, transB] of TRANS) await check(be, { m: 160, n: 144, k: 200, transA, transB }, seed++, 'webgpu');
});

test('large GEMM 1024×784×256: cpu fast and webgpu agree with the reference', async () => {
  // Forward pass of a 784→256 layer at batch 1024: m=1024, k=784, n=256.
  const o: GemmOptions = { m: 1024, n: 256, k: 784 };
  const a = seeded(1, o.m * o.k),
    b = seeded(2, o.k * o.n, 0.05);
  const want = new Float32Array(o.m * o.n);
  gemmCpu(a, b, want, o);
  const backends: Backend[] = [fast];
  if (gpu.backend) backends.push(gpu.backend);
  for (const be of backends) {
    const A = be.upload(a, [o.m, o.k]),
      B = be.upload(b, [o.k, o.n]),
      C = be.zeros([o.m, o.n]);
    be.gemm(A, B, C, o);
    closeTo(await be.read(C), want, 2e-6 * o.k * 0.05 * 4, RTOL, `${be.name} 1024×784×256`);
    for (const t of [A, B, C]) be.release(t);
  }
});

test('teardown', async () => {
  await gpu.dispose();
});

test.run();
