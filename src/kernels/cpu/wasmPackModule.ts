import { wasmEncoding } from './wasmEncoding.js';

/** Memory import of the emitted module: it must match the GEMM module's memory it shares. */
export interface WasmPackModuleOptions {
  /** Import the memory as shared (threads proposal). Default false. */
  shared?: boolean;
  /** Maximum memory in 64 KiB pages (required for shared memory). Default 16384 (1 GiB). */
  maxPages?: number;
}

/**
 * Bytes of a WebAssembly SIMD module over the GEMM's memory (`env.mem`) with the inner loops of
 * panel packing (gemmPackPanels' layout), byte offsets and strides, kc steps of one panel each:
 *   copy8(src, ps, dst, kc): dst[p·8 .. p·8+8)  = src + p·ps, 8 contiguous floats (a B panel)
 *   copy4(src, ps, dst, kc): dst[p·4 .. p·4+4)  = src + p·ps, 4 contiguous floats (an A panel)
 *   tr4(src, rs, dst, kc):   dst[p·4 + q]       = (src + q·rs)[p], q < 4: four rows whose k runs
 *                            contiguously, transposed 4×4 at a time by shuffles (tail one by one)
 * Packing in JavaScript cost ~3 ns per float here (scalar typed-array loads and stores), about a
 * quarter of a batch-64 MLP step; these move 16 bytes per instruction. Only copies: exact.
 */
export function wasmPackModule(options: WasmPackModuleOptions = {}): Uint8Array {
  const shared = options.shared ?? false,
    maxPages = options.maxPages ?? 16384;
  const { uleb, str, section, get, set, i32c, simd } = wasmEncoding;
  const load = (off: number) => [...simd(0x00), 0, ...uleb(off)],
    store = (off: number) => [...simd(0x0b), 0, ...uleb(off)];
  const ADD = 0x6a,
    GE_S = 0x4e,
    AND = 0x71;
  // i32 lanes → byte lanes of i8x16.shuffle.
  const shuffle = (l: number[]) => [...simd(0x0d), ...l.flatMap((x) => [4 * x, 4 * x + 1, 4 * x + 2, 4 * x + 3])];
  const add = (local: number, v: number[]) => [...get(local), ...v, ADD, ...set(local)];
  // while (P < LIMIT) { body; P += step }  with P, LIMIT locals
  const loop = (p: number, limit: number, step: number, body: number[]) => [
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(p),
    ...get(limit),
    GE_S,
    0x0d,
    0x01,
    ...body,
    ...add(p, i32c(step)),
    0x0c,
    0x00,
    0x0b,
    0x0b,
  ];
  // Params (src 0, stride 1, dst 2, kc 3); locals: p 4, lim 5, r1 6, r2 7, r3 8 (i32); v128 from 9.
  const [SRC, STRIDE, DST, KC, P, LIM, R1, R2, R3] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [V0, V1, V2, V3, T0, T1, T2, T3] = [9, 10, 11, 12, 13, 14, 15, 16];
  const copy = (vectors: number) => {
    const body: number[] = [];
    for (let v = 0; v < vectors; v++) body.push(...get(DST), ...get(SRC), ...load(16 * v), ...store(16 * v));
    body.push(...add(SRC, get(STRIDE)), ...add(DST, i32c(16 * vectors)));
    return [...i32c(0), ...set(P), ...loop(P, KC, 1, body), 0x0b];
  };
  const tr4Body = [
    ...get(SRC),
    ...get(STRIDE),
    ADD,
    ...set(R1),
    ...get(R1),
    ...get(STRIDE),
    ADD,
    ...set(R2),
    ...get(R2),
    ...get(STRIDE),
    ADD,
    ...set(R3),
    ...get(KC),
    ...i32c(-4),
    AND,
    ...set(LIM), // lim = kc rounded down to a multiple of 4
    ...i32c(0),
    ...set(P),
    ...loop(P, LIM, 4, [
      ...get(SRC),
      ...load(0),
      ...set(V0),
      ...get(R1),
      ...load(0),
      ...set(V1),
      ...get(R2),
      ...load(0),
      ...set(V2),
      ...get(R3),
      ...load(0),
      ...set(V3),
      ...get(V0),
      ...get(V1),
      ...shuffle([0, 4, 1, 5]),
      ...set(T0),
      ...get(V0),
      ...get(V1),
      ...shuffle([2, 6, 3, 7]),
      ...set(T1),
      ...get(V2),
      ...get(V3),
      ...shuffle([0, 4, 1, 5]),
      ...set(T2),
      ...get(V2),
      ...get(V3),
      ...shuffle([2, 6, 3, 7]),
      ...set(T3),
      ...get(DST),
      ...get(T0),
      ...get(T2),
      ...shuffle([0, 1, 4, 5]),
      ...store(0),
      ...get(DST),
      ...get(T0),
      ...get(T2),
      ...shuffle([2, 3, 6, 7]),
      ...store(16),
      ...get(DST),
      ...get(T1),
      ...get(T3),
      ...shuffle([0, 1, 4, 5]),
      ...store(32),
      ...get(DST),
      ...get(T1),
      ...get(T3),
      ...shuffle([2, 3, 6, 7]),
      ...store(48),
      ...add(SRC, i32c(16)),
      ...add(R1, i32c(16)),
      ...add(R2, i32c(16)),
      ...add(R3, i32c(16)),
      ...add(DST, i32c(64)),
    ]),
    // Tail: one k step at a time (four f32 loads and stores; p runs on from lim to kc).
    ...loop(P, KC, 1, [
      ...get(DST),
      ...get(SRC),
      0x2a,
      2,
      0,
      0x38,
      2,
      0,
      ...get(DST),
      ...get(R1),
      0x2a,
      2,
      0,
      0x38,
      2,
      4,
      ...get(DST),
      ...get(R2),
      0x2a,
      2,
      0,
      0x38,
      2,
      8,
      ...get(DST),
      ...get(R3),
      0x2a,
      2,
      0,
      0x38,
      2,
      12,
      ...add(SRC, i32c(4)),
      ...add(R1, i32c(4)),
      ...add(R2, i32c(4)),
      ...add(R3, i32c(4)),
      ...add(DST, i32c(16)),
    ]),
    0x0b,
  ];
  const fn = (code: number[]) => {
    const body = [...uleb(2), ...uleb(5), 0x7f, ...uleb(8), 0x7b, ...code];
    return [...uleb(body.length), ...body];
  };
  const limits = shared ? [0x03, ...uleb(1), ...uleb(maxPages)] : [0x00, ...uleb(1)];
  const names = ['copy8', 'copy4', 'tr4'];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...section(2, [1, ...str('env'), ...str('mem'), 0x02, ...limits]),
    ...section(3, [3, 0, 0, 0]),
    ...section(7, [3, ...names.flatMap((n, i) => [...str(n), 0x00, i])]),
    ...section(10, [3, ...fn(copy(2)), ...fn(copy(1)), ...fn(tr4Body)]),
  ]);
}
