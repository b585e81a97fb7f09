import { columnFunctionCpu } from './columnFunctionCpu.js';
import { compileColumnFunction } from './compileColumnFunction.js';
import { GpuJsBackend } from './GpuJsBackend.js';

export interface PathTiming {
  /** Median milliseconds per call. */
  tsMs: number;
  webasmMs: number;
  faster: 'ts' | 'webasm';
}

export interface CpuPathReport {
  /** m×k · k×n, the shape of a mini-batch through a dense layer. */
  gemm: PathTiming & { m: number; n: number; k: number };
  /** (distance, time) => distance / (time + 1) over `rows` rows. */
  derived: PathTiming & { rows: number };
}

export interface MeasureCpuPathsOptions {
  m?: number;
  n?: number;
  k?: number;
  rows?: number;
  /** Timed repetitions per path (median taken), after one warm-up call. */
  reps?: number;
}

/** Plain-TypeScript GEMM baseline: i-p-j loop order (streams B rows), f32 storage, f64 accumulate per element step. */
function gemmTs(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void {
  c.fill(0);
  for (let i = 0; i < m; i++) {
    const co = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p]!,
        bo = p * n;
      for (let j = 0; j < n; j++) c[co + j]! += av * b[bo + j]!;
    }
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function time(reps: number, f: () => unknown): Promise<number> {
  await f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

/**
 * Times plain TypeScript loops against gpu.js webasm (single-threaded SIMD, the synchronous
 * path a backend call would use) on a representative GEMM and a derived-feature kernel, and
 * says which is faster for each. Deterministic inputs; takes well under a second by default.
 */
export async function measureCpuPaths(options: MeasureCpuPathsOptions = {}): Promise<CpuPathReport> {
  const m = options.m ?? 256,
    n = options.n ?? 64,
    k = options.k ?? 128,
    rows = options.rows ?? 1_000_000,
    reps = options.reps ?? 5;
  const a = new Float32Array(m * k).map((_, i) => ((i * 7919) % 101) / 101 - 0.5);
  const b = new Float32Array(k * n).map((_, i) => ((i * 104729) % 97) / 97 - 0.5);
  const c = new Float32Array(m * n);
  const tsGemm = await time(reps, () => gemmTs(a, b, c, m, n, k));
  const gj = new GpuJsBackend({ mode: 'webasm' });
  let wasmGemm: number;
  try {
    const ta = gj.upload(a, [m, k]),
      tb = gj.upload(b, [k, n]),
      tc = gj.zeros([m, n]);
    wasmGemm = await time(reps, async () => {
      gj.gemm(ta, tb, tc, { m, n, k });
      await gj.sync();
    });
  } finally {
    await gj.dispose();
  }

  const fn = (distance: number, t: number) => distance / (t + 1);
  const d = new Float32Array(rows).map((_, i) => (i % 1000) * 1.7);
  const t = new Float32Array(rows).map((_, i) => (i % 37) * 3.1);
  const twin = columnFunctionCpu(fn);
  const tsDerived = await time(reps, () => twin([d, t]));
  const kernel = compileColumnFunction(fn, { mode: 'webasm' });
  let wasmDerived: number;
  try {
    wasmDerived = await time(reps, () => kernel([d, t]));
  } finally {
    await kernel.dispose();
  }
  return {
    gemm: { m, n, k, tsMs: tsGemm, webasmMs: wasmGemm, faster: wasmGemm < tsGemm ? 'webasm' : 'ts' },
    derived: { rows, tsMs: tsDerived, webasmMs: wasmDerived, faster: wasmDerived < tsDerived ? 'webasm' : 'ts' },
  };
}
