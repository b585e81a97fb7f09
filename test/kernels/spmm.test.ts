import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { spmmCpu } from '../../src/kernels/cpu/spmmCpu.js';
import { spmmTCpu } from '../../src/kernels/cpu/spmmTCpu.js';
import { spmmGpu } from '../../src/kernels/webgpu/spmmGpu.js';
import { spmmTGpu } from '../../src/kernels/webgpu/spmmTGpu.js';
import { assertClose } from './batched/assertClose.js';
import { openSoftwareGpu, type SoftwareGpu } from './batched/softwareGpu.js';

interface Csr {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  dense: Float32Array;
}

/** A seeded rows×k CSR matrix with about `perRow` entries a row (some rows empty), plus its dense form. */
function csr(rng: Rng, rows: number, k: number, perRow: number): Csr {
  const indptr = new Int32Array(rows + 1),
    idx: number[] = [],
    val: number[] = [];
  const dense = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const cnt = rng.float() < 0.1 ? 0 : 1 + rng.int(perRow);
    const cols = new Set<number>();
    for (let i = 0; i < cnt; i++) cols.add(rng.int(k));
    for (const c of [...cols].sort((a, b) => a - b)) {
      idx.push(c);
      const v = Math.fround(rng.normal());
      val.push(v);
      dense[r * k + c] = v;
    }
    indptr[r + 1] = idx.length;
  }
  return { indptr, indices: Int32Array.from(idx), values: Float32Array.from(val), dense };
}

function randn(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

test('cpu: spmm equals the dense product, with alpha and beta', () => {
  const rng = new Rng(5);
  const rows = 11,
    k = 13,
    n = 3,
    a = csr(rng, rows, k, 4),
    b = randn(rng, k * n),
    c0 = randn(rng, rows * n);
  const c = c0.slice();
  spmmCpu(a.indptr, a.indices, a.values, b, c, rows, k, n, { alpha: 2, beta: 0.5 });
  const ref = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += a.dense[r * k + q]! * b[q * n + j]!;
      ref[r * n + j] = 2 * s + 0.5 * c0[r * n + j]!;
    }
  assertClose(c, ref, 1e-5, 1e-5, 'C');
});

test('cpu: spmmT equals the dense transposed product; beta 0 ignores NaN in OUT', () => {
  const rng = new Rng(6);
  const rows = 17,
    k = 9,
    n = 2,
    a = csr(rng, rows, k, 5),
    g = randn(rng, rows * n);
  const out = new Float32Array(k * n).fill(NaN);
  spmmTCpu(a.indptr, a.indices, a.values, g, out, rows, k, n, { alpha: 0.5 });
  const ref = new Float64Array(k * n);
  for (let q = 0; q < k; q++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += a.dense[r * k + q]! * g[r * n + j]!;
      ref[q * n + j] = 0.5 * s;
    }
  assertClose(out, ref, 1e-5, 1e-5, 'OUT');
});

test('cpu: out-of-range column index and short indptr are KernelErrors', () => {
  const v = new Float32Array([1]);
  assert.throws(() => spmmCpu(new Int32Array([0, 1]), new Int32Array([5]), v, new Float32Array(4), new Float32Array(1), 1, 4, 1), /spmm.*outside/);
  assert.throws(() => spmmTCpu(new Int32Array([0]), new Int32Array([0]), v, new Float32Array(1), new Float32Array(4), 1, 4, 1), /spmmT.*indptr/);
});

let gpu: SoftwareGpu | null = null;
test.before(async () => {
  gpu = await openSoftwareGpu();
});
test.after(() => {
  gpu?.close();
  gpu = null;
});

// [rows, k, n, nnz per row]: 1s, primes, n around the 4/16-wide tiles, and a hashed-width case.
const SHAPES: Array<[number, number, number, number]> = [
  [1, 1, 1, 1],
  [1, 7, 3, 3],
  [13, 5, 1, 4],
  [67, 31, 5, 6],
  [64, 64, 16, 8],
  [257, 1009, 17, 12],
  [5003, 1 << 18, 1, 20],
  [20_011, 97, 2, 5],
];

test('webgpu spmm and spmmT match cpu on seeded shapes, beta 0 and beta ≠ 0', async () => {
  if (!gpu) {
    console.log('  (no WebGPU adapter: skipped)');
    return;
  }
  const rng = new Rng(13);
  for (const [rows, k, n, per] of SHAPES) {
    const a = csr(rng, rows, k, per);
    const ti = gpu.upload(a.indptr),
      tj = gpu.upload(a.indices),
      tv = gpu.upload(a.values);
    for (const o of [{}, { alpha: -0.5, beta: 0.25 }]) {
      const what = `${rows}x${k} n=${n} ${JSON.stringify(o)}`;
      const b = randn(rng, k * n),
        c = randn(rng, rows * n),
        g = randn(rng, rows * n),
        out = randn(rng, k * n);
      const tb = gpu.upload(b),
        tc = gpu.upload(c),
        tg = gpu.upload(g),
        tout = gpu.upload(out);
      spmmCpu(a.indptr, a.indices, a.values, b, c, rows, k, n, o);
      spmmTCpu(a.indptr, a.indices, a.values, g, out, rows, k, n, o);
      spmmGpu(gpu.ctx, ti, tj, tv, tb, tc, rows, k, n, o);
      spmmTGpu(gpu.ctx, ti, tj, tv, tg, tout, rows, k, n, o);
      await gpu.sync();
      assertClose(await gpu.read(tc), c, 1e-4, 1e-4, `${what} spmm`);
      assertClose(await gpu.read(tout), out, 1e-4, 1e-4, `${what} spmmT`);
      [tb, tc, tg, tout].forEach((t) => gpu!.release(t));
    }
    [ti, tj, tv].forEach((t) => gpu!.release(t));
  }
});

test.run();
