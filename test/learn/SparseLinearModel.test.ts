import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix, SchemaError } from '../../src/core/index.js';
import { importanceUpdate } from '../../src/learn/importanceUpdate.js';
import { createModel, type Model, type ModelOptions, modelFromState, resolveModelOptions, SparseLinearModel } from '../../src/learn/index.js';
import { closeTo } from '../kernels/closeTo.js';

// ---- seeded data ----------------------------------------------------------------------------

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COLS = 12;

/** Sparse rows with mixed scales (columns 0-3 in the thousands), some NaN targets and uneven sample weights. */
function data(seed: number, rows: number, task: 'binary' | 'multiclass' | 'regression', weighted: boolean): FeatureMatrix {
  const r = rng(seed),
    indptr = [0],
    idx: number[] = [],
    val: number[] = [],
    t: number[] = [],
    w: number[] = [];
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < COLS; j++) {
      if (r() < 0.6) continue;
      const v = (r() - 0.3) * (j < 4 ? 1000 : 1);
      idx.push(j);
      val.push(v);
      s += (j % 3 === 0 ? 1 : -0.5) * (j < 4 ? v / 1000 : v);
    }
    indptr.push(idx.length);
    const y = task === 'binary' ? (s + r() - 0.5 > 0 ? 1 : 0) : task === 'multiclass' ? Math.floor(r() * 3) : 300 + 80 * s + 10 * r();
    t.push(i % 11 === 5 ? NaN : y);
    w.push([1, 2, 0.5, 0][i % 4]!);
  }
  return FeatureMatrix.csr(rows, COLS, Int32Array.from(indptr), Int32Array.from(idx), Float32Array.from(val), {
    targets: Float32Array.from(t),
    weights: weighted ? Float32Array.from(w) : null,
  });
}

// ---- the eager dense reference --------------------------------------------------------------

const soft = (w: number, a: number) => (w > a ? w - a : w < -a ? w + a : 0);

/**
 * The definitions, applied eagerly to dense weight vectors: every weight is regularized after every
 * step, target scaling rescales every weight, each row's scores are recomputed from scratch.
 */
class Reference {
  readonly o: ReturnType<typeof resolveModelOptions>;
  readonly K: number;
  w: number[][];
  b: number[];
  G: number[][];
  Gb: number[];
  s: number[];
  z: number[][];
  n: number[][];
  tW = 0;
  N = 0;
  mu = 0;
  sigma = 1;
  sW = 0;
  M2 = 0;
  auto: boolean;
  constructor(spec: ModelOptions) {
    this.o = resolveModelOptions(spec);
    const K = (this.K = this.o.outputs),
      z = () => Array.from({ length: COLS + 1 }, () => new Array<number>(K).fill(0));
    this.w = z();
    this.G = z();
    this.z = z();
    this.n = z();
    this.b = new Array<number>(K).fill(0);
    this.Gb = new Array<number>(K).fill(0);
    this.s = new Array<number>(COLS).fill(0);
    this.auto = this.o.task === 'regression' && this.o.optimizer === 'normalized' && this.o.kind !== 'passiveAggressive' && !this.o.targetScale;
    if (this.o.targetScale) {
      this.mu = this.o.targetScale.mean;
      this.sigma = this.o.targetScale.std;
    }
  }
  get ftrl() {
    return this.o.optimizer === 'ftrl' && this.o.kind !== 'passiveAggressive';
  }
  ftrlW(j: number, k: number): number {
    const z = this.z[j]![k]!,
      o = this.o;
    return Math.abs(z) <= o.l1 ? 0 : -(z - Math.sign(z) * o.l1) / ((o.ftrlBeta + Math.sqrt(this.n[j]![k]!)) / o.lr + o.l2);
  }
  weight(j: number, k: number): number {
    return this.ftrl ? this.ftrlW(j, k) : this.w[j]![k]!;
  }
  bias(k: number): number {
    return this.ftrl ? this.ftrlW(COLS, k) : this.b[k]!;
  }
  scores(x: number[]): number[] {
    return Array.from({ length: this.K }, (_, k) => x.reduce((a, v, j) => a + this.weight(j, k) * v, this.bias(k)));
  }
  emit(z: number[]): number[] {
    if (this.o.task === 'regression') return [this.mu + this.sigma * z[0]!];
    if (this.K === 1) return [1 / (1 + Math.exp(-z[0]!))];
    const m = Math.max(...z),
      e = z.map((v) => Math.exp(v - m)),
      s = e.reduce((a, v) => a + v, 0);
    return e.map((v) => v / s);
  }
  rescale(y: number, h: number): void {
    const first = this.sW === 0;
    this.sW += h;
    const d = y - this.mu,
      mu = this.mu + (h * d) / this.sW;
    this.M2 += h * d * (y - mu);
    const sigma = this.M2 > 0 ? Math.sqrt(this.M2 / this.sW) : this.sigma;
    if (!first) {
      const rho = this.sigma / sigma;
      for (const row of this.G) row[0] = row[0]! * rho * rho;
      this.Gb[0] = this.Gb[0]! * rho * rho;
      for (const row of this.w) row[0] = (row[0]! * this.sigma) / sigma;
      this.b[0] = (this.sigma * this.b[0]! + this.mu - mu) / sigma;
    }
    this.mu = mu;
    this.sigma = sigma;
  }
  regularize(): void {
    if (this.ftrl || this.o.kind === 'passiveAggressive') return;
    const a = this.o.lr * this.o.l1,
      f = 1 + this.o.lr * this.o.l2;
    for (let j = 0; j < COLS; j++) for (let k = 0; k < this.K; k++) this.w[j]![k] = soft(this.w[j]![k]!, a) / f;
  }
  /** dℓ/dz per class (normalized uses the squared loss (p − y)², ftrl ½(p − y)²). */
  grad(z: number[], y: number): number[] {
    const kind = this.o.kind;
    if (kind === 'softmax') {
      const p = this.emit(z);
      return p.map((v, k) => v - (k === y ? 1 : 0));
    }
    const p = z[0]!;
    if (kind === 'logistic') return [1 / (1 + Math.exp(-p)) - y];
    if (kind === 'svm') {
      const l = y >= 0.5 ? 1 : -1;
      return [l * p < 1 ? -l : 0];
    }
    return [this.ftrl ? p - y : 2 * (p - y)];
  }
  hOf(t: number, wt: number): number {
    const cw = this.o.classWeights;
    return wt * (cw ? cw[this.o.task === 'binary' ? (t >= 0.5 ? 1 : 0) : t]! : 1);
  }

  /** Rows of x (dense arrays), test-then-train: the predictions written, in row order. */
  run(X: number[][], T: number[], W: number[]): number[] {
    const out: number[] = [],
      bs = this.o.batchSize;
    for (let start = 0; start < X.length; start += bs) {
      const end = Math.min(X.length, start + bs),
        Z = X.slice(start, end).map((x) => this.scores(x));
      for (const z of Z) out.push(...this.emit(z));
      if (bs === 1 && !this.ftrl) {
        const y = T[start]!,
          h = this.hOf(y, W[start]!);
        if (!Number.isNaN(y) && h > 0) {
          if (this.o.kind === 'passiveAggressive') this.pa(X[start]!, Z[0]![0]!, y, h);
          else this.row(X[start]!, Z[0]!, y, h);
          this.regularize();
        }
      } else this.batch(X.slice(start, end), Z, T.slice(start, end), W.slice(start, end));
    }
    return out;
  }

  row(x: number[], z: number[], y: number, h: number): void {
    const K = this.K;
    if (this.o.task === 'regression') {
      const f = this.mu + this.sigma * z[0]!;
      if (this.auto) this.rescale(y, h);
      z = [(f - this.mu) / this.sigma];
      y = (y - this.mu) / this.sigma;
    }
    const d = this.grad(z, y);
    if (K === 1 && d[0] === 0) return;
    let nx = 1;
    const ppu = new Array<number>(K).fill(0);
    x.forEach((v, j) => {
      if (v === 0) return;
      const ax = Math.abs(v);
      if (ax > this.s[j]!) {
        if (this.s[j]! > 0) for (let k = 0; k < K; k++) this.w[j]![k] = (this.w[j]![k]! * this.s[j]!) / ax;
        this.s[j] = ax;
      }
      nx += (v * v) / this.s[j]! ** 2;
      for (let k = 0; k < K; k++) {
        this.G[j]![k] = this.G[j]![k]! + h * d[k]! ** 2 * v * v;
        // A coordinate with no gradient yet (G = 0) takes no step.
        if (this.G[j]![k]! > 0) ppu[k]! += (v * v) / (this.s[j]! * Math.sqrt(this.G[j]![k]!));
      }
    });
    for (let k = 0; k < K; k++) {
      this.Gb[k] = this.Gb[k]! + h * d[k]! ** 2;
      if (this.Gb[k]! > 0) ppu[k]! += 1 / Math.sqrt(this.Gb[k]!);
    }
    this.tW += h;
    this.N += h * nx;
    const mult = Math.sqrt(this.tW / this.N);
    const u =
      K === 1
        ? [importanceUpdate(this.o.kind === 'linear' ? 0 : this.o.kind === 'logistic' ? 1 : 2, z[0]!, y, this.o.lr * h, ppu[0]! * mult, Math.exp(z[0]!))]
        : this.flow(
            z,
            y,
            this.o.lr * h,
            ppu.map((v) => v * mult),
          );
    x.forEach((v, j) => {
      if (v === 0) return;
      for (let k = 0; k < K; k++) if (this.G[j]![k]! > 0) this.w[j]![k]! += (u[k]! * mult * v) / (this.s[j]! * Math.sqrt(this.G[j]![k]!));
    });
    for (let k = 0; k < K; k++) if (this.Gb[k]! > 0) this.b[k]! += (u[k]! * mult) / Math.sqrt(this.Gb[k]!);
  }

  /** Softmax's gradient flow by capped explicit Euler steps (the definition in docs/learn.md). */
  flow(z0: number[], y: number, T: number, ppu: number[]): number[] {
    const steps = Math.min(16, Math.max(1, Math.ceil((T * Math.max(...ppu)) / 0.5))),
      dt = T / steps,
      u = z0.map(() => 0);
    let z = z0.slice();
    for (let s = 0; s < steps; s++) {
      const p = this.emit(z);
      for (let k = 0; k < z.length; k++) u[k]! += dt * ((k === y ? 1 : 0) - p[k]!);
      z = z0.map((v, k) => v + ppu[k]! * u[k]!);
    }
    return u;
  }

  pa(x: number[], s: number, y: number, h: number): void {
    const o = this.o,
      q = 1 + x.reduce((a, v) => a + v * v, 0);
    let l: number, d: number;
    if (o.task === 'binary') {
      d = y >= 0.5 ? 1 : -1;
      l = Math.max(0, 1 - d * s);
    } else {
      const e = (y - this.mu) / this.sigma - s;
      l = Math.max(0, Math.abs(e) - o.epsilon);
      d = Math.sign(e);
    }
    if (l === 0) return;
    const C = o.C * h,
      tau = o.variant === 'PA' ? (h * l) / q : o.variant === 'PA-I' ? Math.min(C, l / q) : l / (q + 1 / (2 * C));
    x.forEach((v, j) => {
      this.w[j]![0]! += tau * d * v;
    });
    this.b[0]! += tau * d;
  }

  batch(X: number[][], Z: number[][], T: number[], W: number[]): void {
    const K = this.K,
      learned = X.map((_, i) => i).filter((i) => !Number.isNaN(T[i]!) && this.hOf(T[i]!, W[i]!) > 0);
    if (learned.length === 0) return;
    const mu0 = this.mu,
      sigma0 = this.sigma;
    if (this.auto) for (const i of learned) this.rescale(T[i]!, this.hOf(T[i]!, W[i]!));
    const n = learned.length,
      g = Array.from({ length: COLS + 1 }, () => new Array<number>(K).fill(0)),
      q = new Array<number>(COLS).fill(0),
      mx = new Array<number>(COLS).fill(0),
      touched = new Set<number>();
    let H = 0;
    for (const i of learned) {
      const h = this.hOf(T[i]!, W[i]!);
      H += h;
      let z = Z[i]!,
        y = T[i]!;
      if (this.o.task === 'regression') {
        z = [(mu0 + sigma0 * z[0]! - this.mu) / this.sigma];
        y = (y - this.mu) / this.sigma;
      }
      const d = this.grad(z, y);
      X[i]!.forEach((v, j) => {
        if (v === 0) return;
        touched.add(j);
        for (let k = 0; k < K; k++) g[j]![k]! += (h * d[k]! * v) / n;
        q[j]! += (h * v * v) / n;
        mx[j] = Math.max(mx[j]!, Math.abs(v));
      });
      for (let k = 0; k < K; k++) g[COLS]![k]! += (h * d[k]!) / n;
    }
    if (this.ftrl) {
      for (const j of [...touched, COLS])
        for (let k = 0; k < K; k++) {
          const gi = g[j]![k]!;
          if (gi === 0) continue;
          const sigma = (Math.sqrt(this.n[j]![k]! + gi * gi) - Math.sqrt(this.n[j]![k]!)) / this.o.lr;
          this.z[j]![k]! += gi - sigma * this.ftrlW(j, k);
          this.n[j]![k]! += gi * gi;
        }
      return;
    }
    let nx = H / n;
    for (const j of touched) {
      if (mx[j]! > this.s[j]!) {
        if (this.s[j]! > 0) for (let k = 0; k < K; k++) this.w[j]![k] = (this.w[j]![k]! * this.s[j]!) / mx[j]!;
        this.s[j] = mx[j]!;
      }
      nx += q[j]! / this.s[j]! ** 2;
    }
    this.tW += H / n;
    this.N += nx;
    const step = this.o.lr * Math.sqrt(this.tW / this.N);
    for (const j of touched)
      for (let k = 0; k < K; k++) {
        const gi = g[j]![k]!;
        if (gi === 0) continue;
        this.G[j]![k]! += gi * gi;
        this.w[j]![k]! -= (step * gi) / (this.s[j]! * Math.sqrt(this.G[j]![k]!));
      }
    for (let k = 0; k < K; k++) {
      const gi = g[COLS]![k]!;
      if (gi === 0) continue;
      this.Gb[k]! += gi * gi;
      this.b[k]! -= (step * gi) / Math.sqrt(this.Gb[k]!);
    }
    this.regularize();
  }

  /** Exported weights, in target units (as state().params). */
  params(): { w0: number[]; b0: number[] } {
    const f = this.o.task === 'regression' ? this.sigma : 1,
      m = this.o.task === 'regression' ? this.mu : 0,
      w0: number[] = [];
    for (let j = 0; j < COLS; j++) for (let k = 0; k < this.K; k++) w0.push(this.weight(j, k) * f);
    return { w0, b0: Array.from({ length: this.K }, (_, k) => m + f * this.bias(k)) };
  }
}

function denseRows(x: FeatureMatrix): number[][] {
  const d = x.toDense();
  return Array.from({ length: x.rows }, (_, r) => Array.from(d.values.subarray(r * COLS, (r + 1) * COLS)));
}

async function compare(spec: ModelOptions, task: 'binary' | 'multiclass' | 'regression', seed: number, weighted = true): Promise<Model> {
  const x = data(seed, 90, task, weighted),
    ref = new Reference(spec),
    m = await createModel(spec);
  assert.instance(m, SparseLinearModel);
  const X = denseRows(x),
    T = Array.from(x.targets!),
    W = weighted ? Array.from(x.weights!) : T.map(() => 1);
  const K = m.outputs;
  for (let pass = 0; pass < 2; pass++) {
    const out = new Float32Array(x.rows * K);
    // The second pass feeds dense rows: the same model whatever the layout.
    m.testThenTrain!(pass === 0 ? x : x.toDense(), out);
    const want = ref.run(X, T, W);
    closeTo(out, Float32Array.from(want), 1e-6, 1e-6, `${JSON.stringify(spec)} predictions, pass ${pass}`);
  }
  const st = await m.state(),
    p = ref.params();
  closeTo(st.params.w0!, p.w0, 1e-6, 1e-6, `${JSON.stringify(spec)} w0`);
  closeTo(st.params.b0!, p.b0, 1e-6, 1e-6, `${JSON.stringify(spec)} b0`);
  return m;
}

const REGS: Array<[string, Partial<ModelOptions>]> = [
  ['none', {}],
  ['l1', { l1: 0.01 }],
  ['l2', { l2: 0.05 }],
  ['elasticNet', { elasticNet: { alpha: 0.02, l1Ratio: 0.5 } }],
  // c falls below 1e-30 within ~40 rows: the renormalizing pass runs several times.
  ['strong l2', { l2: 10, l1: 1e-4 }],
];

const KINDS: Array<[ModelOptions, 'binary' | 'multiclass' | 'regression']> = [
  [{ kind: 'logistic' }, 'binary'],
  [{ kind: 'svm' }, 'binary'],
  [{ kind: 'linear' }, 'regression'],
  [{ kind: 'linear', targetScale: { mean: 280, std: 60 } }, 'regression'],
  [{ kind: 'softmax', classes: 3 }, 'multiclass'],
];

test('normalized, per row: the lazy sparse path equals the eager dense definition (to 1e-6) for each loss and l1, l2, elasticNet', async () => {
  let seed = 1;
  for (const [spec, task] of KINDS) for (const [, reg] of REGS) await compare({ ...spec, ...reg }, task, seed++);
});

test('normalized logistic on CSR rows without weights (its own per-row loop) equals the eager dense definition; explicit zeros change nothing', async () => {
  // Pass 0 (CSR, no weights) runs the dedicated loop, pass 1 (dense) the general one, both against the reference.
  await compare({ kind: 'logistic' }, 'binary', 40, false);
  // The same rows with an explicit 0 stored in front of each row's entries: the same model, bit for bit.
  const x = data(41, 90, 'binary', false),
    indptr = [0],
    idx: number[] = [],
    val: number[] = [];
  for (let r = 0; r < x.rows; r++) {
    const [p0, p1] = [x.indptr![r]!, x.indptr![r + 1]!],
      row = Array.from(x.indices!.subarray(p0, p1));
    idx.push(Array.from({ length: COLS }, (_, j) => j).find((j) => !row.includes(j)) ?? 0, ...row);
    val.push(0, ...x.values.subarray(p0, p1));
    indptr.push(idx.length);
  }
  const zeros = FeatureMatrix.csr(x.rows, COLS, Int32Array.from(indptr), Int32Array.from(idx), Float32Array.from(val), { targets: x.targets });
  const a = await createModel({ kind: 'logistic' }),
    b = await createModel({ kind: 'logistic' });
  const outA = new Float32Array(x.rows),
    outB = new Float32Array(x.rows);
  a.testThenTrain!(x, outA);
  b.testThenTrain!(zeros, outB);
  assert.equal(Array.from(outB), Array.from(outA));
  assert.equal((await b.state()).params, (await a.state()).params);
});

test('normalized, mini-batches of 4: one step from the mean importance-weighted gradient, rows scored by the weights from before', async () => {
  let seed = 100;
  for (const [spec, task] of KINDS) for (const [, reg] of REGS.slice(0, 4)) await compare({ ...spec, ...reg, batchSize: 4 }, task, seed++);
});

test('ftrl equals FTRL-Proximal (McMahan et al. 2013, Algorithm 1) for each loss, per row and in mini-batches, with l1 and l2', async () => {
  let seed = 200;
  for (const [spec, task] of KINDS)
    for (const batchSize of [1, 3]) await compare({ ...spec, optimizer: 'ftrl', lr: 0.3, l1: 0.05, l2: 0.1, batchSize }, task, seed++);
  await compare({ kind: 'logistic', optimizer: 'ftrl', classWeights: [1, 3] }, 'binary', seed++);
});

test('passive-aggressive variants, binary and regression (with a fixed targetScale)', async () => {
  let seed = 300;
  for (const variant of ['PA', 'PA-I', 'PA-II'] as const) {
    await compare({ kind: 'passiveAggressive', variant, C: 0.05 }, 'binary', seed++);
    await compare({ kind: 'passiveAggressive', task: 'regression', variant, epsilon: 1, targetScale: { mean: 280, std: 60 } }, 'regression', seed++);
  }
});

test('sample and class weights are importance weights: a row of weight 2 ≈ two rows of weight 1 (normalized, per row)', async () => {
  const once = await createModel({ kind: 'linear', targetScale: { mean: 0, std: 1 }, inputs: 2 }),
    twice = await createModel({ kind: 'linear', targetScale: { mean: 0, std: 1 }, inputs: 2 }),
    plain = await createModel({ kind: 'linear', targetScale: { mean: 0, std: 1 }, inputs: 2 });
  const row = (w: number | null, n: number) =>
    FeatureMatrix.dense(n, 2, Float32Array.from(Array.from({ length: n }, () => [1, 0.5]).flat()), {
      targets: new Float32Array(n).fill(3),
      weights: w === null ? null : new Float32Array(n).fill(w),
    });
  await once.learn(row(2, 1));
  await twice.learn(row(null, 2));
  await plain.learn(row(null, 1));
  const probe = row(null, 1),
    [a, b, c] = [await once.predict(probe), await twice.predict(probe), await plain.predict(probe)];
  // Not equal (the adaptive state differs), but weight 2 moves the prediction about as far as two rows, and further than one.
  assert.ok(Math.abs(a[0]! - b[0]!) < 0.35 * Math.abs(b[0]!), `weight 2: ${a[0]}, two rows: ${b[0]}`);
  assert.ok(a[0]! > c[0]! + 0.1, `weight 2: ${a[0]}, one row: ${c[0]}`);
  // The importance-aware step never overshoots the label, however large the weight.
  const huge = await createModel({ kind: 'linear', targetScale: { mean: 0, std: 1 }, inputs: 2 });
  await huge.learn(row(1e6, 1));
  const p = (await huge.predict(probe))[0]!;
  assert.ok(p > 2.99 && p <= 3 + 1e-6, `weight 1e6 lands on the label, got ${p}`);
});

test('the update costs O(non-zeros): 2^18 columns learn as fast as 16 (per row, hashed-like rows)', async () => {
  const rows = 20_000;
  async function time(width: number): Promise<number> {
    const r = rng(5),
      indptr = new Int32Array(rows + 1),
      idx = new Int32Array(rows * 6),
      t = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < 6; k++) idx[i * 6 + k] = Math.floor(r() * width);
      indptr[i + 1] = (i + 1) * 6;
      t[i] = r() < 0.5 ? 1 : 0;
    }
    const x = FeatureMatrix.csr(rows, width, indptr, idx, new Float32Array(rows * 6).fill(1), { targets: t });
    const m = await createModel({ kind: 'logistic', inputs: width }),
      out = new Float32Array(rows);
    m.testThenTrain!(x, out);
    const t0 = performance.now();
    for (let k = 0; k < 3; k++) m.testThenTrain!(x, out);
    return performance.now() - t0;
  }
  await time(16);
  const narrow = await time(16),
    wide = await time(1 << 18);
  // O(weights) per row would make the wide model 16384× slower; cache misses alone stay far below 30×.
  assert.ok(wide < 30 * narrow + 50, `2^18 columns: ${wide.toFixed(1)} ms, 16 columns: ${narrow.toFixed(1)} ms`);
});

test('regression targets in the hundreds: auto scaling learns them without a rate or a targetScale', async () => {
  const r = rng(9),
    rows = 3000,
    v = new Float32Array(rows * 3),
    t = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const a = r() * 2000,
      b = r() * 10,
      c = r() < 0.5 ? 1 : 0;
    v.set([a, b, c], i * 3);
    t[i] = 150 + 0.1 * a - 8 * b + 40 * c + (r() - 0.5) * 10;
  }
  const x = FeatureMatrix.dense(rows, 3, v, { targets: t });
  for (const spec of [{ kind: 'linear' }, { kind: 'linear', targetScale: { mean: 250, std: 70 } }] as ModelOptions[]) {
    const m = await createModel(spec),
      out = new Float32Array(rows);
    m.testThenTrain!(x, out);
    // R² over the last third of the progressive predictions.
    let ss = 0,
      st = 0,
      mean = 0;
    for (let i = 2000; i < rows; i++) mean += t[i]! / 1000;
    for (let i = 2000; i < rows; i++) {
      ss += (out[i]! - t[i]!) ** 2;
      st += (t[i]! - mean) ** 2;
    }
    assert.ok(1 - ss / st > 0.95, `${JSON.stringify(spec)}: progressive R² ${1 - ss / st}`);
  }
});

test('state round trip: same predictions, same learning after; NaN targets are predicted, not learned', async () => {
  for (const [spec, task] of [...KINDS, [{ kind: 'logistic', optimizer: 'ftrl' }, 'binary'] as const, [{ kind: 'passiveAggressive' }, 'binary'] as const]) {
    const x = data(7, 60, task, true),
      m = await createModel({ ...spec, l1: spec.kind === 'passiveAggressive' ? undefined : 0.001 } as ModelOptions);
    await m.learn(x);
    const restored = await modelFromState(JSON.parse(JSON.stringify(await m.state())));
    assert.equal(Array.from(await restored.predict(x)), Array.from(await m.predict(x)), JSON.stringify(spec));
    assert.is(restored.step, m.step);
    await m.learn(x);
    await restored.learn(x);
    assert.equal(Array.from(await restored.predict(x)), Array.from(await m.predict(x)), `${JSON.stringify(spec)} after more learning`);
    assert.ok(Number.isFinite(await m.lastLoss()));
  }
  const m = await createModel({ kind: 'logistic', inputs: 2 });
  await m.learn(FeatureMatrix.dense(2, 2, Float32Array.of(1, 0, 0, 1), { targets: Float32Array.of(NaN, NaN) }));
  assert.is(m.step, 0);
  assert.ok(Number.isNaN(await m.lastLoss()));
});

test('bad targets and weights are refused before anything is learned, naming the row', async () => {
  const m = await createModel({ kind: 'logistic', inputs: 2 });
  const bad = FeatureMatrix.dense(3, 2, Float32Array.of(1, 0, 0, 1, 1, 1), { targets: Float32Array.of(1, 0, 2) });
  try {
    await m.learn(bad);
    assert.unreachable('expected SchemaError');
  } catch (e) {
    assert.instance(e, SchemaError);
    assert.match((e as Error).message, /binary target of row 2 is 2/);
  }
  assert.is(m.step, 0);
  const neg = FeatureMatrix.dense(1, 2, Float32Array.of(1, 0), { targets: Float32Array.of(1), weights: Float32Array.of(-1) });
  try {
    await m.learn(neg);
    assert.unreachable('expected SchemaError');
  } catch (e) {
    assert.match((e as Error).message, /sample weight of row 0 is -1/);
  }
});

test('defaults: the linear kinds build this model per row with normalized at lr 0.5', async () => {
  for (const spec of [
    { kind: 'linear' },
    { kind: 'logistic' },
    { kind: 'svm' },
    { kind: 'softmax', classes: 4 },
    { kind: 'passiveAggressive' },
  ] as ModelOptions[]) {
    const m = await createModel(spec);
    assert.instance(m, SparseLinearModel, spec.kind);
    assert.is(m.batchSize, 1);
  }
  const o = resolveModelOptions({ kind: 'softmax', classes: 4 });
  assert.equal([o.optimizer, o.lr], ['normalized', 0.5]);
});

test.run();
