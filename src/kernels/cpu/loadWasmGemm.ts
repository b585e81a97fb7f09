import { WasmArena } from './WasmArena.js';
import { wasmModules } from './wasmModules.js';

/** The wasm memory as used here (shared or not). */
export interface WasmGemmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** The instantiated SIMD GEMM module: its kernel, its memory (grown on demand) and what workers need to join it. */
export interface WasmGemm {
  kernel(ap: number, bp: number, ct: number, mPanels: number, nPanels: number, kc: number, ldc: number, first: number): void;
  /** d[i] = f32(alpha·c[i] + beta·s[i]) over 4·n4 floats at byte offsets c, s, d, in f64 like the JS epilogue, then op 1 relu or op 2 relu backward against y (wasmScaleModule); main thread only. */
  axpby(c: number, s: number, y: number, d: number, n4: number, alpha: number, beta: number, op: number): void;
  /** Panel-packing loops (wasmPackModule; byte offsets and strides); main thread only. */
  copy8(src: number, ps: number, dst: number, kc: number): void;
  copy4(src: number, ps: number, dst: number, kc: number): void;
  tr4(src: number, rs: number, dst: number, kc: number): void;
  /** Adam over 4·n4 parameters at byte offsets p, g, m, s, bit for bit optimizerStepCpu's (wasmOptimModule); main thread only. */
  adam(
    p: number,
    g: number,
    m: number,
    s: number,
    n4: number,
    lr: number,
    b1: number,
    nb1: number,
    b2: number,
    nb2: number,
    c1: number,
    c2: number,
    eps: number,
    l2: number,
  ): void;
  mem: WasmGemmMemory;
  /** The compiled module; a worker instantiates it over the same (shared) memory. */
  module: object;
  /** True when mem is a shared memory (threads proposal) that worker threads can run on. */
  shared: boolean;
  /** The most bytes mem may grow to. */
  maxBytes: number;
  /** Long-lived arrays inside mem (shared memory only; the GEMM's scratch starts above them). */
  arena: WasmArena | null;
  /** Rows of the micro-tile (MR); its columns are always 8. */
  mr: number;
}

// The project's lib settings (ES2022 + node types) do not declare WebAssembly; this is the part used here.
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmGemmMemory;
}

// The modules' options (tile rows, memory size) and where their bytes come from: wasmModules.
const { MAX_PAGES, MR } = wasmModules;

let loaded: WasmGemm | null | undefined;

/** Compiles the module once per thread; null when the runtime has no WebAssembly SIMD. Prefers shared memory. */
export function loadWasmGemm(): WasmGemm | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const wa = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wa) return loaded;
  for (const shared of [true, false]) {
    try {
      const bytes = wasmModules.bytes('gemm', shared);
      if (!wa.validate(bytes)) continue;
      const mem = new wa.Memory(shared ? { initial: 16, maximum: MAX_PAGES, shared: true } : { initial: 16, maximum: MAX_PAGES });
      const module = new wa.Module(bytes);
      const { kernel } = new wa.Instance(module, { env: { mem } }).exports as Pick<WasmGemm, 'kernel'>;
      const { axpby } = new wa.Instance(new wa.Module(wasmModules.bytes('scale', shared)), { env: { mem } }).exports as Pick<WasmGemm, 'axpby'>;
      const { copy8, copy4, tr4 } = new wa.Instance(new wa.Module(wasmModules.bytes('pack', shared)), { env: { mem } }).exports as Pick<
        WasmGemm,
        'copy8' | 'copy4' | 'tr4'
      >;
      const { adam } = new wa.Instance(new wa.Module(wasmModules.bytes('optim', shared)), { env: { mem } }).exports as Pick<WasmGemm, 'adam'>;
      loaded = { kernel, axpby, copy8, copy4, tr4, adam, mem, module, shared, maxBytes: MAX_PAGES * 65536, mr: MR, arena: shared ? new WasmArena(mem) : null };
      break;
    } catch {
      // Shared memory unavailable (or no SIMD): try the next form.
    }
  }
  return loaded;
}
