/**
 * The cpu kernels' specialised loops (branch-free relu on the float bits, one plain loop per
 * optimizer without L1) against the per-element definitions written out here, bit for bit, over
 * seeded data and the special values (±0, ±Inf, NaN, subnormals).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { activateBackwardCpu, activateCpu, optimizerStepCpu } from '../../src/kernels/cpu/index.js';
import type { OptimizerKind } from '../../src/kernels/index.js';
import { seeded } from './seeded.js';

const SPECIALS = [NaN, 0, -0, Infinity, -Infinity, 1e-45, -1e-45, 1.2e-38, -1.2e-38, 3.4e38, -3.4e38, 1, -1, 0.5];

function withSpecials(seed: number, n: number): Float32Array {
  const x = seeded(seed, n);
  x.set(SPECIALS);
  // NaNs with other payloads and the sign bit set.
  new Int32Array(x.buffer).set([0x7fc00001, 0xffc00000 | 0, 0x7f800001, 0x7fffffff, 0x80000001 | 0], SPECIALS.length);
  return x;
}

const bits = (a: Float32Array) => Array.from(new Int32Array(a.buffer, a.byteOffset, a.length));

test('relu forward: branch-free loop gives the bits of v > 0 ? v : 0 (NaN and −0 to +0)', () => {
  const x = withSpecials(1, 999);
  const y = new Float32Array(x.length);
  activateCpu('relu', x, y);
  const want = Float32Array.from(x, (v) => (v > 0 ? v : 0));
  assert.equal(bits(y), bits(want));
  // In place, on a view that does not start at the buffer's beginning.
  const big = new Float32Array(x.length + 3);
  big.set(x, 3);
  const view = big.subarray(3);
  activateCpu('relu', view, view);
  assert.equal(bits(view), bits(want));
  assert.equal(Array.from(big.subarray(0, 3)), [0, 0, 0]);
});

test('relu backward: dx = y > 0 ? dy : 0, bit for bit, for any y', () => {
  const y = withSpecials(2, 777),
    dy = seeded(3, 777);
  dy[20] = -0;
  dy[21] = NaN;
  dy[22] = -Infinity;
  const dx = new Float32Array(y.length);
  activateBackwardCpu('relu', y, dy, dx);
  const want = Float32Array.from(y, (v, i) => (v > 0 ? dy[i]! : 0));
  assert.equal(bits(dx), bits(want));
});

/** The per-element definitions of Backend.optimizerStep without L1, in f64, stored as f32. */
function reference(kind: OptimizerKind, p: Float32Array, g: Float32Array, st: Float32Array[], lr: number, l2: number, step: number): void {
  for (let i = 0; i < p.length; i++) {
    const w = p[i]!,
      gi = g[i]! + l2 * w;
    switch (kind) {
      case 'sgd':
        p[i] = w - lr * gi;
        break;
      case 'momentum':
      case 'nesterov': {
        const v = 0.9 * st[0]![i]! + gi;
        st[0]![i] = v;
        p[i] = w - lr * (kind === 'nesterov' ? gi + 0.9 * v : v);
        break;
      }
      case 'adam': {
        const m = 0.9 * st[0]![i]! + (1 - 0.9) * gi,
          s = 0.999 * st[1]![i]! + (1 - 0.999) * gi * gi;
        st[0]![i] = m;
        st[1]![i] = s;
        p[i] = w - (lr * (m * (1 / (1 - 0.9 ** step)))) / (Math.sqrt(s * (1 / (1 - 0.999 ** step))) + 1e-8);
        break;
      }
      case 'adagrad':
      case 'rmsprop': {
        const s = kind === 'rmsprop' ? 0.9 * st[0]![i]! + (1 - 0.9) * gi * gi : 1 * st[0]![i]! + 1 * gi * gi;
        st[0]![i] = s;
        p[i] = w - (lr * gi) / (Math.sqrt(s) + 1e-8);
        break;
      }
    }
  }
}

for (const kind of ['sgd', 'momentum', 'nesterov', 'adam', 'adagrad', 'rmsprop'] as OptimizerKind[]) {
  test(`${kind} without L1: the specialised loop equals the per-element definition bit for bit (with and without L2)`, () => {
    const nState = kind === 'sgd' ? 0 : kind === 'adam' ? 2 : 1;
    for (const l2 of [0, 0.01]) {
      const p = seeded(10, 513, 0.3),
        q = p.slice();
      const st = Array.from({ length: nState }, (_, j) => seeded(20 + j, 513, 0.1).map(Math.abs)),
        st2 = st.map((s) => s.slice());
      for (let step = 1; step <= 3; step++) {
        const g = seeded(30 + step, 513);
        optimizerStepCpu(kind, p, g, st, { lr: 0.05, l2, step });
        reference(kind, q, g, st2, 0.05, l2, step);
      }
      assert.equal(bits(p), bits(q), `${kind} l2=${l2}: parameters`);
      st.forEach((s, j) => assert.equal(bits(s), bits(st2[j]!), `${kind} l2=${l2}: state ${j}`));
    }
  });
}

test.run();
