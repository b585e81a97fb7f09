import { wasmEncoding } from './wasmEncoding.js';

/** Memory import of the emitted module: it must match the GEMM module's memory it shares. */
export interface WasmScaleModuleOptions {
  /** Import the memory as shared (threads proposal). Default false. */
  shared?: boolean;
  /** Maximum memory in 64 KiB pages (required for shared memory). Default 16384 (1 GiB). */
  maxPages?: number;
}

/**
 * Bytes of a WebAssembly SIMD module over the GEMM's memory (`env.mem`) exporting
 * `axpby(c, s, y, d, n4, alpha, beta, op)`: for 4·n4 floats at byte offsets c, s, y and d,
 *   v = f32(alpha·c[i] + beta·s[i])   (beta = 0: f32(alpha·c[i]), s not read)
 *   d[i] = v (op 0), relu: v when v > 0 else +0 (op 1), relu backward: v when y[i] > 0 else +0 (op 2)
 * (d may be c or s: each four floats are read before they are written)
 * with each f32 widened to f64 (f64x2.promote_low_f32x4), multiplied and added in f64 and rounded
 * once (f32x4.demote_f64x2_zero): the same IEEE operations as the JavaScript epilogue
 * `alpha * h + beta * c` on Float32Arrays, so results are bit-identical, at four floats per
 * iteration instead of one (a JS loop over a 784×256 C ran ~3 ns per element here). The relu
 * ops give exactly activateCpu / activateBackwardCpu's results (NaN and −0 included): pmax(+0, v)
 * and v & (y > 0).
 */
export function wasmScaleModule(options: WasmScaleModuleOptions = {}): Uint8Array {
  const shared = options.shared ?? false,
    maxPages = options.maxPages ?? 16384;
  const { uleb, str, section, get, set, simd } = wasmEncoding;
  const load = [...simd(0x00), 4, 0],
    store = [...simd(0x0b), 4, 0];
  const lanes = (l: number[]) => [...simd(0x0d), ...l];
  const range = (a: number, n: number) => Array.from({ length: n }, (_, i) => a + i);
  // Upper two f32 lanes moved down (for promote_low), and the two demoted halves joined.
  const HIGH = lanes([...range(8, 8), ...range(8, 8)]);
  const JOIN = lanes([...range(0, 8), ...range(16, 8)]);
  const promote = simd(0x5f),
    demote = simd(0x5e),
    fmul = simd(0xf2),
    fadd = simd(0xf0),
    splat = simd(0x14);
  const I32_ADD = 0x6a,
    I32_MUL = 0x6c,
    I32_GE_U = 0x4f;

  // Params: c 0, s 1, y 2, d 3, n4 4 (i32), alpha 5, beta 6 (f64), op 7 (i32).
  // Locals: end 8 (i32); A 9, B 10, v 11, w 12, zero 13 (v128).
  const [C, S, Y, D, N4, ALPHA, BETA, OP, END, A, B, V, W, Z] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const pmax = simd(0xeb),
    fgt = simd(0x44),
    and = simd(0x4e);
  // f64x2 of the low (hi = false) or high two lanes of v128 local x, times the splat in local k.
  const half = (x: number, hi: boolean, k: number) => [...get(x), ...(hi ? [...get(x), ...HIGH] : []), ...promote, ...get(k), ...fmul];
  const scaled = (hi: boolean, withS: boolean) => [...half(V, hi, A), ...(withS ? [...half(W, hi, B), ...fadd] : []), ...demote];
  const loop = (withS: boolean, op: number) => [
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(C),
    ...get(END),
    I32_GE_U,
    0x0d,
    0x01,
    ...get(C),
    ...load,
    ...set(V),
    ...(withS ? [...get(S), ...load, ...set(W)] : []),
    ...get(D),
    ...scaled(false, withS),
    ...scaled(true, withS),
    ...JOIN,
    ...(op === 1 ? [...set(V), ...get(Z), ...get(V), ...pmax] : []),
    ...(op === 2 ? [...get(Y), ...load, ...get(Z), ...fgt, ...and] : []),
    ...store,
    ...get(C),
    0x41,
    16,
    I32_ADD,
    ...set(C),
    ...get(D),
    0x41,
    16,
    I32_ADD,
    ...set(D),
    ...(withS ? [...get(S), 0x41, 16, I32_ADD, ...set(S)] : []),
    ...(op === 2 ? [...get(Y), 0x41, 16, I32_ADD, ...set(Y)] : []),
    0x0c,
    0x00,
    0x0b,
    0x0b,
  ];
  // if (beta == 0) loop without s else loop with s, for the op (0, 1, else 2)
  const byBeta = (op: number) => [...get(BETA), 0x44, ...new Array<number>(8).fill(0), 0x61, 0x04, 0x40, ...loop(false, op), 0x05, ...loop(true, op), 0x0b];
  const code = [
    ...get(C),
    ...get(N4),
    0x41,
    16,
    I32_MUL,
    I32_ADD,
    ...set(END),
    ...get(ALPHA),
    ...splat,
    ...set(A),
    ...get(BETA),
    ...splat,
    ...set(B),
    ...get(OP),
    0x45,
    0x04,
    0x40,
    ...byBeta(0),
    0x05,
    ...get(OP),
    0x41,
    1,
    0x46,
    0x04,
    0x40,
    ...byBeta(1),
    0x05,
    ...byBeta(2),
    0x0b,
    0x0b,
    0x0b,
  ];
  const body = [...uleb(2), ...uleb(1), 0x7f, ...uleb(5), 0x7b, ...code];
  const limits = shared ? [0x03, ...uleb(1), ...uleb(maxPages)] : [0x00, ...uleb(1)];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 8, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7c, 0x7c, 0x7f, 0]),
    ...section(2, [1, ...str('env'), ...str('mem'), 0x02, ...limits]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...str('axpby'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}
