import { wasmEncoding } from './wasmEncoding.js';

/** Shape of the emitted micro-kernel. */
export interface WasmGemmModuleOptions {
  /** Rows of the register tile (MR); the tile is MR×8, 2·MR f32x4 accumulators. Default 4. */
  mr?: number;
  /** Unrolling of the k loop (the tail runs one step at a time). Default 4. */
  unroll?: number;
  /** Import the memory as shared (threads proposal) so worker threads can run the same kernel on it. Default false. */
  shared?: boolean;
  /** Maximum memory in 64 KiB pages (required for shared memory). Default 16384 (1 GiB). */
  maxPages?: number;
}

/**
 * Bytes of a small WebAssembly SIMD module, emitted here because there is no WAT assembler at
 * build time. It imports its memory as `env.mem` and exports
 * `kernel(ap, bp, ct, mPanels, nPanels, kc, ldc, first)`: for every MR-row panel of packed A
 * (kc×MR, p-major) and 8-column panel of packed B (kc×8, p-major) it computes the MR×8 product
 * with 2·MR f32x4 accumulators (registers) and stores it (first ≠ 0) or adds it into the
 * row-major tile buffer ct (row stride ldc bytes). Byte offsets everywhere.
 */
export function wasmGemmModule(options: WasmGemmModuleOptions = {}): Uint8Array {
  const MRo = options.mr ?? 4,
    U = options.unroll ?? 4;
  const shared = options.shared ?? false,
    maxPages = options.maxPages ?? 16384;
  const { uleb, str, section, get, set, i32c, simd } = wasmEncoding;

  // Locals: params 0–7 (ap, bp, ct, mP, nP, kc, ldc, first); i32 8–14; v128 from 15.
  const [AP, BP, CT, MP, NP, KC, LDC, FIRST] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [IP, JP, P, A, B, C, KU] = [8, 9, 10, 11, 12, 13, 14];
  const ACC = 15,
    B0 = ACC + 2 * MRo,
    B1 = B0 + 1,
    AV = B1 + 1;
  const nV128 = 2 * MRo + 3;
  const ADD = 0x6a,
    SUB = 0x6b,
    MUL = 0x6c,
    DIV_U = 0x6e,
    LT_S = 0x48,
    EQZ = 0x45;
  const memarg = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];
  const v128load = (off: number) => [...simd(0x00), ...memarg(4, off)];
  const v128store = (off: number) => [...simd(0x0b), ...memarg(4, off)];
  // v128.load32_splat: one broadcast load (vbroadcastss) instead of f32.load + f32x4.splat.
  const loadSplat = (off: number) => [...simd(0x09), ...memarg(2, off)];
  const fadd = simd(0xe4),
    fmul = simd(0xe6);
  const zero = [...simd(0x0c), ...new Array<number>(16).fill(0)];
  // for (i = 0; i < limit; i++) { body }  as  block / loop / br_if exit / body / i++ / br loop
  const forLoop = (i: number, limit: number, body: number[]) => [
    ...i32c(0),
    ...set(i),
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(i),
    ...get(limit),
    LT_S,
    EQZ,
    0x0d,
    0x01,
    ...body,
    ...get(i),
    ...i32c(1),
    ADD,
    ...set(i),
    0x0c,
    0x00,
    0x0b,
    0x0b,
  ];

  // One k step at unroll slot u: constant offsets go in the memargs, so only a and b advance.
  const step = (u: number): number[] => {
    const s: number[] = [...get(B), ...v128load(u * 32), ...set(B0), ...get(B), ...v128load(u * 32 + 16), ...set(B1)];
    for (let r = 0; r < MRo; r++) {
      s.push(...get(A), ...loadSplat((u * MRo + r) * 4), ...set(AV));
      s.push(...get(ACC + 2 * r), ...get(AV), ...get(B0), ...fmul, ...fadd, ...set(ACC + 2 * r));
      s.push(...get(ACC + 2 * r + 1), ...get(AV), ...get(B1), ...fmul, ...fadd, ...set(ACC + 2 * r + 1));
    }
    return s;
  };
  const advance = (steps: number) => [...get(A), ...i32c(MRo * 4 * steps), ADD, ...set(A), ...get(B), ...i32c(32 * steps), ADD, ...set(B)];
  const unrolled: number[] = [];
  for (let u = 0; u < U; u++) unrolled.push(...step(u));
  unrolled.push(...advance(U));

  const tile: number[] = [
    // a = ap + ip·kc·MR·4; b = bp + jp·kc·32
    ...get(AP),
    ...get(IP),
    ...get(KC),
    MUL,
    ...i32c(MRo * 4),
    MUL,
    ADD,
    ...set(A),
    ...get(BP),
    ...get(JP),
    ...get(KC),
    MUL,
    ...i32c(32),
    MUL,
    ADD,
    ...set(B),
  ];
  for (let v = 0; v < 2 * MRo; v++) tile.push(...zero, ...set(ACC + v));
  tile.push(...forLoop(P, KU, unrolled));
  // Tail: kc − KU·U single steps (P reused as a down-counter limit via a local reset).
  tile.push(...get(KC), ...get(KU), ...i32c(U), MUL, SUB, ...set(P));
  tile.push(0x02, 0x40, 0x03, 0x40, ...get(P), EQZ, 0x0d, 0x01, ...step(0), ...advance(1), ...get(P), ...i32c(1), SUB, ...set(P), 0x0c, 0x00, 0x0b, 0x0b);
  // c = ct + ip·MR·ldc + jp·32; then per row: store (first) or add into ct, c += ldc
  tile.push(...get(CT), ...get(IP), ...i32c(MRo), MUL, ...get(LDC), MUL, ADD, ...get(JP), ...i32c(32), MUL, ADD, ...set(C));
  const storeRows: number[] = [],
    addRows: number[] = [];
  for (let r = 0; r < MRo; r++) {
    storeRows.push(...get(C), ...get(ACC + 2 * r), ...v128store(0), ...get(C), ...get(ACC + 2 * r + 1), ...v128store(16));
    addRows.push(...get(C), ...get(C), ...v128load(0), ...get(ACC + 2 * r), ...fadd, ...v128store(0));
    addRows.push(...get(C), ...get(C), ...v128load(16), ...get(ACC + 2 * r + 1), ...fadd, ...v128store(16));
    if (r < MRo - 1) for (const rows of [storeRows, addRows]) rows.push(...get(C), ...get(LDC), ADD, ...set(C));
  }
  tile.push(...get(FIRST), 0x04, 0x40, ...storeRows, 0x05, ...addRows, 0x0b);

  const code = [...get(KC), ...i32c(U), DIV_U, ...set(KU), ...forLoop(IP, MP, forLoop(JP, NP, tile)), 0x0b];
  const body = [...uleb(2), ...uleb(7), 0x7f, ...uleb(nV128), 0x7b, ...code];
  // Memory limits: shared memory must declare its maximum (flag 3); an unshared one only its minimum.
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
    ...section(1, [1, 0x60, 8, ...new Array<number>(8).fill(0x7f), 0]),
    ...section(2, [1, ...str('env'), ...str('mem'), 0x02, ...limits]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...str('kernel'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}
