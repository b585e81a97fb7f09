import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../../src/core/index.js';
import { type Activation, type Backend, type LossKind, OPTIMIZER_STATE, type OptimizerKind } from '../../../src/kernels/Backend.js';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';
import { GpuJsBackend } from '../../../src/kernels/gpujs/GpuJsBackend.js';
import { assertClose } from '../batched/assertClose.js';

function randn(rng: Rng, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * scale;
  return a;
}

/** Runs `body` on both backends with the same seeded inputs and compares every output tensor. */
async function both(
  gj: Backend,
  cpu: Backend,
  seed: number,
  what: string,
  atol: number,
  rtol: number,
  body: (b: Backend, up: (d: Float32Array | Int32Array, shape: number[]) => ReturnType<Backend['upload']>) => ReturnType<Backend['upload']>[],
): Promise<void> {
  const outs: Float32Array[][] = [];
  for (const b of [cpu, gj]) {
    const rng = new Rng(seed);
    void rng;
    const ts = body(b, (d, shape) => b.upload(d, shape));
    await b.sync();
    outs.push(await Promise.all(ts.map(async (t) => (await b.read(t)) as Float32Array)));
  }
  outs[0]!.forEach((want, i) => assertClose(outs[1]![i]!, want, atol, rtol, `${gj.name} ${what} out${i}`));
}

const GEMM: Array<[number, number, number]> = [
  [1, 1, 1],
  [7, 5, 3],
  [13, 17, 11],
  [64, 33, 65],
  [130, 67, 129],
];

for (const mode of ['webasm', 'webgpu'] as const) {
  test(`gpujs ${mode}: gemm (all transposes, alpha/beta), biasAdd, colSum match the cpu backend`, async () => {
    const gj = new GpuJsBackend({ mode }),
      cpu = new CpuBackend();
    try {
      const rng = new Rng(41);
      for (const [m, n, k] of GEMM) {
        const a = randn(rng, m * k),
          b = randn(rng, k * n),
          c = randn(rng, m * n),
          bias = randn(rng, n);
        for (const [ta, tb] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as const) {
          const o = { m, n, k, transA: ta, transB: tb, alpha: 0.5, beta: ta ? 0 : 1.5 };
          await both(gj, cpu, 0, `gemm ${m}x${n}x${k} ${ta}${tb}`, 1e-4, 1e-4, (be, up) => {
            const tc = up(c, [m, n]);
            be.gemm(up(a, ta ? [k, m] : [m, k]), up(b, tb ? [n, k] : [k, n]), tc, o);
            return [tc];
          });
        }
        await both(gj, cpu, 0, `biasAdd/colSum ${m}x${n}`, 1e-4, 1e-4, (be, up) => {
          const x = up(c, [m, n]),
            s = up(bias, [n]);
          be.biasAdd(x, up(bias, [n]), m, n);
          be.colSum(x, s, m, n, { alpha: 2, beta: 0.5 });
          return [x, s];
        });
      }
    } finally {
      await gj.dispose();
      await cpu.dispose();
    }
  });

  test(`gpujs ${mode}: activations (forward, backward), softmax, lossGrad match the cpu backend`, async () => {
    const gj = new GpuJsBackend({ mode }),
      cpu = new CpuBackend();
    try {
      const rng = new Rng(43);
      for (const [rows, cols] of [
        [1, 1],
        [3, 7],
        [31, 5],
        [257, 10],
      ] as const) {
        const x = randn(rng, rows * cols, 3);
        for (const kind of ['identity', 'relu', 'sigmoid', 'tanh'] as Activation[]) {
          const dy = randn(rng, rows * cols);
          await both(gj, cpu, 0, `activate ${kind} ${rows}x${cols}`, 1e-5, 1e-4, (be, up) => {
            const y = be.zeros([rows * cols]),
              dx = be.zeros([rows * cols]);
            be.activate(kind, up(x, [rows * cols]), y);
            be.activateBackward(kind, y, up(dy, [rows * cols]), dx);
            return [y, dx];
          });
        }
        await both(gj, cpu, 0, `softmax ${rows}x${cols}`, 1e-6, 1e-4, (be, up) => {
          const y = be.zeros([rows, cols]);
          be.softmax(up(x, [rows, cols]), y, rows, cols);
          return [y];
        });
        const w = Float32Array.from({ length: rows }, () => rng.float() * 2);
        for (const kind of ['logistic', 'softmax', 'squared', 'hinge'] as LossKind[]) {
          const c = kind === 'logistic' || kind === 'hinge' ? 1 : cols;
          if (kind === 'softmax' && c < 2) continue;
          const t = Float32Array.from({ length: kind === 'squared' ? rows * c : rows }, () =>
            kind === 'squared' ? rng.normal() : kind === 'softmax' ? rng.int(c) : rng.int(2),
          );
          const z = x.subarray(0, rows * c);
          for (const weighted of [false, true]) {
            await both(gj, cpu, 0, `lossGrad ${kind} ${rows}x${c} w=${weighted}`, 1e-5, 1e-4, (be, up) => {
              const g = be.zeros([rows, c]),
                l = be.zeros([rows]);
              const targets = kind === 'softmax' ? up(Int32Array.from(t), [rows]) : up(t, [t.length]);
              be.lossGrad(kind, up(z, [rows, c]), targets, weighted ? up(w, [rows]) : null, g, l, rows, c, 1 / rows);
              return [g, l];
            });
          }
        }
      }
    } finally {
      await gj.dispose();
      await cpu.dispose();
    }
  });

  test(`gpujs ${mode}: optimizer updates (3 steps, L1/L2) and the delegated columnStats/spmm/spmmT match cpu`, async () => {
    const gj = new GpuJsBackend({ mode }),
      cpu = new CpuBackend();
    try {
      const rng = new Rng(47);
      for (const kind of ['sgd', 'momentum', 'nesterov', 'adam', 'adagrad', 'rmsprop'] as OptimizerKind[]) {
        for (const n of [1, 13, 4099]) {
          const w0 = randn(rng, n),
            grads = [randn(rng, n), randn(rng, n), randn(rng, n)];
          await both(gj, cpu, 0, `${kind} n=${n}`, 1e-5, 1e-4, (be, up) => {
            const w = up(w0, [n]),
              st = Array.from({ length: OPTIMIZER_STATE[kind] }, () => be.zeros([n]));
            grads.forEach((g, i) => be.optimizerStep(kind, w, up(g, [n]), st, { lr: 0.05, l2: 0.01, l1: 0.001, step: i + 1 }));
            return [w, ...st];
          });
        }
      }
      const x = randn(rng, 37 * 3);
      x[4] = NaN;
      await both(gj, cpu, 0, 'columnStats', 0, 0, (be, up) => {
        const o = be.zeros([6, 3]);
        be.columnStats(up(x, [37, 3]), o, 37, 3);
        return [o];
      });
      const indptr = Int32Array.from([0, 2, 2, 5]),
        indices = Int32Array.from([0, 3, 1, 2, 3]),
        vals = randn(rng, 5),
        b = randn(rng, 8),
        g = randn(rng, 6);
      await both(gj, cpu, 0, 'spmm/spmmT', 0, 0, (be, up) => {
        const c = be.zeros([3, 2]),
          out = be.zeros([4, 2]);
        be.spmm(up(indptr, [4]), up(indices, [5]), up(vals, [5]), up(b, [4, 2]), c, 3, 4, 2);
        be.spmmT(up(indptr, [4]), up(indices, [5]), up(vals, [5]), up(g, [3, 2]), out, 3, 4, 2);
        return [c, out];
      });
    } finally {
      await gj.dispose();
      await cpu.dispose();
    }
  });
}

test('gpujs: bad shapes are KernelErrors naming the kernel; foreign tensors are refused', async () => {
  const gj = new GpuJsBackend(),
    cpu = new CpuBackend();
  try {
    assert.throws(() => gj.gemm(gj.zeros([2, 3]), gj.zeros([2, 3]), gj.zeros([2, 3]), { m: 2, n: 3, k: 3 }), /gemm/);
    assert.throws(() => gj.activate('relu', cpu.zeros([3]), gj.zeros([3])), /cpu backend/);
  } finally {
    await gj.dispose();
    await cpu.dispose();
  }
});

test.run();
