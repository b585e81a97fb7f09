import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import type { OptimizerHyper } from '../../src/kernels/Backend.js';
import { CpuBackend, loadWasmGemm, optimizerStepCpu, optimizerStepWasm } from '../../src/kernels/cpu/index.js';

/** n floats in the wasm memory's arena, filled from `init`. */
function resident(init: Float32Array): Float32Array {
  const a = loadWasmGemm()!.arena!.alloc(init.length)!;
  a.set(init);
  return a;
}

function bits(a: Float32Array): number[] {
  return Array.from(new Int32Array(a.buffer, a.byteOffset, a.length));
}

test('adam in wasm SIMD gives the bits of optimizerStepCpu (L2, n not a multiple of 4, tiny and huge gradients, several steps)', () => {
  const arena = loadWasmGemm()?.arena;
  assert.ok(arena, 'Node 20: shared wasm memory with an arena');
  const rng = new Rng(5);
  for (const n of [1, 7, 1030]) {
    const w0 = Float32Array.from({ length: n }, () => rng.normal(0, 1));
    const ref = [w0.slice(), new Float32Array(n), new Float32Array(n)] as const;
    const [p, m, s] = [resident(w0), resident(new Float32Array(n)), resident(new Float32Array(n))];
    const g = resident(new Float32Array(n));
    for (let step = 1; step <= 4; step++) {
      for (let i = 0; i < n; i++) g[i] = rng.normal(0, 1) * (i % 5 === 0 ? 1e-12 : i % 5 === 1 ? 1e6 : 1);
      const h: OptimizerHyper = { lr: 0.01, step, beta1: 0.8, beta2: 0.99, eps: 1e-7, l2: step === 2 ? 0 : 0.05 };
      assert.ok(optimizerStepWasm('adam', p, g, [m, s], h), `n ${n}: the wasm path ran`);
      optimizerStepCpu('adam', ref[0], g.slice(), [ref[1], ref[2]], h);
      assert.equal(bits(p), bits(ref[0]), `n ${n} step ${step}: weights`);
      assert.equal(bits(m), bits(ref[1]), `n ${n} step ${step}: first moment`);
      assert.equal(bits(s), bits(ref[2]), `n ${n} step ${step}: second moment`);
    }
    for (const a of [p, m, s, g]) arena.release(a);
  }
});

test('optimizerStepWasm declines (and changes nothing) off the arena, with L1, for other optimizers or a bad step', () => {
  const arena = loadWasmGemm()!.arena!;
  const n = 8;
  const [p, g, m, s] = [
    resident(new Float32Array(n).fill(1)),
    resident(new Float32Array(n).fill(0.5)),
    resident(new Float32Array(n)),
    resident(new Float32Array(n)),
  ];
  const h: OptimizerHyper = { lr: 0.1, step: 1 };
  assert.not.ok(optimizerStepWasm('adam', p, g, [m, new Float32Array(n)], h), 'a moment off the arena');
  assert.not.ok(optimizerStepWasm('adam', p, g, [m, s], { ...h, l1: 0.1 }), 'L1');
  assert.not.ok(optimizerStepWasm('sgd', p, g, [], h), 'sgd');
  assert.not.ok(optimizerStepWasm('adam', p, g, [m, s], { ...h, step: 0 }), 'step 0 (optimizerStepCpu reports it)');
  assert.equal(Array.from(p), new Array(n).fill(1));
  assert.equal(Array.from(m), new Array(n).fill(0));
  for (const a of [p, g, m, s]) arena.release(a);
});

test('CpuBackend.optimizerStep: resident tensors (SIMD GEMM path) and plain ones end with the same bits', () => {
  const rng = new Rng(9);
  const n = 203;
  const w = Float32Array.from({ length: n }, () => rng.normal(0, 1)),
    g = Float32Array.from({ length: n }, () => rng.normal(0, 1));
  const b = new CpuBackend({ threads: 1 });
  const run = (resident: boolean) => {
    const o = resident ? { resident: true } : undefined;
    const [tp, tg, tm, ts] = [b.upload(w, [n], o), b.upload(g, [n], o), b.upload(new Float32Array(n), [n], o), b.upload(new Float32Array(n), [n], o)];
    for (let step = 1; step <= 3; step++) b.optimizerStep('adam', tp, tg, [tm, ts], { lr: 0.05, step, l2: 0.01 });
    const out = [tp, tm, ts].map((t) => bits(b.data(t) as Float32Array));
    for (const t of [tp, tg, tm, ts]) b.release(t);
    return out;
  };
  assert.equal(run(true), run(false));
});

test.run();
