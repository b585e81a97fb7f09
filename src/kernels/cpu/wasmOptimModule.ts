import { wasmEncoding } from './wasmEncoding.js';

/** Memory import of the emitted module: it must match the GEMM module's memory it shares. */
export interface WasmOptimModuleOptions {
  /** Import the memory as shared (threads proposal). Default false. */
  shared?: boolean;
  /** Maximum memory in 64 KiB pages (required for shared memory). Default 16384 (1 GiB). */
  maxPages?: number;
}

/**
 * Bytes of a WebAssembly SIMD module over the GEMM's memory (`env.mem`) exporting
 * `adam(p, g, m, s, n4, lr, b1, nb1, b2, nb2, c1, c2, eps, l2)`: Adam's update of 4·n4 floats of
 * parameters, gradients, first and second moments at byte offsets p, g, m and s, in place:
 *   g' = g + l2·w;  m = b1·m + nb1·g';  s = b2·s + (nb2·g')·g';  w = w − (lr·(m·c1)) / (√(s·c2) + eps)
 * with nb1 = 1 − b1, nb2 = 1 − b2, c1 = 1/(1 − b1^t), c2 = 1/(1 − b2^t) given by the caller. Each
 * f32 is widened to f64 (f64x2.promote_low_f32x4), every operation is the f64 one of
 * optimizerStepCpu's adam loop in the same order (wasm has no fused multiply-add; sqrt and
 * division are correctly rounded), and each result is rounded once to f32, so the stored values
 * are bit for bit optimizerStepCpu's, at two values per f64 operation instead of one (the JS loop
 * ran ~5 ns per parameter here: an MLP's 784×256 layer costs ~1 ms a step, as much as its GEMMs).
 */
export function wasmOptimModule(options: WasmOptimModuleOptions = {}): Uint8Array {
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
    splat = simd(0x14),
    sqrt = simd(0xef),
    add = simd(0xf0),
    sub = simd(0xf1),
    mul = simd(0xf2),
    div = simd(0xf3);
  const I32_ADD = 0x6a,
    I32_MUL = 0x6c,
    I32_GE_U = 0x4f;

  // Params: p 0, g 1, m 2, s 3, n4 4 (i32); lr 5, b1 6, nb1 7, b2 8, nb2 9, c1 10, c2 11, eps 12, l2 13 (f64).
  const [P, G, M, S, N4] = [0, 1, 2, 3, 4];
  // Locals: end 14 (i32); the f64 parameters splatted (v128) 15..23; the four loaded f32x4 24..27;
  // per half: w, g', m, s as f64x2 28..31; the low half's results as demoted f32x4 32..34.
  const END = 14;
  const splatOf = (param: number) => 15 + (param - 5);
  const [LR, B1, NB1, B2, NB2, C1, C2, EPS, L2] = [5, 6, 7, 8, 9, 10, 11, 12, 13].map(splatOf) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [VP, VG, VM, VS, W, GG, MI, SI, PL, ML, SL] = range(24, 11) as [number, number, number, number, number, number, number, number, number, number, number];
  // f64x2 of the low (hi = false) or high two lanes of the f32x4 in local x.
  const half = (x: number, hi: boolean) => [...get(x), ...(hi ? [...get(x), ...HIGH] : []), ...promote];
  // One half's w, g', m and s (into W, GG, MI, SI), as optimizerStepCpu computes them.
  const moments = (hi: boolean) => [
    ...half(VP, hi),
    ...set(W),
    // g' = g + l2·w
    ...half(VG, hi),
    ...get(L2),
    ...get(W),
    ...mul,
    ...add,
    ...set(GG),
    // m = b1·m + (1 − b1)·g'
    ...get(B1),
    ...half(VM, hi),
    ...mul,
    ...get(NB1),
    ...get(GG),
    ...mul,
    ...add,
    ...set(MI),
    // s = b2·s + (1 − b2)·g'·g'
    ...get(B2),
    ...half(VS, hi),
    ...mul,
    ...get(NB2),
    ...get(GG),
    ...mul,
    ...get(GG),
    ...mul,
    ...add,
    ...set(SI),
  ];
  // w − (lr·(m·c1)) / (√(s·c2) + eps), on the stack.
  const weight = [...get(W), ...get(LR), ...get(MI), ...get(C1), ...mul, ...mul, ...get(SI), ...get(C2), ...mul, ...sqrt, ...get(EPS), ...add, ...div, ...sub];
  const step = (r: number) => [...get(r), 0x41, 16, I32_ADD, ...set(r)];
  const loop = [
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(P),
    ...get(END),
    I32_GE_U,
    0x0d,
    0x01,
    ...get(P),
    ...load,
    ...set(VP),
    ...get(G),
    ...load,
    ...set(VG),
    ...get(M),
    ...load,
    ...set(VM),
    ...get(S),
    ...load,
    ...set(VS),
    ...moments(false),
    ...weight,
    ...demote,
    ...set(PL),
    ...get(MI),
    ...demote,
    ...set(ML),
    ...get(SI),
    ...demote,
    ...set(SL),
    ...moments(true),
    ...get(P),
    ...get(PL),
    ...weight,
    ...demote,
    ...JOIN,
    ...store,
    ...get(M),
    ...get(ML),
    ...get(MI),
    ...demote,
    ...JOIN,
    ...store,
    ...get(S),
    ...get(SL),
    ...get(SI),
    ...demote,
    ...JOIN,
    ...store,
    ...step(P),
    ...step(G),
    ...step(M),
    ...step(S),
    0x0c,
    0x00,
    0x0b,
    0x0b,
  ];
  const code = [
    ...get(P),
    ...get(N4),
    0x41,
    16,
    I32_MUL,
    I32_ADD,
    ...set(END),
    ...[5, 6, 7, 8, 9, 10, 11, 12, 13].flatMap((p) => [...get(p), ...splat, ...set(splatOf(p))]),
    ...loop,
    0x0b,
  ];
  const body = [...uleb(2), ...uleb(1), 0x7f, ...uleb(20), 0x7b, ...code];
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
    ...section(1, [1, 0x60, 14, ...new Array<number>(5).fill(0x7f), ...new Array<number>(9).fill(0x7c), 0]),
    ...section(2, [1, ...str('env'), ...str('mem'), 0x02, ...limits]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...str('adam'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}
