import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../../src/core/index.js';
import { columnFunctionCpu } from '../../../src/kernels/gpujs/columnFunctionCpu.js';
import { compileColumnFunction, type GpuJsMode } from '../../../src/kernels/gpujs/compileColumnFunction.js';
import { parseColumnFunction } from '../../../src/kernels/gpujs/parseColumnFunction.js';
import { assertClose } from '../batched/assertClose.js';

const FNS: Array<[string, (...a: number[]) => number]> = [
  ['ratio', (distance, time) => distance / (time + 1)],
  ['single', (x) => x * 2 - 1],
  ['math', (a, b, c) => Math.sqrt(a * a + b * b) + Math.log(1 + Math.abs(c))],
  [
    'branch',
    (a, b) => {
      if (a > b) {
        return a - b;
      }
      return Math.max(a, 0) * 0.5;
    },
  ],
  ['ternary', (a, b) => (a > 0.5 ? a : b) + Math.exp(-b * b)],
];
const ENGINE: Record<GpuJsMode, string> = { webasm: 'WebAssemblyKernel', webgpu: 'WebGPUKernel', cpu: 'CPUKernel' };
const SIZES = [1, 2, 13, 257, 4099, 300_007];

function columns(rng: Rng, arity: number, n: number): Float32Array[] {
  return Array.from({ length: arity }, () => {
    const c = new Float32Array(n);
    for (let i = 0; i < n; i++) c[i] = rng.normal() * 3;
    return c;
  });
}

test('parseColumnFunction accepts arrows, blocks and plain functions; rejects destructuring', () => {
  assert.equal(parseColumnFunction('(distance, time) => distance / (time + 1)').params, ['distance', 'time']);
  assert.equal(parseColumnFunction('x => x * 2').body, '{ return (x * 2); }');
  assert.equal(parseColumnFunction('function f(a, b) { return a + b; }').params, ['a', 'b']);
  assert.throws(() => parseColumnFunction('({ a }) => a'), /plain identifier|not a plain/);
  assert.throws(() => parseColumnFunction('(a = 1) => a'), /plain identifier/);
});

test('columnFunctionCpu checks arity and lengths', () => {
  const f = columnFunctionCpu((a, b) => a + b);
  assert.equal(Array.from(f([new Float32Array([1, 2]), new Float32Array([3, 4])])), [4, 6]);
  assert.throws(() => f([new Float32Array(2)]), /columnFunction/);
  assert.throws(() => f([new Float32Array(2), new Float32Array(3)]), /differ in length/);
});

async function rejects(f: () => Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await f();
  } catch (err) {
    assert.match((err as Error).message, re);
    return;
  }
  assert.unreachable('expected a rejection');
}

async function compare(mode: GpuJsMode, sizes: number[]): Promise<void> {
  const rng = new Rng(31);
  for (const [name, fn] of FNS) {
    const k = compileColumnFunction(fn, { mode });
    const twin = columnFunctionCpu(fn);
    try {
      for (const n of sizes) {
        const cols = columns(rng, fn.length, n);
        assertClose(await k(cols), twin(cols), 1e-5, 1e-5, `${mode} ${name} n=${n}`);
      }
      assert.is(k.engine, ENGINE[mode], `${mode} ran on ${k.engine}`);
      assert.is((await k(Array.from({ length: fn.length }, () => new Float32Array(0)))).length, 0);
    } finally {
      await k.dispose();
    }
  }
}

test('webasm (SIMD) matches the TypeScript twin on seeded columns, sizes 1, primes, large', async () => {
  await compare('webasm', SIZES);
});

test('gpu.js cpu mode matches the twin', async () => {
  await compare('cpu', [1, 13, 4099]);
});

test('webgpu mode on Dawn (navigator.gpu, compatibility level) matches the twin', async () => {
  await compare('webgpu', SIZES);
});

test('a wrong column count is a KernelError; dispose makes the kernel unusable', async () => {
  const k = compileColumnFunction((a, b) => a * b, { mode: 'webasm' });
  await rejects(() => k([new Float32Array(3)]), /takes 2 column/);
  await k.dispose();
  await rejects(() => k([new Float32Array(1), new Float32Array(1)]), /dispose/);
});

test.run();
