import { readFileSync } from 'node:fs';
import { wasmGemmModule } from './wasmGemmModule.js';
import { wasmOptimModule } from './wasmOptimModule.js';
import { wasmPackModule } from './wasmPackModule.js';
import { wasmScaleModule } from './wasmScaleModule.js';

/** The WebAssembly modules the CPU backend instantiates (loadWasmGemm). */
export type WasmModuleName = 'gemm' | 'scale' | 'pack' | 'optim';

// 1 GiB of address space (reserved, not committed): 4096³ needs 192 MiB of panels; larger
// problems are cut into row slices by the caller.
const MAX_PAGES = 16384;
// 4×8 won on this machine (EPYC, AVX2): 4×8 holds 8 accumulators + 2 B vectors + a broadcast in
// 11 of the 15 xmm registers V8 allocates; 5×8 and 6×8 spill and ran 10–30 % slower, and k-loop
// unrolling (2, 4) brought nothing. Measured with /tmp micro-benchmarks, best of 35 bursts.
const MR = 4;

/**
 * The CPU backend's WebAssembly, one source of truth for the build and the runtime. The
 * TypeScript emitters (wasmGemmModule, wasmScaleModule, wasmPackModule, wasmOptimModule) are the source; `emit`
 * runs them with the options the backend uses. The build (scripts/build.ts) writes every module
 * and memory form as dist/wasm/`file(name, shared)`, and `bytes` reads that file when it lies
 * beside the running code (the package); from the sources there is none, and it emits.
 *
 * Why prebuilt emitter output and not .wat sources assembled by wabt: the emitters are tested,
 * parameterized (tile rows, unrolling, memory form) and already the truth; .wat sources would be
 * a second copy to keep in step, and wabt (an emscripten build of the C++ toolkit) would only ever
 * produce the same bytes. What the package gains is start-up, measured on the built package (2
 * loaded cores, median of 15 fresh processes): from import to the first 64³ GEMM 3.2 ms with the
 * files against 6.8 ms emitting (the three modules: 4–8 ms cold, 0.6 ms warm; reading 0.3 ms).
 * test/build.test.ts checks that the built files are byte for byte what `emit` gives.
 */
export const wasmModules = Object.freeze({
  NAMES: ['gemm', 'scale', 'pack', 'optim'] as readonly WasmModuleName[],
  /** Rows of the GEMM micro-tile (MR); its columns are always 8. */
  MR,
  /** The most 64 KiB pages the shared memory may grow to (every module imports it with this maximum). */
  MAX_PAGES,
  /** File name of a module in dist/wasm/. */
  file(name: WasmModuleName, shared: boolean): string {
    return `${name}${shared ? '.shared' : ''}.wasm`;
  },
  /** The module's bytes, emitted now. */
  emit(name: WasmModuleName, shared: boolean): Uint8Array {
    const memory = { shared, maxPages: MAX_PAGES };
    switch (name) {
      case 'gemm':
        return wasmGemmModule({ mr: MR, unroll: 1, ...memory });
      case 'scale':
        return wasmScaleModule(memory);
      case 'pack':
        return wasmPackModule(memory);
      case 'optim':
        return wasmOptimModule(memory);
    }
  },
  /** The module's bytes: the prebuilt file beside the running code (the built package), else emitted. */
  bytes(name: WasmModuleName, shared: boolean): Uint8Array {
    try {
      return readFileSync(new URL(`./wasm/${wasmModules.file(name, shared)}`, import.meta.url));
    } catch {
      return wasmModules.emit(name, shared);
    }
  },
});
