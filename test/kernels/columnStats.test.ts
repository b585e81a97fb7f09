import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { columnStatsCpu } from '../../src/kernels/cpu/columnStatsCpu.js';
import { columnStatsGpu } from '../../src/kernels/webgpu/columnStatsGpu.js';
import { assertClose } from './batched/assertClose.js';
import { openSoftwareGpu, type SoftwareGpu } from './batched/softwareGpu.js';

/** rows×cols with an offset per column (to catch sum-of-squares cancellation) and some NaN. */
function matrix(rng: Rng, rows: number, cols: number, nanRate: number, offset = 0): Float32Array {
  const x = new Float32Array(rows * cols);
  for (let i = 0; i < x.length; i++) x[i] = rng.float() < nanRate ? NaN : offset + (i % cols) + rng.normal(0, 1 + (i % 3));
  return x;
}

/** Two-pass f64 statistics, an independent reference for the single-pass CPU kernel. */
function twoPass(x: Float32Array, rows: number, cols: number, c: number): number[] {
  const v: number[] = [];
  for (let r = 0; r < rows; r++) if (!Number.isNaN(x[r * cols + c]!)) v.push(x[r * cols + c]!);
  if (v.length === 0) return [0, 0, NaN, 0, NaN, NaN];
  const sum = v.reduce((a, b) => a + b, 0),
    mean = sum / v.length;
  return [v.length, sum, mean, v.reduce((a, b) => a + (b - mean) ** 2, 0), Math.min(...v), Math.max(...v)];
}

test('cpu: matches a two-pass reference, ignores NaN, empty columns give NaN mean/min/max', () => {
  const rng = new Rng(3);
  const rows = 257,
    cols = 5;
  const x = matrix(rng, rows, cols, 0.1, 1e4);
  for (let r = 0; r < rows; r++) x[r * cols + 4] = NaN; // column 4 all missing
  const out = new Float32Array(6 * cols);
  columnStatsCpu(x, out, rows, cols);
  for (let c = 0; c < cols; c++) {
    const ref = twoPass(x, rows, cols, c);
    assertClose(
      [0, 1, 2, 3, 4, 5].map((s) => out[s * cols + c]!),
      ref,
      1e-3,
      1e-5,
      `col ${c}`,
    );
  }
  assert.is(out[4], 0);
  assert.ok(Number.isNaN(out[2 * cols + 4]!));
});

test('cpu: M2 stays accurate for values with a large common offset', () => {
  const rows = 1000,
    x = new Float32Array(rows);
  for (let r = 0; r < rows; r++) x[r] = 1e6 + (r % 2); // variance 0.25, float32-exact values
  const out = new Float32Array(6);
  columnStatsCpu(x, out, rows, 1);
  assert.ok(Math.abs(out[3]! - 250) < 1e-3, `M2 ${out[3]}`);
});

test('cpu: too-small buffers are a KernelError', () => {
  assert.throws(() => columnStatsCpu(new Float32Array(5), new Float32Array(12), 3, 2), /columnStats/);
});

let gpu: SoftwareGpu | null = null;
test.before(async () => {
  gpu = await openSoftwareGpu();
});
test.after(() => {
  gpu?.close();
  gpu = null;
});

const SHAPES: Array<[number, number]> = [
  [1, 1],
  [1, 7],
  [7, 1],
  [13, 3],
  [64, 16],
  [131, 17],
  [1000, 5],
  [4099, 33],
  [200_003, 2],
  [3, 70_001],
];

test('webgpu matches cpu on seeded shapes (1, primes, non-multiples of the tile, large), with NaN', async () => {
  if (!gpu) {
    console.log('  (no WebGPU adapter: skipped)');
    return;
  }
  const rng = new Rng(11);
  for (const [rows, cols] of SHAPES) {
    for (const [nanRate, offset] of [
      [0, 0],
      [0.2, 1000],
    ] as const) {
      const x = matrix(rng, rows, cols, nanRate, offset);
      if (cols > 2 && rows > 0) for (let r = 0; r < rows; r++) x[r * cols + 1] = NaN; // one empty column
      const ref = new Float32Array(6 * cols);
      columnStatsCpu(x, ref, rows, cols);
      const tx = gpu.upload(x),
        to = gpu.zeros([6, cols]);
      columnStatsGpu(gpu.ctx, tx, to, rows, cols);
      await gpu.sync();
      const got = await gpu.read(to);
      const what = `${rows}x${cols} nan=${nanRate}`;
      // count/min/max exact; sum/mean/M2 to f32 rounding of a tree reduction.
      assertClose(got.subarray(0, cols), ref.subarray(0, cols), 0, 0, `${what} count`);
      assertClose(got.subarray(cols, 2 * cols), ref.subarray(cols, 2 * cols), 1e-2, 1e-4, `${what} sum`);
      assertClose(got.subarray(2 * cols, 3 * cols), ref.subarray(2 * cols, 3 * cols), 1e-4, 1e-4, `${what} mean`);
      assertClose(got.subarray(3 * cols, 4 * cols), ref.subarray(3 * cols, 4 * cols), 1e-3, 1e-3, `${what} M2`);
      assertClose(got.subarray(4 * cols), ref.subarray(4 * cols), 0, 0, `${what} min/max`);
      gpu.release(tx);
      gpu.release(to);
    }
  }
});

test.run();
