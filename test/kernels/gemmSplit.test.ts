/**
 * The SIMD GEMM's work split for small m (few row blocks: columns cut narrower so both threads get
 * tasks) and its alpha/beta epilogue in wasm: results against the reference, and bit-identical
 * across thread counts and to the JavaScript epilogue (how C is cut never changes a sum).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gemmCpu, loadWasmGemm } from '../../src/kernels/cpu/index.js';
import { CpuBackend, type GemmOptions } from '../../src/kernels/index.js';
import { closeTo } from './closeTo.js';
import { seeded } from './seeded.js';

// gemmThreadMin 0: every product is offered to the pool, however small.
const threaded = new CpuBackend({ threads: 2, gemmThreadMin: 0 });
const single = new CpuBackend({ threads: 1 });
const atolFor = (k: number) => 2e-6 * Math.max(k, 1);

function run(be: CpuBackend, o: GemmOptions, a: Float32Array, b: Float32Array, c0: Float32Array): Float32Array {
  const { m, n, k } = o;
  const A = be.upload(a, o.transA ? [k, m] : [m, k]),
    B = be.upload(b, o.transB ? [n, k] : [k, n]),
    C = be.upload(c0, [m, n]);
  be.gemm(A, B, C, o);
  const out = (be.data(C) as Float32Array).slice();
  for (const t of [A, B, C]) be.release(t);
  return out;
}

test('small m (1, 63, 64, 65) against wide n, tile-fitting and ragged: threaded = single-threaded bit for bit, both match the reference', () => {
  let seed = 900;
  const before = threaded.gemmThreadStats?.tasks ?? 0;
  for (const m of [1, 63, 64, 65]) {
    for (const [n, k] of [
      [256, 784],
      [263, 97],
      [8, 300],
      [520, 64],
      [9, 5],
    ] as const) {
      for (const [transA, transB] of [
        [false, false],
        [true, false],
        [false, true],
      ] as const) {
        const o: GemmOptions = { m, n, k, transA, transB };
        const a = seeded(seed, m * k),
          b = seeded(seed + 1, k * n, 0.1),
          c0 = seeded(seed + 2, m * n);
        seed += 3;
        const want = new Float32Array(m * n);
        gemmCpu(a, b, want, o);
        const t = run(threaded, o, a, b, c0),
          s = run(single, o, a, b, c0);
        closeTo(s, want, atolFor(k) * 0.1, 1e-4, `single ${JSON.stringify(o)}`);
        assert.equal(Array.from(t), Array.from(s), `threaded vs single ${JSON.stringify(o)}`);
      }
    }
  }
  // 64×256 with k = 784 is one row block: without the column split it would be a single task.
  const stats = threaded.gemmThreadStats!;
  assert.ok(stats.tasks - before > stats.jobs, `jobs were split into tasks: ${JSON.stringify(stats)}`);
});

test('an m = 64, n = 256 product is cut into several tasks', () => {
  const be = new CpuBackend({ threads: 2, gemmThreadMin: 0 });
  const o: GemmOptions = { m: 64, n: 256, k: 784 };
  run(be, o, seeded(1, 64 * 784), seeded(2, 784 * 256), new Float32Array(64 * 256));
  const stats = be.gemmThreadStats!;
  // One job (or none when the pool declined it), and then at least 4 tasks (two per thread).
  assert.ok(stats.jobs === 0 || stats.tasks >= 4 * stats.jobs, JSON.stringify(stats));
  return be.dispose();
});

test('alpha/beta epilogue (wasm from 1024 elements of C, JS below): bit-identical to alpha·(A·B) + beta·C in f64 per element', () => {
  let seed = 950;
  for (const [m, n, k] of [
    [784, 256, 64],
    [300, 36, 20],
    [65, 263, 31],
    [3, 9, 4],
    [1, 1024, 7],
  ] as const) {
    for (const [alpha, beta] of [
      [-0.01, 1],
      [0.37, 0],
      [1.5, -2.25],
      [1, 1],
    ] as const) {
      const a = seeded(seed, m * k),
        b = seeded(seed + 1, k * n),
        c0 = seeded(seed + 2, m * n);
      seed += 3;
      const prod = run(single, { m, n, k }, a, b, new Float32Array(m * n));
      const want = new Float32Array(m * n);
      for (let i = 0; i < m * n; i++) want[i] = beta === 0 ? alpha * prod[i]! : alpha * prod[i]! + beta * c0[i]!;
      for (const be of [single, threaded]) {
        const got = run(be, { m, n, k, alpha, beta }, a, b, c0);
        assert.equal(Array.from(got), Array.from(want), `${m}×${n}×${k} alpha ${alpha} beta ${beta} (${be.adapter})`);
      }
    }
  }
});

test('wasm axpby: f64 arithmetic rounded once, NaN in s ignored when beta = 0', () => {
  const w = loadWasmGemm()!;
  const heap = new Float32Array(w.mem.buffer);
  const n = 64,
    c = seeded(7, n, 1e3),
    s = seeded(8, n, 1e-3);
  s[5] = NaN;
  heap.set(c, 0);
  heap.set(s, n);
  w.axpby(0, n * 4, 0, 0, n / 4, -0.01, 0, 0);
  for (let i = 0; i < n; i++) assert.ok(Object.is(heap[i], Math.fround(-0.01 * c[i]!)), `beta 0 [${i}]`);
  heap.set(c, 0);
  w.axpby(0, n * 4, 0, 0, n / 4, 0.3, 1.1, 0);
  for (let i = 0; i < n; i++) assert.ok(Object.is(heap[i], Math.fround(0.3 * c[i]! + 1.1 * s[i]!)), `beta 1.1 [${i}]`);
});

test('gemm with a relu or relu-backward after it: exactly gemm then activate / activateBackward (wasm and JS epilogues, every cpu path)', () => {
  let seed = 980;
  const paths = [single, threaded, new CpuBackend({ gemm: 'blocked' }), new CpuBackend({ gemm: 'reference' })];
  for (const [m, n, k] of [
    [64, 256, 784],
    [64, 256, 10],
    [33, 70, 9],
    [5, 12, 3],
    [64, 1, 20],
  ] as const) {
    for (const [alpha, beta] of [
      [1, 0],
      [1, 1],
      [-0.5, 2],
    ] as const) {
      const a = seeded(seed, m * k),
        b = seeded(seed + 1, k * n),
        c0 = seeded(seed + 2, m * n),
        yv = seeded(seed + 3, m * n);
      seed += 4;
      // Signed zeros, NaN and infinities where the bit tricks of the JS kernels matter.
      yv[0] = -0;
      yv[1] = 0;
      yv[2] = NaN;
      yv[3] = Infinity;
      c0[4] = NaN;
      for (const be of paths) {
        const o: GemmOptions = { m, n, k, alpha, beta };
        const A = be.upload(a, [m, k]),
          B = be.upload(b, [k, n]),
          Y = be.upload(yv, [m, n]);
        const plain = be.upload(c0, [m, n]),
          fusedRelu = be.upload(c0, [m, n]),
          fusedBack = be.upload(c0, [m, n]);
        be.gemm(A, B, plain, o);
        be.gemm(A, B, fusedRelu, { ...o, epilogue: { act: 'relu' } });
        be.gemm(A, B, fusedBack, { ...o, epilogue: { backward: 'relu', y: Y } });
        const relu = be.zeros([m, n]),
          back = be.zeros([m, n]);
        be.activate('relu', plain, relu);
        be.activateBackward('relu', Y, plain, back);
        const what = `${m}×${n}×${k} alpha ${alpha} beta ${beta} (${be.adapter})`;
        assert.equal(Array.from(be.data(fusedRelu)), Array.from(be.data(relu)), `relu ${what}`);
        assert.equal(Array.from(be.data(fusedBack)), Array.from(be.data(back)), `reluBackward ${what}`);
        assert.ok(be.data(relu).some((v) => v > 0) && be.data(relu).some((v) => v === 0), `relu keeps and zeroes ${what}`);
        for (const t of [A, B, Y, plain, fusedRelu, fusedBack, relu, back]) be.release(t);
      }
    }
  }
  const be = single,
    A = be.zeros([2, 3]),
    B = be.zeros([3, 4]),
    C = be.zeros([2, 4]),
    Y = be.zeros([2, 3]);
  assert.throws(() => be.gemm(A, B, C, { m: 2, n: 4, k: 3, epilogue: { backward: 'relu', y: Y } }), /shaped like C/);
});

test('teardown', async () => {
  await threaded.dispose();
  await single.dispose();
});

test.run();
