/**
 * `npm run bench -- online [--quick] [--json]`: per-row and mini-batch progressive (test-then-train)
 * learning rates (issue #12 item 6). Figures, with stable names:
 *   logistic-hashed-b1, -b32, -b1024   rows/s, in-memory CSR rows with 6 of 2^18 columns active
 *                                      (a hashed one-hot of 6 categorical columns, values 1)
 *   logistic-text-b1, -b32, -b1024     rows/s, CSR rows with ~200 of 2^18 active (tf-idf-like:
 *                                      (1 + log tf) · idf, l2-normalized, Zipf-distributed tokens)
 *   logistic-dense-b1, -b32, -b1024    rows/s, dense rows of 784 columns in [0, 1]
 *     These lines run in a child process on plain node, from an esbuild bundle of this file (see
 *     inMemoryChild: tsx slowed model and baseline alike).
 *     Each: `createModel({ kind: 'logistic', batchSize, backend: 'cpu', seed: 1 })` with the model's
 *     default optimizer, driven by the library's test-then-train engine (TestThenTrain, no metrics),
 *     which calls `model.testThenTrain(x, out)` when the model has it, else predicts then learns per
 *     mini-batch. Labels come from a fixed random
 *     linear teacher, so there is something to learn. baseline: a minimal hand-written logistic SGD
 *     loop (plain TS, same rows, same mini-batches: predict each, then one mean-gradient update over
 *     the non-zeros); ratio = model / bare loop. Time-boxed (~1.5 s a line, 0.4 s with --quick), so
 *     the suite takes about as long for a model at 1k rows/s as at 10M.
 *   e2e-flights-b1    rows/s of `sluice train flights.csv --target 'delay > 15' --batch 1 --json` on
 *                     the 3M-row flights-like CSV (bench/data/flightsCsv.ts), the dist build in a child
 *                     process, rate from its report; baseline = fromCsv alone on the same file, in this
 *                     process. Runs grow from a 50k-row probe; when they say the whole file would take
 *                     over 30 s (10 s with --quick), the run is cut with --max-rows (the note says so).
 *                     Bar: ≥ 2M rows/s.
 *   peak-rss-e2e      MB, that run's own peak RSS (its report's peakRssMB). Bar: < 300 MB.
 *   mlp-wide-e2e      rows/s of `sluice train wide.csv --target label --task classification --model
 *                     mlp --hidden 256 --batch 64 --json`, one pass over 60k rows × 784 pixels
 *                     (bench/data/wideCsv.ts). Bar: ≥ 20k rows/s.
 *   peak-rss-wide     MB, that run's peak RSS. Bar: < 400 MB.
 * `--quick`: 300k flight rows, 10k wide rows, shorter time boxes.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { lastValueFrom, reduce } from 'rxjs';
import { type Batch, FeatureMatrix, Rng } from '../src/core/index.js';
import { TestThenTrain } from '../src/evaluate/index.js';
import { createModel, type Model, type ModelOptions, resolveModelOptions } from '../src/learn/index.js';
import { fromCsv } from '../src/operators/index.js';
import { flightsCsv } from './data/flightsCsv.js';
import { wideCsv } from './data/wideCsv.js';
import { ensureBuilt } from './ensureBuilt.js';
import type { BenchResult, Reporter } from './Reporter.js';

const SUITE = 'online';
const ROOT = resolve(import.meta.dirname, '..');
const HASH_COLS = 2 ** 18;
const DENSE_COLS = 784;
const BATCHES = [1, 32, 1024] as const;
/** The bare loop's step size: constant, as the simplest SGD; its speed does not depend on it. */
const BASE_LR = 0.1;
/** A child run is cut when the runs before it say the whole file would take longer than this (--quick: 10 s). */
const E2E_MAX_SECONDS = 30;

export async function run(reporter: Reporter, args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  reporter.log('online: in-memory lines in a plain node child (bundled with esbuild, no tsx)');
  for (const line of inMemoryChild(quick)) reporter.report(line);
  ensureBuilt((l) => reporter.log(l));
  await e2eFlights(reporter, quick);
  await wideMlp(reporter, quick);
}

/** Set in the child that runs the in-memory lines (see inMemoryChild). */
const CHILD_ENV = 'SLUICE_BENCH_ONLINE_CHILD';

/**
 * The in-memory lines run in a child process on plain node, from an esbuild bundle of this file,
 * as a user's program runs the built package. Under `--import tsx` (how `npm run bench` runs) the
 * same loops ran 10-40 % slower, the bare baseline loop as well as the models (interleaved runs,
 * 2026-12-03): the penalty belongs to the harness, not to the code measured.
 */
function inMemoryChild(quick: boolean): BenchLine[] {
  const out = join(ROOT, '.bench-data', 'online-in-memory.mjs');
  buildSync({
    entryPoints: [import.meta.filename],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'error',
    external: ['webgpu', 'gpu.js'],
    // Bundled CommonJS dependencies call require().
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  const r = spawnSync(process.execPath, ['--expose-gc', out, ...(quick ? ['--quick'] : [])], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, [CHILD_ENV]: '1' },
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`online in-memory child exited ${r.status}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as BenchLine);
}

type BenchLine = BenchResult;

/** The child's work: each kind of rows at each batch size, model and bare loop, one JSON line each. */
async function inMemoryRates(quick: boolean): Promise<BenchLine[]> {
  const seconds = quick ? 0.4 : 1.5;
  const lines: BenchLine[] = [];
  const kinds = [
    { kind: 'hashed', note: '6 of 2^18 active', data: () => hashedRows(quick ? 16_384 : 65_536, 1) },
    { kind: 'text', note: '~200 of 2^18 active, tf-idf-like', data: () => textRows(quick ? 2048 : 8192, 2) },
    { kind: 'dense', note: `${DENSE_COLS} dense columns`, data: () => denseRows(quick ? 2048 : 8192, 3) },
  ];
  for (const k of kinds) {
    const pool = k.data();
    for (const batch of BATCHES) {
      const options: ModelOptions = { kind: 'logistic', batchSize: batch, backend: 'cpu', seed: 1, inputs: pool.cols };
      const { optimizer, lr } = resolveModelOptions(options);
      const model = await createModel(options);
      try {
        const m = await timed(modelStep(model), pool, batch, seconds);
        const b = await timed(bareStep(pool.cols, batch), pool, batch, seconds);
        lines.push({
          suite: SUITE,
          name: `logistic-${k.kind}-b${batch}`,
          value: m.rate,
          unit: 'rows/s',
          baseline: b.rate,
          ratio: m.rate / b.rate,
          note: `${k.note}, batch ${batch}, default optimizer ${optimizer} (lr ${lr}), TestThenTrain engine ${model.testThenTrain ? '→ model.testThenTrain' : '→ predict then learn per mini-batch'}, ${m.rows} rows in ${m.seconds.toFixed(2)} s; baseline: bare logistic SGD loop`,
        });
      } finally {
        await model.dispose();
      }
    }
  }
  return lines;
}

if (process.env[CHILD_ENV]) {
  for (const line of await inMemoryRates(process.argv.includes('--quick'))) process.stdout.write(`${JSON.stringify(line)}\n`);
}

type Step = (x: FeatureMatrix) => void | Promise<void>;

/**
 * The library's one test-then-train engine (src/evaluate TestThenTrain, no metrics: learn+predict
 * only) over chunks of whole mini-batches: it calls `model.testThenTrain` once per chunk when the
 * model has it, else predicts then learns per mini-batch.
 */
function modelStep(model: Model): Step {
  const engine = new TestThenTrain(model);
  return async (x) => {
    await engine.process(x);
  };
}

/**
 * The bare loop: logistic regression with plain SGD in Float64, per mini-batch of `batch` rows:
 * predict every row with the weights from before the mini-batch, then add the mean gradient over
 * the rows' non-zeros. O(nnz) per row, no regularization, no schedule, no checks.
 */
function bareStep(cols: number, batch: number): Step {
  const w = new Float64Array(cols);
  let bias = 0;
  const p = new Float64Array(batch);
  return (x) => {
    const { values, indptr, indices } = x;
    const y = x.targets!;
    const dense = x.kind === 'dense';
    for (let s = 0; s < x.rows; s += batch) {
      const e = Math.min(x.rows, s + batch);
      for (let i = s; i < e; i++) {
        let z = bias;
        if (dense) for (let j = 0, o = i * cols; j < cols; j++) z += w[j]! * values[o + j]!;
        else for (let q = indptr![i]!, end = indptr![i + 1]!; q < end; q++) z += w[indices![q]!]! * values[q]!;
        p[i - s] = 1 / (1 + Math.exp(-z));
      }
      const step = BASE_LR / (e - s);
      for (let i = s; i < e; i++) {
        const g = step * (p[i - s]! - y[i]!);
        bias -= g;
        if (dense) for (let j = 0, o = i * cols; j < cols; j++) w[j] = w[j]! - g * values[o + j]!;
        else for (let q = indptr![i]!, end = indptr![i + 1]!; q < end; q++) w[indices![q]!] = w[indices![q]!]! - g * values[q]!;
      }
    }
  };
}

/**
 * Rows/s of `step` over `pool`, fed in chunks (as source batches) cycled in order. The chunk starts
 * at max(64, batch) rows and doubles while a call takes under 20 ms (so a slow model is not stuck
 * in one long call and a fast one is not timing the loop around it); the first 0.2 s only sizes the
 * chunk and warms up. Then chunks for `seconds`, at least one call: rows over wall time.
 */
async function timed(step: Step, pool: FeatureMatrix, batch: number, seconds: number): Promise<{ rate: number; rows: number; seconds: number }> {
  const cache = new Map<number, FeatureMatrix[]>();
  const chunksOf = (n: number) => {
    let c = cache.get(n);
    if (!c) {
      c = [];
      for (let s = 0; s + n <= pool.rows; s += n) c.push(pool.sliceRows(s, s + n));
      cache.set(n, c);
    }
    return c;
  };
  let size = Math.max(64, batch),
    i = 0;
  const warm = performance.now();
  do {
    const t0 = performance.now();
    await step(chunksOf(size)[i++ % chunksOf(size).length]!);
    if (performance.now() - t0 < 20 && size * 2 <= Math.min(pool.rows, 8192)) size *= 2;
  } while (performance.now() - warm < 200);
  const chunks = chunksOf(size);
  let rows = 0;
  const t0 = performance.now();
  do {
    const c = chunks[i++ % chunks.length]!;
    await step(c);
    rows += c.rows;
  } while (performance.now() - t0 < seconds * 1000);
  const s = (performance.now() - t0) / 1000;
  return { rate: rows / s, rows, seconds: s };
}

/** y ~ Bernoulli(sigmoid(z)): labels with signal from a teacher's score. */
function label(rng: Rng, z: number): number {
  return rng.float() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
}

/** Distinct column indices, ascending (CSR rows are kept sorted). */
function sortedRow(cols: Set<number>): number[] {
  return [...cols].sort((a, b) => a - b);
}

/**
 * Rows of 6 categorical fields hashed into 2^18 columns, value 1: field f takes one of 10^(f/2+1)
 * categories (10 to ~3000), skewed towards the first. Teacher: a N(0, 1) weight per column.
 */
function hashedRows(rows: number, seed: number): FeatureMatrix {
  const rng = new Rng(seed);
  const teacher = Float32Array.from({ length: HASH_COLS }, () => rng.normal());
  const indptr = new Int32Array(rows + 1),
    indices = new Int32Array(rows * 6),
    targets = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const cols = new Set<number>();
    for (let f = 0; cols.size < 6; f++) {
      const cardinality = Math.round(10 ** ((f % 6) / 2 + 1));
      const cat = Math.floor(cardinality * rng.float() ** 2);
      // Multiplicative hashing of (field, category): an odd multiplier spreads the pairs over 2^18.
      cols.add(Math.imul((f % 6) * 1_000_003 + cat, 0x9e3779b1) >>> 14);
    }
    const row = sortedRow(cols);
    let z = 0;
    for (let k = 0; k < 6; k++) {
      indices[r * 6 + k] = row[k]!;
      z += teacher[row[k]!]!;
    }
    indptr[r + 1] = (r + 1) * 6;
    targets[r] = label(rng, z / Math.sqrt(6));
  }
  return FeatureMatrix.csr(rows, HASH_COLS, indptr, indices, new Float32Array(rows * 6).fill(1), { targets });
}

/**
 * Text-like rows: 150-250 distinct tokens each, drawn Zipf-like (rank = ⌊50000 · u³⌋) from a
 * 50k-word vocabulary, each rank at its own column of 2^18 (an odd multiplier is a bijection mod
 * 2^18); value (1 + log tf) · log(50000 / (rank + 1)), then l2-normalized per row. Teacher: a
 * N(0, 1) weight per column, score scaled by 3.
 */
function textRows(rows: number, seed: number): FeatureMatrix {
  const rng = new Rng(seed);
  const V = 50_000;
  const teacher = Float32Array.from({ length: HASH_COLS }, () => rng.normal());
  const indptr = new Int32Array(rows + 1),
    indices: number[] = [],
    values: number[] = [],
    targets = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const want = 150 + rng.int(101);
    const tf = new Map<number, number>();
    while (tf.size < want) {
      const rank = Math.floor(V * rng.float() ** 3);
      tf.set(rank, (tf.get(rank) ?? 0) + 1);
    }
    const col = new Map<number, number>();
    for (const [rank, n] of tf) col.set(Math.imul(rank, 0x9e3779b1) & (HASH_COLS - 1), (1 + Math.log(n)) * Math.log(V / (rank + 1)));
    const row = sortedRow(new Set(col.keys()));
    const norm = Math.hypot(...row.map((c) => col.get(c)!)) || 1;
    let z = 0;
    for (const c of row) {
      const v = col.get(c)! / norm;
      indices.push(c);
      values.push(v);
      z += teacher[c]! * v;
    }
    indptr[r + 1] = indices.length;
    targets[r] = label(rng, 3 * z);
  }
  return FeatureMatrix.csr(rows, HASH_COLS, indptr, Int32Array.from(indices), Float32Array.from(values), { targets });
}

/** Dense rows of 784 values in [0, 1]. Teacher: a N(0, 1) weight per column on the centred values. */
function denseRows(rows: number, seed: number): FeatureMatrix {
  const rng = new Rng(seed);
  const teacher = Float32Array.from({ length: DENSE_COLS }, () => rng.normal());
  const values = new Float32Array(rows * DENSE_COLS),
    targets = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = 0;
    for (let j = 0; j < DENSE_COLS; j++) {
      const v = rng.float();
      values[r * DENSE_COLS + j] = v;
      z += teacher[j]! * (v - 0.5);
    }
    targets[r] = label(rng, (z * 3) / Math.sqrt(DENSE_COLS / 12));
  }
  return FeatureMatrix.dense(rows, DENSE_COLS, values, { targets });
}

/** What bench reads from a `sluice train --json` report. */
interface ChildReport {
  rows: { read: number; trained: number };
  metrics: Record<string, number | null>;
  rowsPerSecond: number;
  elapsedSeconds: number;
  peakRssMB: number;
}

/** `sluice train <args> --json --quiet` from the dist build, in a child process: its report. */
function sluiceTrain(args: string[]): ChildReport {
  const cli = join(ROOT, 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'train', ...args, '--json', '--quiet'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`sluice train ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return JSON.parse(r.stdout) as ChildReport;
}

function fmtMetrics(m: Record<string, number | null>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k} ${v === null ? '—' : v.toFixed(4)}`)
    .join(' ');
}

async function e2eFlights(reporter: Reporter, quick: boolean): Promise<void> {
  const rows = quick ? 300_000 : 3_000_000;
  reporter.log(`online: preparing ${rows} flight rows (cached in .bench-data/)`);
  const path = flightsCsv({ rows });
  const target = ['--target', 'delay > 15', '--batch', '1'];
  // Today's per-row models can be too slow for the whole file: runs grow from a probe on the first
  // rows, sized by the rate of the run before, until one reads the whole file or takes over a third
  // of the time box (a short run's rate is mostly start-up, so it underestimates the next one).
  const maxSeconds = quick ? 10 : E2E_MAX_SECONDS;
  let take = Math.min(rows, quick ? 20_000 : 50_000);
  let report: ChildReport;
  for (;;) {
    report = sluiceTrain([path, ...target, ...(take < rows ? ['--max-rows', String(take)] : [])]);
    reporter.log(`online: e2e ${report.rows.read} rows at ${Math.round(report.rowsPerSecond)} rows/s in ${report.elapsedSeconds.toFixed(1)} s`);
    if (take >= rows || report.elapsedSeconds > maxSeconds / 3) break;
    const next = Math.floor((report.rowsPerSecond * maxSeconds) / 10_000) * 10_000;
    if (next <= take) break;
    // Within 2x of the whole file: read it all (the time box allows that much slack).
    take = next * 2 >= rows ? rows : next;
  }
  const cut = take < rows;
  let parse = 0;
  for (let r = 0; r < 2; r++) {
    const t0 = performance.now();
    const n = await lastValueFrom(fromCsv(path).pipe(reduce((s, b: Batch) => s + b.length, 0)));
    parse = Math.max(parse, n / ((performance.now() - t0) / 1000));
  }
  const what = `sluice train <${rows}-row flights csv> --target 'delay > 15' --batch 1 (dist, child process)${cut ? `, cut at --max-rows ${take} (whole file > ${maxSeconds} s)` : ''}`;
  reporter.report({
    suite: SUITE,
    name: 'e2e-flights-b1',
    value: report.rowsPerSecond,
    unit: 'rows/s',
    baseline: parse,
    ratio: report.rowsPerSecond / parse,
    note: `${what}; ${report.rows.read} rows in ${report.elapsedSeconds.toFixed(1)} s; ${fmtMetrics(report.metrics)}; baseline = fromCsv alone; bar ≥ 2M rows/s`,
  });
  reporter.report({ suite: SUITE, name: 'peak-rss-e2e', value: report.peakRssMB, unit: 'MB', note: `the run above, its own peak RSS; bar < 300 MB` });
}

async function wideMlp(reporter: Reporter, quick: boolean): Promise<void> {
  const rows = quick ? 10_000 : 60_000;
  reporter.log(`online: preparing ${rows} wide rows (cached in .bench-data/)`);
  const path = wideCsv({ rows });
  const report = sluiceTrain([path, '--target', 'label', '--task', 'classification', '--model', 'mlp', '--hidden', '256', '--batch', '64']);
  const what = `sluice train <${rows} × 784 pixel csv> --target label --task classification --model mlp --hidden 256 --batch 64 (dist, child process, one pass)`;
  reporter.report({
    suite: SUITE,
    name: 'mlp-wide-e2e',
    value: report.rowsPerSecond,
    unit: 'rows/s',
    note: `${what}; ${report.rows.read} rows in ${report.elapsedSeconds.toFixed(1)} s; ${fmtMetrics(report.metrics)}; bar ≥ 20k rows/s`,
  });
  reporter.report({ suite: SUITE, name: 'peak-rss-wide', value: report.peakRssMB, unit: 'MB', note: 'the run above, its own peak RSS; bar < 400 MB' });
}
