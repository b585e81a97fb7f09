import { wasmGemmModule } from './wasmGemmModule.js';

/** The instantiated SIMD GEMM module: its kernel and its memory (grown on demand). */
export interface WasmGemm {
  kernel(ap: number, bp: number, ct: number, mPanels: number, nPanels: number, kc: number): void;
  mem: { readonly buffer: ArrayBuffer; grow(pages: number): number };
}

// The project's lib settings (ES2022 + node types) do not declare WebAssembly; this is the part used here.
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

let loaded: WasmGemm | null | undefined;

/** Compiles the module once per process; null when the runtime has no WebAssembly SIMD. */
export function loadWasmGemm(): WasmGemm | null {
  if (loaded !== undefined) return loaded;
  try {
    const wa = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = wasmGemmModule();
    loaded = wa && wa.validate(bytes) ? (new wa.Instance(new wa.Module(bytes)).exports as WasmGemm) : null;
  } catch {
    loaded = null;
  }
  return loaded;
}
