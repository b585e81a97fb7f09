import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelError, Rng } from '../../src/core/index.js';
import { lossGradCpu } from '../../src/kernels/cpu/index.js';
import { type Backend, CpuBackend, type LossKind } from '../../src/kernels/index.js';
import { closeTo } from './closeTo.js';
import { seeded } from './seeded.js';
import { softwareBackend } from './softwareBackend.js';

const gpu = await softwareBackend();
const cpu = new CpuBackend();
const ATOL = 2e-6,
  RTOL = 2e-5;

interface Case {
  kind: LossKind;
  rows: number;
  cols: number;
  t: Float32Array | Int32Array;
  z: Float32Array;
  w: Float32Array | null;
  scale: number;
}

function cases(): Case[] {
  const out: Case[] = [];
  let seed = 1;
  for (const rows of [1, 7, 31, 1000]) {
    const r = new Rng(seed++);
    const bits = Float32Array.from({ length: rows }, () => r.int(2));
    for (const w of [null, Float32Array.from({ length: rows }, () => r.float() * 2)]) {
      const scale = 1 / rows;
      const z1 = seeded(seed++, rows, 6);
      if (rows > 3) {
        z1[0] = 80;
        z1[1] = -80;
        z1[2] = 0;
      }
      out.push({ kind: 'logistic', rows, cols: 1, t: bits, z: z1, w, scale });
      out.push({ kind: 'hinge', rows, cols: 1, t: bits, z: z1, w, scale });
      for (const cols of [1, 3, 17]) {
        out.push({ kind: 'squared', rows, cols, t: seeded(seed++, rows * cols), z: seeded(seed++, rows * cols), w, scale });
        const labels = Int32Array.from({ length: rows }, () => r.int(cols));
        const zs = seeded(seed++, rows * cols, 4);
        if (rows * cols > 3) {
          zs[0] = 500;
          zs[1] = -500;
        }
        out.push({ kind: 'softmax', rows, cols, t: labels, z: zs, w, scale });
        out.push({ kind: 'softmax', rows, cols, t: Float32Array.from(labels), z: zs, w, scale });
      }
    }
  }
  return out;
}

async function run(be: Backend, c: Case): Promise<[Float32Array, Float32Array]> {
  const Z = be.upload(c.z, [c.rows, c.cols]),
    T = be.upload(c.t, [c.t.length]);
  const W = c.w ? be.upload(c.w, [c.rows]) : null;
  const G = be.zeros([c.rows, c.cols]),
    L = be.zeros([c.rows]);
  be.lossGrad(c.kind, Z, T, W, G, L, c.rows, c.cols, c.scale);
  const out: [Float32Array, Float32Array] = [(await be.read(G)) as Float32Array, (await be.read(L)) as Float32Array];
  for (const t of [Z, T, W, G, L]) if (t) be.release(t);
  return out;
}

function withBackends(name: string, fn: (be: Backend) => Promise<void>): void {
  test(`cpu: ${name}`, () => fn(cpu));
  gpu.test(test, `webgpu: ${name}`, (be) => fn(be));
}

withBackends('lossGrad matches its twin: every loss, weights, int and float targets, extreme logits', async (be) => {
  for (const c of cases()) {
    const g = new Float32Array(c.rows * c.cols),
      l = new Float32Array(c.rows);
    lossGradCpu(c.kind, c.z, c.t, c.w, g, l, c.rows, c.cols, c.scale);
    const [gg, gl] = await run(be, c);
    const what = `${c.kind} ${c.rows}×${c.cols} w=${c.w ? 'yes' : 'no'} t=${c.t.constructor.name}`;
    closeTo(gl, l, 1e-5, 1e-5, `${what} loss`);
    closeTo(gg, g, ATOL, RTOL, `${what} grad`);
    assert.ok(gl.every(Number.isFinite), `${what}: finite loss`);
  }
});

withBackends('lossGrad: a softmax label outside [0, cols) gives NaN for that row only', async (be) => {
  const z = seeded(5, 3 * 4);
  const t = new Int32Array([1, 4, -1]);
  const [g, l] = await run(be, { kind: 'softmax', rows: 3, cols: 4, t, z, w: null, scale: 1 });
  assert.ok(Number.isFinite(l[0]!) && Number.isNaN(l[1]!) && Number.isNaN(l[2]!));
  assert.ok(g.subarray(0, 4).every(Number.isFinite) && g.subarray(4).every(Number.isNaN));
});

withBackends('lossGrad writes the gradient in place over z', async (be) => {
  const z = seeded(9, 20 * 5, 2);
  const t = Int32Array.from({ length: 20 }, (_, i) => i % 5);
  const g = new Float32Array(z.length),
    l = new Float32Array(20);
  lossGradCpu('softmax', z, t, null, g, l, 20, 5, 0.05);
  const Z = be.upload(z, [20, 5]),
    T = be.upload(t, [20]),
    L = be.zeros([20]);
  be.lossGrad('softmax', Z, T, null, Z, L, 20, 5, 0.05);
  closeTo(await be.read(Z), g, ATOL, RTOL, 'in-place grad');
  closeTo(await be.read(L), l, 1e-5, 1e-5, 'in-place loss');
});

test('cpu twin: gradients agree with finite differences of the loss', () => {
  const h = 1e-3;
  for (const kind of ['logistic', 'squared', 'softmax', 'hinge'] as LossKind[]) {
    const rows = 5,
      cols = kind === 'logistic' || kind === 'hinge' ? 1 : 4;
    const z = seeded(11, rows * cols, 1.5);
    const t = kind === 'squared' ? seeded(12, rows * cols) : Float32Array.from({ length: rows }, (_, i) => (kind === 'softmax' ? i % cols : i % 2));
    const w = Float32Array.from({ length: rows }, (_, i) => 0.5 + i * 0.25);
    const g = new Float32Array(rows * cols),
      l = new Float32Array(rows);
    lossGradCpu(kind, z, t, w, g, l, rows, cols, 1);
    for (let i = 0; i < z.length; i++) {
      const r = Math.floor(i / cols);
      const zp = z.slice(),
        zm = z.slice();
      zp[i] = z[i]! + h;
      zm[i] = z[i]! - h;
      const lp = new Float32Array(rows),
        lm = new Float32Array(rows),
        gs = new Float32Array(rows * cols);
      lossGradCpu(kind, zp, t, w, gs, lp, rows, cols, 1);
      lossGradCpu(kind, zm, t, w, gs, lm, rows, cols, 1);
      const numeric = (lp[r]! - lm[r]!) / (2 * h);
      // Hinge has a kink at margin 1; skip points within h of it.
      if (kind === 'hinge' && Math.abs((2 * t[r]! - 1) * z[i]! - 1) < 2 * h) continue;
      assert.ok(Math.abs(numeric - g[i]!) < 5e-3, `${kind} [${i}]: analytic ${g[i]}, numeric ${numeric}`);
    }
  }
});

test('cpu twin: logistic and softmax gradients under 2^-64 are 0 (no float32 subnormals downstream); larger ones are kept', () => {
  // Softmax: logits 0 and -60 (p = e^-60 ≈ 8.8e-27) and 0 and -40 (p ≈ 4.2e-18), class 0 the target.
  const z = new Float32Array([0, -60, 0, -40]),
    t = new Int32Array([0, 0]);
  const g = new Float32Array(4),
    l = new Float32Array(2);
  lossGradCpu('softmax', z, t, null, g, l, 2, 2, 1 / 64);
  // (The target's own p − 1 is 0 in doubles once the other class is under 1e-16.)
  assert.equal(Array.from(g), [0, 0, 0, Math.fround(Math.exp(-40) / (1 + Math.exp(-40)) / 64)]);
  assert.ok(g[3]! > 2 ** -64 && l[0]! >= 0);
  // Logistic: σ(−60) − 0 ≈ 8.8e-27 → 0, and σ(60) − 1 rounds to 0 anyway; σ(−30) − 0 ≈ 9.4e-14 is kept.
  const zl = new Float32Array([-60, -30]),
    tl = new Float32Array([0, 0]);
  const gl = new Float32Array(2);
  lossGradCpu('logistic', zl, tl, null, gl, new Float32Array(2), 2, 1, 1);
  assert.equal(Array.from(gl), [0, Math.fround(1 / (1 + Math.exp(30)))]);
});

test('lossGrad shape errors name the loss and what does not fit', () => {
  const z = cpu.zeros([4, 2]),
    t = cpu.zeros([4]),
    g = cpu.zeros([4, 2]),
    l = cpu.zeros([4]);
  assert.throws(
    () => cpu.lossGrad('logistic', z, t, null, g, l, 4, 2),
    (e: unknown) => e instanceof KernelError && /lossGrad\(logistic\).*one output column/.test((e as Error).message),
  );
  assert.throws(
    () => cpu.lossGrad('squared', z, t, null, g, l, 4, 2),
    (e: unknown) => e instanceof KernelError && /targets has 4 elements, expected rows·cols = 8/.test((e as Error).message),
  );
});

test('teardown', async () => {
  await gpu.dispose();
});

test.run();
