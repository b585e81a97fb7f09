/**
 * Panel packing in wasm SIMD (gemmPackWasm over wasmPackModule's loops) against the JavaScript
 * packer (gemmPackPanels): the same floats in the same places, padding zeroed, for both source
 * layouts, panel widths 4 and 8, ragged rows and depths (k blocks of 256 and a tail of k mod 4).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gemmPackPanels, gemmPackWasm, loadWasmGemm } from '../../src/kernels/cpu/index.js';
import { seeded } from './seeded.js';

test('gemmPackWasm writes exactly what gemmPackPanels writes', () => {
  const w = loadWasmGemm()!;
  const STAGE = 1 << 20;
  if (w.mem.buffer.byteLength < 2 * STAGE * 4) w.mem.grow(Math.ceil((2 * STAGE * 4 - w.mem.buffer.byteLength) / 65536));
  const heap = new Float32Array(w.mem.buffer);
  let seed = 70,
    cases = 0;
  for (const [rows, k] of [
    [256, 784],
    [64, 784],
    [784, 64],
    [10, 256],
    [13, 301],
    [37, 7],
    [9, 258],
    [1, 1],
    [4, 3],
    [65, 513],
  ] as const) {
    for (const kContiguous of [false, true]) {
      for (const pw of [4, 8]) {
        const x = seeded(seed++, rows * k);
        // kContiguous: x is rows × k (element (r, p) at r·k + p), else k × rows (at p·rows + r).
        const rs = kContiguous ? k : 1,
          ps = kContiguous ? 1 : rows;
        const size = Math.ceil(rows / pw) * pw * k;
        const want = new Float32Array(size).fill(NaN);
        gemmPackPanels(x, 0, rows, k, rs, ps, pw, 256, want, 0);
        heap.fill(NaN, 0, size);
        heap.set(x, STAGE);
        gemmPackWasm(w, heap, STAGE, rows, k, rs, ps, pw, 256, 0);
        const got = heap.subarray(0, size);
        for (let i = 0; i < size; i++) {
          if (!Object.is(got[i], want[i]))
            assert.unreachable(`${rows}×${k} ${kContiguous ? 'k' : 'rows'} contiguous, panel ${pw}: [${i}] ${got[i]} vs ${want[i]}`);
        }
        assert.ok(!want.some(Number.isNaN), 'every packed float written (padding included)');
        cases++;
      }
    }
  }
  assert.is(cases, 40);
});

test.run();
