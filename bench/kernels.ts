/**
 * Kernel benchmarks: GEMM GFLOP/s per backend at 256³, 1024³, 4096³ against the naive-loop CPU
 * GEMM in the same process (`cpu` is the default CPU path: wasm SIMD on all cores when sharing
 * pays; `cpu-1t` the same kernel on one thread; notes carry the 1-minute load average, as the
 * machine is shared); a logistic-regression step and an MLP 784-256-10 step at batch 1024
 * (ms per step, against the same step on the reference CPU backend); dispatch overhead.
 * Webgpu figures carry the adapter in `note`; a software adapter (llvmpipe) is labelled as such
 * and is not a GPU figure. `--quick` runs only the 256³ GEMM and the dispatch figure.
 */
import { loadavg } from 'node:os';
import { Rng } from '../src/core/index.js';
import { type Backend, CpuBackend, createWebGpuBackend, type Tensor } from '../src/kernels/index.js';
import type { Reporter } from './Reporter.js';

const SUITE = 'kernels';

function randn(n: number, seed: number, scale = 1): Float32Array {
  const r = new Rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r.normal() * scale;
  return out;
}

const singleThread = new WeakSet<Backend>();

function label(be: Backend): string {
  return be.name === 'webgpu'
    ? be.isHardware
      ? 'webgpu'
      : 'webgpu-sw'
    : be.adapter.includes('reference')
      ? 'cpu-naive'
      : singleThread.has(be)
        ? 'cpu-1t'
        : be.name;
}

function note(be: Backend, extra = ''): string {
  const where = be.name === 'webgpu' ? `adapter: ${be.adapter}${be.isHardware ? '' : ' — SOFTWARE rasteriser on the CPU, not a GPU figure'}` : be.adapter;
  const load = be.name === 'cpu' ? `; load avg ${loadavg()[0]!.toFixed(1)} on ${process.arch}` : '';
  return (extra ? `${extra}; ${where}` : where) + load;
}

/** The threaded CPU GEMM's counters, read by name (no instanceof on backends outside src/kernels). */
function threadStats(be: Backend): CpuBackend['gemmThreadStats'] {
  return 'gemmThreadStats' in be ? (be as CpuBackend).gemmThreadStats : null;
}

/** How a threaded CPU GEMM shared its tiles since `before` (null for other backends). */
function shareNote(be: Backend, before: CpuBackend['gemmThreadStats']): string {
  const now = threadStats(be);
  if (!now) return '';
  const jobs = now.jobs - (before?.jobs ?? 0),
    declined = now.declined - (before?.declined ?? 0);
  const tasks = now.tasks - (before?.tasks ?? 0),
    worker = tasks - (now.callerTasks - (before?.callerTasks ?? 0));
  return `, ${jobs} shared / ${declined} run alone (sharing declined while it did not pay), workers ran ${tasks ? Math.round((100 * worker) / tasks) : 0}% of shared tiles`;
}

/** Seconds per GEMM, after one warm-up call; repeats until `minSeconds` or `maxReps`. */
async function timeGemm(be: Backend, n: number, minSeconds: number, maxReps: number): Promise<number> {
  const a = be.upload(randn(n * n, 1), [n, n]);
  const b = be.upload(randn(n * n, 2), [n, n]);
  const c = be.zeros([n, n]);
  be.gemm(a, b, c, { m: n, n, k: n });
  await be.sync();
  let reps = 0;
  const t0 = performance.now();
  while (reps < maxReps) {
    be.gemm(a, b, c, { m: n, n, k: n });
    await be.sync();
    reps++;
    if ((performance.now() - t0) / 1000 >= minSeconds) break;
  }
  const s = (performance.now() - t0) / 1000 / reps;
  for (const t of [a, b, c]) be.release(t);
  return s;
}

interface Net {
  tensors: Tensor[];
  step(): void;
}

/** Logistic regression, batch 1024 × 784 features: forward GEMV, bias, fused loss, gradient GEMV, bias gradient, Adam on w and b. */
function logistic(be: Backend): Net {
  const B = 1024,
    D = 784;
  const X = be.upload(randn(B * D, 3), [B, D]);
  const y = be.upload(
    Float32Array.from({ length: B }, (_, i) => i % 2),
    [B],
  );
  const w = be.upload(randn(D, 4, 0.01), [D, 1]),
    b = be.zeros([1]);
  const z = be.zeros([B, 1]),
    g = be.zeros([B, 1]),
    loss = be.zeros([B]);
  const gw = be.zeros([D, 1]),
    gb = be.zeros([1]);
  const sw = [be.zeros([D]), be.zeros([D])],
    sb = [be.zeros([1]), be.zeros([1])];
  let t = 0;
  return {
    tensors: [X, y, w, b, z, g, loss, gw, gb, ...sw, ...sb],
    step() {
      t++;
      be.gemm(X, w, z, { m: B, n: 1, k: D });
      be.biasAdd(z, b, B, 1);
      be.lossGrad('logistic', z, y, null, g, loss, B, 1, 1 / B);
      be.gemm(X, g, gw, { m: D, n: 1, k: B, transA: true });
      be.colSum(g, gb, B, 1);
      be.optimizerStep('adam', w, gw, sw, { lr: 0.01, step: t });
      be.optimizerStep('adam', b, gb, sb, { lr: 0.01, step: t });
    },
  };
}

/** MLP 784-256-10 (ReLU, softmax cross-entropy), batch 1024: forward, loss, backward, Adam on all four parameters. */
function mlp(be: Backend): Net {
  const B = 1024,
    D = 784,
    H = 256,
    C = 10;
  const X = be.upload(randn(B * D, 5), [B, D]);
  const y = be.upload(
    Int32Array.from({ length: B }, (_, i) => i % C),
    [B],
  );
  const W1 = be.upload(randn(D * H, 6, 0.05), [D, H]),
    b1 = be.zeros([H]);
  const W2 = be.upload(randn(H * C, 7, 0.05), [H, C]),
    b2 = be.zeros([C]);
  const h = be.zeros([B, H]),
    z = be.zeros([B, C]),
    g = be.zeros([B, C]),
    loss = be.zeros([B]);
  const dW1 = be.zeros([D, H]),
    db1 = be.zeros([H]),
    dW2 = be.zeros([H, C]),
    db2 = be.zeros([C]),
    dh = be.zeros([B, H]);
  const params: Array<[Tensor, Tensor, Tensor[]]> = [
    [W1, dW1, [be.zeros([D * H]), be.zeros([D * H])]],
    [b1, db1, [be.zeros([H]), be.zeros([H])]],
    [W2, dW2, [be.zeros([H * C]), be.zeros([H * C])]],
    [b2, db2, [be.zeros([C]), be.zeros([C])]],
  ];
  let t = 0;
  return {
    tensors: [X, y, W1, b1, W2, b2, h, z, g, loss, dW1, db1, dW2, db2, dh, ...params.flatMap((p) => p[2])],
    step() {
      t++;
      be.gemm(X, W1, h, { m: B, n: H, k: D });
      be.biasAdd(h, b1, B, H);
      be.activate('relu', h, h);
      be.gemm(h, W2, z, { m: B, n: C, k: H });
      be.biasAdd(z, b2, B, C);
      be.lossGrad('softmax', z, y, null, g, loss, B, C, 1 / B);
      be.gemm(h, g, dW2, { m: H, n: C, k: B, transA: true });
      be.colSum(g, db2, B, C);
      be.gemm(g, W2, dh, { m: B, n: H, k: C, transB: true });
      be.activateBackward('relu', h, dh, dh);
      be.gemm(X, dh, dW1, { m: D, n: H, k: B, transA: true });
      be.colSum(dh, db1, B, H);
      for (const [p, gr, s] of params) be.optimizerStep('adam', p, gr, s, { lr: 1e-3, step: t });
    },
  };
}

async function msPerStep(be: Backend, make: (be: Backend) => Net, minSeconds: number, maxSteps: number): Promise<number> {
  const net = make(be);
  net.step();
  await be.sync();
  let steps = 0;
  const t0 = performance.now();
  while (steps < maxSteps) {
    net.step();
    await be.sync();
    steps++;
    if ((performance.now() - t0) / 1000 >= minSeconds) break;
  }
  const ms = (performance.now() - t0) / steps;
  for (const t of net.tensors) be.release(t);
  return ms;
}

/** Microseconds per dispatch: many tiny kernels recorded, one sync. */
async function dispatchUs(be: Backend, count: number): Promise<number> {
  const x = be.upload(randn(64, 8), [64]);
  for (let i = 0; i < 10; i++) be.activate('relu', x, x);
  await be.sync();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) be.activate('relu', x, x);
  await be.sync();
  const us = ((performance.now() - t0) * 1000) / count;
  be.release(x);
  return us;
}

export async function run(reporter: Reporter, args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const naive = new CpuBackend({ gemm: 'reference' });
  const cpu = new CpuBackend({ gemm: 'fast' });
  const cpu1t = new CpuBackend({ gemm: 'fast', threads: 1 });
  singleThread.add(cpu1t);
  const backends: Backend[] = [cpu];
  // Start the GEMM workers (≈ 0.25–0.5 s to boot on a loaded machine) before anything is timed.
  {
    const x = cpu.zeros([512, 512]);
    cpu.gemm(x, x, x, { m: 512, n: 512, k: 512 });
    cpu.release(x);
    await new Promise((r) => setTimeout(r, 1000));
  }
  try {
    const gpu = await createWebGpuBackend({});
    backends.push(gpu);
    reporter.log(`webgpu adapter: ${gpu.adapter} (${gpu.isHardware ? 'hardware' : 'software'})`);
  } catch (err) {
    reporter.log(`webgpu unavailable: ${(err as Error).message}`);
  }

  const sizes = quick ? [256] : [256, 1024, 4096];
  const naiveGflops = new Map<number, number>();
  for (const n of sizes) {
    const flop = 2 * n ** 3;
    if (n <= 1024) {
      reporter.log(`gemm ${n}³ cpu-naive ...`);
      const s = await timeGemm(naive, n, 1, n <= 256 ? 20 : 1);
      naiveGflops.set(n, flop / s / 1e9);
      reporter.report({ suite: SUITE, name: `gemm-${n}-cpu-naive`, value: flop / s / 1e9, unit: 'GFLOP/s', note: note(naive, 'baseline: plain triple loop') });
    }
    for (const be of [cpu1t, ...backends]) {
      const software = be.name === 'webgpu' && !be.isHardware;
      if (n === 4096 && software) {
        reporter.log(`gemm-4096-${label(be)}: skipped (software adapter: minutes per call)`);
        continue;
      }
      reporter.log(`gemm ${n}³ ${label(be)} ...`);
      const before = threadStats(be);
      const s = await timeGemm(be, n, n >= 4096 ? 0 : 2, n >= 4096 ? 1 : 50);
      const gflops = flop / s / 1e9;
      // 4096³ has no naive run (≈ 7 minutes here); its ratio uses the 1024³ naive rate, which is no slower per flop.
      const base = naiveGflops.get(n) ?? naiveGflops.get(1024);
      reporter.report({
        suite: SUITE,
        name: `gemm-${n}-${label(be)}`,
        value: gflops,
        unit: 'GFLOP/s',
        ...(base ? { baseline: base, ratio: gflops / base } : {}),
        note: note(be, `${n}³${n === 4096 ? ', baseline = naive 1024³ rate' : ''}${be.name === 'cpu' ? ', target ≥ 20 GFLOP/s' : ''}${shareNote(be, before)}`),
      });
    }
  }

  if (!quick) {
    for (const [name, make, stepsBase] of [
      ['logistic-step', logistic, 20],
      ['mlp-step', mlp, 2],
    ] as const) {
      reporter.log(`${name} cpu-naive ...`);
      const base = await msPerStep(naive, make, 2, stepsBase);
      reporter.report({ suite: SUITE, name: `${name}-cpu-naive`, value: base, unit: 'ms/step', note: note(naive, 'baseline; batch 1024, Adam') });
      for (const be of backends) {
        reporter.log(`${name} ${label(be)} ...`);
        const ms = await msPerStep(be, make, 3, 50);
        reporter.report({
          suite: SUITE,
          name: `${name}-${label(be)}`,
          value: ms,
          unit: 'ms/step',
          baseline: base,
          ratio: base / ms,
          note: note(be, 'ratio = baseline/value (speed-up); batch 1024, Adam'),
        });
      }
    }
  }

  for (const be of backends) {
    const us = await dispatchUs(be, be.name === 'webgpu' ? 2000 : 20000);
    reporter.report({ suite: SUITE, name: `dispatch-${label(be)}`, value: us, unit: 'µs', note: note(be, 'relu on 64 floats, many dispatches per sync') });
  }
  for (const be of [cpu1t, ...backends]) await be.dispose();
}
