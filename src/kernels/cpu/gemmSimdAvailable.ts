import { loadWasmGemm } from './loadWasmGemm.js';

/** True when this runtime runs the WebAssembly SIMD GEMM (else gemmSimdCpu falls back to TypeScript). */
export function gemmSimdAvailable(): boolean {
  return loadWasmGemm() !== null;
}
