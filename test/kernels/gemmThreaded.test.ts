import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelError } from '../../src/core/index.js';
import { GemmWorkerPool } from '../../src/kernels/cpu/GemmWorkerPool.js';
import { gemmCpu, loadWasmGemm } from '../../src/kernels/cpu/index.js';
import { CpuBackend, type GemmOptions } from '../../src/kernels/index.js';
import { closeTo } from './closeTo.js';
import { seeded } from './seeded.js';

// gemmThreadMin 0: every product with more than one tile block is shared, however small.
const threaded = new CpuBackend({ threads: 2, gemmThreadMin: 0 });
const single = new CpuBackend({ threads: 1 });
const TRANS: Array<[boolean, boolean]> = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

// f32 products summed over k in f32 (see gemm.test.ts).
const atolFor = (k: number, scale = 1) => 2e-6 * Math.max(k, 1) * scale;

function check(be: CpuBackend, o: GemmOptions, seed: number, bScale = 1): void {
  const { m, n, k } = o;
  const a = seeded(seed, m * k),
    b = seeded(seed + 1, k * n, bScale),
    c0 = seeded(seed + 2, m * n);
  const want = c0.slice();
  gemmCpu(a, b, want, o);
  const A = be.upload(a, o.transA ? [k, m] : [m, k]),
    B = be.upload(b, o.transB ? [n, k] : [k, n]),
    C = be.upload(c0, [m, n]);
  be.gemm(A, B, C, o);
  closeTo(be.data(C), want, atolFor(k, bScale), 1e-4, `${be.adapter} gemm ${JSON.stringify(o)}`);
  for (const t of [A, B, C]) be.release(t);
}

test('the threaded backend runs on shared wasm memory with workers', () => {
  assert.ok(loadWasmGemm()?.shared, 'shared wasm memory (threads proposal) is available on Node 20');
  assert.match(threaded.adapter, /WebAssembly SIMD GEMM, 2 threads/);
  assert.not.match(single.adapter, /threads/);
});

test('threaded GEMM matches the reference: sizes 1, primes, non-multiples of the tile, all transposes', () => {
  // Shapes spanning several 64-row and 256-column blocks (so tiles are split among threads),
  // ragged in every dimension, with k over one 256-deep block; plus degenerate ones.
  const shapes: Array<[number, number, number]> = [
    [1, 1, 1],
    [1, 2, 1],
    [2, 1, 3],
    [7, 13, 5],
    [67, 263, 257],
    [131, 17, 29],
    [203, 517, 300],
    [257, 9, 600],
    [5, 1031, 3],
  ];
  let seed = 500;
  for (const [m, n, k] of shapes) for (const [transA, transB] of TRANS) check(threaded, { m, n, k, transA, transB }, seed++);
  const stats = threaded.gemmThreadStats;
  assert.ok(stats && stats.jobs > 0 && stats.tasks > stats.jobs, `shared jobs ran: ${JSON.stringify(stats)}`);
});

test('threaded GEMM: alpha/beta (beta = 0 never reads C), k = 0', () => {
  check(threaded, { m: 130, n: 300, k: 70, alpha: 0.5, beta: -2 }, 31);
  check(threaded, { m: 129, n: 260, k: 513, transA: true, transB: true, alpha: -1.5, beta: 1 }, 32);
  check(threaded, { m: 200, n: 270, k: 33, transB: true, alpha: 2 }, 33);
  check(threaded, { m: 70, n: 300, k: 0, beta: 3 }, 34);
  const m = 130,
    n = 300,
    k = 40;
  const A = threaded.upload(seeded(35, m * k), [m, k]),
    B = threaded.upload(seeded(36, k * n), [k, n]);
  const C = threaded.upload(new Float32Array(m * n).fill(NaN), [m, n]);
  threaded.gemm(A, B, C, { m, n, k });
  const want = new Float32Array(m * n);
  gemmCpu(threaded.data(A) as Float32Array, threaded.data(B) as Float32Array, want, { m, n, k });
  closeTo(threaded.data(C), want, atolFor(k), 1e-4, 'beta = 0 with NaN in C');
});

test('1024×784×256 (a 784→256 layer at batch 1024), all transposes: threaded and single-threaded agree with the reference', () => {
  // One reference product (the naive loop is slow here); the transposes store the same op(A), op(B).
  const m = 1024,
    n = 256,
    k = 784;
  const a = seeded(40, m * k),
    b = seeded(41, k * n, 0.05);
  const want = new Float32Array(m * n);
  gemmCpu(a, b, want, { m, n, k });
  const transpose = (x: Float32Array, r: number, c: number) => {
    const t = new Float32Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j]!;
    return t;
  };
  const aT = transpose(a, m, k),
    bT = transpose(b, k, n);
  for (const [be, trans] of [
    [threaded, TRANS],
    [single, [[false, false]]],
  ] as const) {
    for (const [transA, transB] of trans) {
      const A = be.upload(transA ? aT : a, transA ? [k, m] : [m, k]),
        B = be.upload(transB ? bT : b, transB ? [n, k] : [k, n]),
        C = be.zeros([m, n]);
      be.gemm(A, B, C, { m, n, k, transA, transB });
      closeTo(be.data(C), want, atolFor(k, 0.05), 1e-4, `${be.adapter} 1024×784×256 transA=${transA} transB=${transB}`);
      for (const t of [A, B, C]) be.release(t);
    }
  }
});

test('workers take tiles (the caller does not run every one)', () => {
  // A worker is scheduled by the OS, so on a loaded machine it may miss some jobs: repeat until
  // one of its tiles shows, for at most 20 s (a bound on waiting, not a timing assertion).
  const be = new CpuBackend({ threads: 2, gemmThreadMin: 0 });
  const m = 512,
    n = 512,
    k = 256;
  const A = be.upload(seeded(50, m * k), [m, k]),
    B = be.upload(seeded(51, k * n), [k, n]),
    C = be.zeros([m, n]);
  const until = Date.now() + 20_000;
  let stats = be.gemmThreadStats;
  do {
    be.gemm(A, B, C, { m, n, k });
    stats = be.gemmThreadStats;
    if (stats && stats.callerTasks < stats.tasks) break;
    const t = Date.now() + 5;
    while (Date.now() < t) {
      /* let the worker boot: it starts on its own thread */
    }
  } while (Date.now() < until);
  assert.ok(stats && stats.callerTasks < stats.tasks, `a worker ran tiles: ${JSON.stringify(stats)}`);
  return be.dispose();
});

test('dispose() ends the workers; a disposed backend refuses GEMM', async () => {
  const be = new CpuBackend({ threads: 2, gemmThreadMin: 0 });
  const A = be.upload(seeded(60, 256 * 256), [256, 256]),
    C = be.zeros([256, 256]);
  be.gemm(A, A, C, { m: 256, n: 256, k: 256 });
  assert.ok(be.gemmThreadStats, 'the pool started');
  await be.dispose();
  assert.is(be.gemmThreadStats, null);
  assert.throws(
    () => be.gemm(A, A, C, { m: 256, n: 256, k: 256 }),
    (e: unknown) => e instanceof KernelError,
  );
});

test('workers do not keep Node alive: a process that never disposes its backend exits', () => {
  const script = `
    import { CpuBackend } from './src/kernels/index.ts';
    const be = new CpuBackend({ threads: 2, gemmThreadMin: 0 });
    const A = be.upload(new Float32Array(512 * 512).fill(1), [512, 512]), C = be.zeros([512, 512]);
    be.gemm(A, A, C, { m: 512, n: 512, k: 512 });
    console.log(be.data(C)[0], be.gemmThreadStats.jobs);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 45_000 });
  assert.is(r.signal, null, `the child was killed after 45 s (still alive?): ${r.stderr}`);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), '512 1');
});

test('pool policy: sharing declined per size class while it is slower than running alone; huge products always shared', async () => {
  const pool = new GemmWorkerPool(loadWasmGemm()!, 0);
  const small = 2 ** 22,
    other = 2 ** 24,
    huge = 2 ** 30;
  assert.ok(pool.shouldShare(small));
  pool.record(small, true, 1); // no single-threaded figure yet: the next one runs alone to get it
  assert.not.ok(pool.shouldShare(small));
  pool.record(small, false, 1);
  assert.ok(pool.shouldShare(small));
  pool.record(small, true, 2); // sharing slower: decline 2, then try again
  assert.ok(pool.shouldShare(other), 'another size class is not affected');
  assert.equal([pool.shouldShare(small), pool.shouldShare(small), pool.shouldShare(small)], [false, false, true]);
  pool.record(small, true, 5); // still slower (moving average): back-off doubles to 4
  assert.equal(
    [0, 1, 2, 3, 4].map(() => pool.shouldShare(small)),
    [false, false, false, false, true],
  );
  const mid = 2 ** 26; // sharing that pays keeps being chosen
  pool.record(mid, false, 1);
  for (let i = 0; i < 5; i++) {
    assert.ok(pool.shouldShare(mid));
    pool.record(mid, true, 0.6);
  }
  pool.record(huge, true, 100);
  assert.ok(pool.shouldShare(huge));
  assert.is(pool.stats.declined, 7);
  await pool.dispose();
});

test('teardown', async () => {
  await threaded.dispose();
  await single.dispose();
});

test.run();
