/**
 * What every Backend offers a model beyond its kernels: `wrap` (the caller's array in place where
 * capabilities.sharedWrap says so, else an upload), the GEMM epilogue (bias and activation after
 * the product, or an activation's backward), `flush` (hand queued work over without waiting) and
 * the `resident` upload hint. Each backend against the cpu reference twins on seeded inputs; the
 * cpu GEMM paths bit for bit against their own separate kernels. The webgpu backend runs on the
 * software adapter (skipped without one, failing with CI set: softwareBackend).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelError } from '../../src/core/index.js';
import { activateBackwardCpu, activateCpu, biasAddCpu, gemmCpu, loadWasmGemm } from '../../src/kernels/cpu/index.js';
import { type Activation, type Backend, CpuBackend, type GemmEpilogue, type GemmOptions, GpuJsBackend } from '../../src/kernels/index.js';
import { closeTo } from './closeTo.js';
import { seeded } from './seeded.js';
import { softwareBackend } from './softwareBackend.js';

const gpu = await softwareBackend();
const cpus = [new CpuBackend(), new CpuBackend({ gemm: 'blocked' }), new CpuBackend({ gemm: 'reference' })];
const gpujs = new GpuJsBackend();
const KINDS: Activation[] = ['identity', 'relu', 'sigmoid', 'tanh'];
// n = 1 (gemv on the cpu), shapes below, at and off the tiles, a wide one that the SIMD path packs.
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [37, 1, 29],
  [7, 13, 5],
  [31, 17, 29],
  [64, 36, 20],
  [65, 67, 63],
  [64, 256, 100],
];
const RTOL = 1e-4;
const atolFor = (k: number) => 2e-6 * Math.max(k, 1);

function withBackends(name: string, fn: (be: Backend) => Promise<void>): void {
  test(`cpu (${cpus.map((c) => c.gemmPath).join(', ')}): ${name}`, async () => {
    for (const c of cpus) await fn(c);
  });
  test(`gpujs webasm: ${name}`, () => fn(gpujs));
  gpu.test(test, `webgpu: ${name}`, (be) => fn(be));
}

/** The epilogues tried on each shape: bias with every activation, an activation alone, every backward. */
function epilogues(
  n: number,
  bias: boolean,
): Array<{ what: string; ep: (t: { bias: ReturnType<Backend['upload']>; y: ReturnType<Backend['upload']> }) => GemmEpilogue }> {
  return [
    ...KINDS.map((act) => ({ what: `bias + ${act}`, ep: (t: { bias: ReturnType<Backend['upload']> }) => ({ bias: t.bias, act }) })),
    ...(bias ? [{ what: 'bias alone', ep: (t: { bias: ReturnType<Backend['upload']> }) => ({ bias: t.bias }) }] : []),
    { what: `relu alone (n ${n})`, ep: () => ({ act: 'relu' as const }) },
    ...KINDS.map((kind) => ({ what: `${kind} backward`, ep: (t: { y: ReturnType<Backend['upload']> }) => ({ backward: kind, y: t.y }) })),
  ];
}

withBackends('gemm epilogue matches gemm, biasAdd, activate / activateBackward of the cpu twins (alpha/beta, transposes, n = 1)', async (be) => {
  let seed = 700;
  for (const [m, n, k] of SHAPES) {
    for (const base of [{}, { alpha: -0.5, beta: 1.5, transA: true }, { transB: true }] as Array<Partial<GemmOptions>>) {
      const o: GemmOptions = { m, n, k, ...base };
      const a = seeded(seed, m * k),
        b = seeded(seed + 1, k * n),
        c0 = seeded(seed + 2, m * n),
        bias = seeded(seed + 3, n);
      // The forward output y of a relu/sigmoid/tanh layer: values in its range, some exact zeros for relu.
      const y = seeded(seed + 4, m * n).map((v) => (v < -0.8 ? 0 : 1 / (1 + Math.exp(-v))));
      seed += 5;
      const A = be.upload(a, o.transA ? [k, m] : [m, k]),
        B = be.upload(b, o.transB ? [n, k] : [k, n]);
      const Bias = be.upload(bias, [n]),
        Y = be.upload(y, [m, n]);
      for (const { what, ep } of epilogues(n, true)) {
        const e = ep({ bias: Bias, y: Y });
        const want = c0.slice();
        gemmCpu(a, b, want, o);
        if ('backward' in e) activateBackwardCpu(e.backward, y, want, want);
        else {
          if (e.bias) biasAddCpu(want, bias, m, n);
          if (e.act) activateCpu(e.act, want, want);
        }
        const C = be.upload(c0, [m, n]);
        be.gemm(A, B, C, { ...o, epilogue: e });
        const got = (await be.read(C)) as Float32Array;
        const label = `${be.name} ${be.adapter} ${JSON.stringify({ m, n, k, ...base })} ${what}`;
        closeTo(got, want, atolFor(k) * (1 + Math.abs(o.beta ?? 0)), RTOL, label);
        if (be instanceof CpuBackend) {
          // The cpu folds some epilogues into its GEMM's pass: bit for bit the separate kernels.
          const S = be.upload(c0, [m, n]);
          be.gemm(A, B, S, o);
          if ('backward' in e) be.activateBackward(e.backward, Y, S, S);
          else {
            if (e.bias) be.biasAdd(S, Bias, m, n);
            if (e.act) be.activate(e.act, S, S);
          }
          assert.equal(Array.from(got), Array.from(be.data(S)), `${label}: fused vs separate kernels`);
          be.release(S);
        }
        be.release(C);
      }
      for (const t of [A, B, Bias, Y]) be.release(t);
    }
  }
});

withBackends('gemm epilogue arguments are checked: bias length, y shape, activation name, aliasing', async (be) => {
  const A = be.zeros([2, 3]),
    B = be.zeros([3, 4]),
    C = be.zeros([2, 4]),
    short = be.zeros([3]),
    Y = be.zeros([2, 3]);
  const o: GemmOptions = { m: 2, n: 4, k: 3 };
  const fails = (ep: GemmEpilogue, want: RegExp) =>
    assert.throws(
      () => be.gemm(A, B, C, { ...o, epilogue: ep }),
      (e: unknown) => e instanceof KernelError && want.test((e as Error).message),
      `${be.name} ${want}`,
    );
  fails({ bias: short }, /kernel gemm .*bias=\[3\].*bias has 3 elements, expected n \(one per column of C\) = 4/);
  fails({ backward: 'relu', y: Y }, /y has 6 elements.*shaped like C/);
  fails({ act: 'softplus' as Activation }, /unknown epilogue activation "softplus"/);
  fails({ backward: 'tanh', y: C }, /y and c are the same tensor/);
  fails({ bias: C }, /bias has 8 elements|bias and c are the same tensor/);
  for (const t of [A, B, C, short, Y]) be.release(t);
});

withBackends('wrap: the array itself where capabilities.sharedWrap, else a copy; shape checked', async (be) => {
  const data = Float32Array.from([1, -2, 3, -4, 5, -6]);
  const t = be.wrap(data, [2, 3]);
  assert.equal(Array.from((await be.read(t)) as Float32Array), [1, -2, 3, -4, 5, -6]);
  // A kernel writing the wrapped tensor: the array sees it exactly when wrap shares it.
  be.activate('relu', t, t);
  await be.sync();
  assert.equal(Array.from((await be.read(t)) as Float32Array), [1, 0, 3, 0, 5, 0]);
  assert.equal(Array.from(data), be.capabilities.sharedWrap ? [1, 0, 3, 0, 5, 0] : [1, -2, 3, -4, 5, -6], `${be.name}: wrap shares memory iff sharedWrap`);
  if (be instanceof CpuBackend) assert.is(be.data(t), data, 'no copy');
  // A subarray view wraps its own elements only.
  const view = be.wrap(new Int32Array([9, 8, 7, 6]).subarray(1, 3), [2]);
  assert.equal(Array.from(await be.read(view)), [8, 7]);
  assert.is(view.dtype, 'i32');
  assert.throws(
    () => be.wrap(data, [4, 2]),
    (e: unknown) => e instanceof KernelError && /6/.test((e as Error).message),
  );
  be.release(t);
  be.release(view);
});

withBackends('flush hands queued work over without waiting; results read back after it', async (be) => {
  const a = seeded(5, 6 * 4),
    b = seeded(6, 4 * 3),
    want = new Float32Array(6 * 3);
  gemmCpu(a, b, want, { m: 6, n: 3, k: 4 });
  const A = be.upload(a, [6, 4]),
    B = be.upload(b, [4, 3]),
    C = be.zeros([6, 3]);
  be.gemm(A, B, C, { m: 6, n: 3, k: 4 });
  const ctx = (be as { context?: { recorded: number } }).context;
  if (ctx) assert.ok(ctx.recorded > 0, 'webgpu: the GEMM is recorded, not yet submitted');
  const r = be.flush();
  assert.is(r, undefined, 'flush does not return a promise: it does not wait');
  if (ctx) assert.is(ctx.recorded, 0, 'webgpu: flush submitted the recorded commands');
  closeTo((await be.read(C)) as Float32Array, want, 1e-5, RTOL, `${be.name} gemm after flush`);
  be.flush();
  for (const t of [A, B, C]) be.release(t);
});

withBackends('the resident upload hint changes where data lives, never what it holds', async (be) => {
  const w = seeded(9, 40),
    i = new Int32Array([3, 1, 2]);
  const W = be.upload(w, [8, 5], { resident: true }),
    I = be.upload(i, [3], { resident: true });
  assert.equal(Array.from((await be.read(W)) as Float32Array), Array.from(w));
  assert.equal(Array.from(await be.read(I)), [3, 1, 2]);
  w[0] = 123;
  assert.ok((await be.read(W))[0] !== 123, 'upload copies, hint or not');
  if (be instanceof CpuBackend) {
    const arena = loadWasmGemm()?.arena;
    const inArena = be.gemmPath === 'simd' && arena ? arena.offsetOf(be.data(W) as Float32Array) >= 0 : false;
    assert.is(inArena, be.gemmPath === 'simd' && !!arena, `${be.gemmPath}: f32 weights in the GEMM's wasm memory exactly on the SIMD path`);
  }
  be.release(W);
  be.release(I);
});

test('capabilities: the cpu wraps in place and fuses SGD only on its SIMD GEMM; gpujs and webgpu do neither', () => {
  for (const c of cpus) assert.equal(c.capabilities, { sharedWrap: true, exactSgdGemm: c.gemmPath === 'simd' }, c.gemmPath);
  assert.equal(gpujs.capabilities, { sharedWrap: false, exactSgdGemm: false });
  if (gpu.backend) assert.equal(gpu.backend.capabilities, { sharedWrap: false, exactSgdGemm: false });
});

test('teardown', async () => {
  for (const c of cpus) await c.dispose();
  await gpujs.dispose();
  await gpu.dispose();
});

test.run();
