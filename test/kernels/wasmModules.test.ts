import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadWasmGemm, wasmModules } from '../../src/kernels/cpu/index.js';

// The project's lib settings (ES2022 + node types) do not declare WebAssembly.
const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

test('from the sources there is no prebuilt file beside the code: bytes() emits, and every module and memory form validates', () => {
  const names = new Set<string>();
  for (const name of wasmModules.NAMES) {
    for (const shared of [true, false]) {
      const bytes = wasmModules.bytes(name, shared);
      assert.ok(Buffer.from(bytes).equals(Buffer.from(wasmModules.emit(name, shared))), `${name} ${shared}`);
      assert.ok(wasm.validate(bytes), `${name} (shared ${shared}) does not validate`);
      names.add(wasmModules.file(name, shared));
    }
  }
  // One file per module and memory form (the build writes each to dist/wasm/).
  assert.is(names.size, wasmModules.NAMES.length * 2);
});

test('loadWasmGemm uses the modules with the tile rows wasmModules names', () => {
  const w = loadWasmGemm();
  assert.ok(w, 'Node 20 runs WebAssembly SIMD');
  assert.is(w.mr, wasmModules.MR);
  assert.is(w.maxBytes, wasmModules.MAX_PAGES * 65536);
});

test.run();
