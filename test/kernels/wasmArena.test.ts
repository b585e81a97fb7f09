/**
 * Tensors resident in the GEMM's wasm memory (CpuBackend.uploadResident over WasmArena): GEMMs that
 * read them as A or B, or write them as C (alpha/beta, relu after), give bit for bit what plain
 * tensors give; the arena reuses and coalesces freed blocks and gives the top back to the scratch.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadWasmGemm, WasmArena } from '../../src/kernels/cpu/index.js';
import { CpuBackend, type GemmOptions } from '../../src/kernels/index.js';
import { seeded } from './seeded.js';

test('WasmArena: zeroed aligned blocks, reuse of a freed block, coalescing, top given back, cap', () => {
  const w = loadWasmGemm()!;
  assert.ok(w.arena, 'shared memory: an arena');
  const arena = new WasmArena(w.mem, 4096 * 4);
  const a = arena.alloc(1000)!,
    b = arena.alloc(1001)!,
    c = arena.alloc(5)!;
  assert.is(arena.offsetOf(a), 0);
  assert.is(arena.offsetOf(b), 1000);
  assert.is(arena.offsetOf(c), 2004, '16-byte aligned');
  assert.is(arena.top, 2012, 'sizes round up to four floats');
  assert.ok(a.every((v) => v === 0) && a.length === 1000);
  a.fill(7);
  b.fill(8);
  assert.is(arena.alloc(3000), null, 'over the cap');
  arena.release(a);
  assert.is(arena.offsetOf(a), -1);
  const d = arena.alloc(600)!;
  assert.is(arena.offsetOf(d), 0, 'a freed block is reused');
  assert.ok(
    d.every((v) => v === 0),
    'and zeroed',
  );
  arena.release(c);
  assert.is(arena.top, 2004, 'a freed block at the top goes back to the scratch');
  arena.release(b);
  assert.is(arena.top, 600, 'freed neighbours coalesce down to the last live block');
  arena.release(d);
  assert.is(arena.top, 0);
});

const single = new CpuBackend({ threads: 1 });
const threaded = new CpuBackend({ threads: 2, gemmThreadMin: 0 });

test('GEMMs with resident A, B or C match plain tensors bit for bit (in-place alpha/beta and relu, ragged n, slices)', () => {
  let seed = 300;
  for (const be of [single, threaded]) {
    for (const [m, n, k] of [
      [64, 256, 784],
      [784, 256, 64],
      [65, 263, 31],
      [9, 16, 300],
      [3, 5, 2],
    ] as const) {
      for (const [alpha, beta, after] of [
        [1, 0, undefined],
        [-0.01, 1, undefined],
        [1, 1, 'relu'],
        [0.5, 0, undefined],
      ] as const) {
        const o: GemmOptions = { m, n, k, alpha, beta };
        const a = seeded(seed, m * k),
          b = seeded(seed + 1, k * n),
          c0 = seeded(seed + 2, m * n);
        seed += 3;
        const run = (ra: boolean, rb: boolean, rc: boolean) => {
          const up = (d: Float32Array, shape: number[], res: boolean) => (res ? be.uploadResident(d, shape) : be.upload(d, shape));
          const A = up(a, [m, k], ra),
            B = up(b, [k, n], rb),
            C = up(c0, [m, n], rc);
          be.gemm(A, B, C, after ? { ...o, epilogue: { act: after } } : o);
          const out = Array.from(be.data(C));
          for (const t of [A, B, C]) be.release(t);
          return out;
        };
        const want = run(false, false, false);
        for (const [ra, rb, rc] of [
          [true, false, false],
          [false, true, false],
          [false, false, true],
          [true, true, true],
        ] as const) {
          assert.equal(run(ra, rb, rc), want, `${be.adapter} ${JSON.stringify(o)} after ${after} resident A ${ra} B ${rb} C ${rc}`);
        }
      }
    }
  }
  assert.is(loadWasmGemm()!.arena!.top, 0, 'every resident tensor was given back');
});

test('uploadResident: reads copy out, write/release/dispose work, a non-SIMD backend falls back to a plain upload', async () => {
  const be = new CpuBackend();
  const t = be.uploadResident(Float32Array.from([1, 2, 3, 4, 5]), [5]);
  const copy = await be.read(t);
  assert.equal(Array.from(copy), [1, 2, 3, 4, 5]);
  be.write(t, Float32Array.from([9]), 2);
  assert.equal(Array.from(be.data(t)), [1, 2, 9, 4, 5]);
  assert.is(copy[2], 3, 'read is a copy');
  const before = loadWasmGemm()!.arena!.top;
  assert.ok(before > 0);
  await be.dispose();
  assert.is(loadWasmGemm()!.arena!.top, before - 8, 'dispose gives resident tensors back');
  const blocked = new CpuBackend({ gemm: 'blocked' });
  const p = blocked.uploadResident(Float32Array.from([1, 2]), [2]);
  assert.is(loadWasmGemm()!.arena!.offsetOf(blocked.data(p) as Float32Array), -1);
  assert.throws(() => blocked.uploadResident(new Float32Array(3), [2]), /3 elements, shape needs 2/);
  await blocked.dispose();
});

test('teardown', async () => {
  await single.dispose();
  await threaded.dispose();
});

test.run();
