/**
 * Bytes of a small WebAssembly SIMD module, emitted here because there is no WAT assembler at
 * build time. It exports `mem` and `kernel(ap, bp, ct, mPanels, nPanels, kc)`: for every 4-row
 * panel of packed A (kc×4, p-major) and 8-column panel of packed B (kc×8, p-major) it computes
 * the 4×8 product with eight f32x4 accumulators (registers) and adds it into the row-major
 * tile buffer ct (row stride nPanels·8 floats). Byte offsets everywhere.
 */
export function wasmGemmModule(): Uint8Array {
  const uleb = (n: number): number[] => { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
  const sleb = (n: number): number[] => {
    const o: number[] = [];
    for (;;) { const b = n & 0x7f; n >>= 7; if ((n === 0 && !(b & 0x40)) || (n === -1 && (b & 0x40))) { o.push(b); return o; } o.push(b | 0x80); }
  };
  const str = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'utf8')];
  const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

  // Locals: params 0–5 (ap, bp, ct, mP, nP, kc); i32 6–12; v128 13–23.
  const [AP, BP, CT, MP, NP, KC] = [0, 1, 2, 3, 4, 5];
  const [IP, JP, P, A, B, C, LDC] = [6, 7, 8, 9, 10, 11, 12];
  const ACC = 13, B0 = 21, B1 = 22, AV = 23;
  const get = (i: number) => [0x20, ...uleb(i)];
  const set = (i: number) => [0x21, ...uleb(i)];
  const i32c = (v: number) => [0x41, ...sleb(v)];
  const ADD = 0x6a, MUL = 0x6c, LT_S = 0x48, EQZ = 0x45;
  const simd = (op: number) => [0xfd, ...uleb(op)];
  const memarg = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];
  const v128load = (off: number) => [...simd(0x00), ...memarg(4, off)];
  const v128store = (off: number) => [...simd(0x0b), ...memarg(4, off)];
  const f32load = (off: number) => [0x2a, ...memarg(2, off)];
  const splat = simd(0x13), fadd = simd(0xe4), fmul = simd(0xe6);
  const zero = [...simd(0x0c), ...new Array<number>(16).fill(0)];
  // for (i = 0; i < limit; i++) { body }  as  block / loop / br_if exit / body / i++ / br loop
  const forLoop = (i: number, limit: number, body: number[]) => [
    ...i32c(0), ...set(i),
    0x02, 0x40, 0x03, 0x40,
    ...get(i), ...get(limit), LT_S, EQZ, 0x0d, 0x01,
    ...body,
    ...get(i), ...i32c(1), ADD, ...set(i),
    0x0c, 0x00, 0x0b, 0x0b,
  ];

  const inner: number[] = [...get(B), ...v128load(0), ...set(B0), ...get(B), ...v128load(16), ...set(B1)];
  for (let r = 0; r < 4; r++) {
    inner.push(...get(A), ...f32load(r * 4), ...splat, ...set(AV));
    inner.push(...get(ACC + 2 * r), ...get(AV), ...get(B0), ...fmul, ...fadd, ...set(ACC + 2 * r));
    inner.push(...get(ACC + 2 * r + 1), ...get(AV), ...get(B1), ...fmul, ...fadd, ...set(ACC + 2 * r + 1));
  }
  inner.push(...get(A), ...i32c(16), ADD, ...set(A), ...get(B), ...i32c(32), ADD, ...set(B));

  const tile: number[] = [
    // a = ap + ip·kc·16; b = bp + jp·kc·32
    ...get(AP), ...get(IP), ...get(KC), MUL, ...i32c(16), MUL, ADD, ...set(A),
    ...get(BP), ...get(JP), ...get(KC), MUL, ...i32c(32), MUL, ADD, ...set(B),
  ];
  for (let v = 0; v < 8; v++) tile.push(...zero, ...set(ACC + v));
  tile.push(...forLoop(P, KC, inner));
  // c = ct + ip·4·ldc + jp·32; then per row: ct[row] += acc, c += ldc
  tile.push(...get(CT), ...get(IP), ...i32c(4), MUL, ...get(LDC), MUL, ADD, ...get(JP), ...i32c(32), MUL, ADD, ...set(C));
  for (let r = 0; r < 4; r++) {
    tile.push(...get(C), ...get(C), ...v128load(0), ...get(ACC + 2 * r), ...fadd, ...v128store(0));
    tile.push(...get(C), ...get(C), ...v128load(16), ...get(ACC + 2 * r + 1), ...fadd, ...v128store(16));
    tile.push(...get(C), ...get(LDC), ADD, ...set(C));
  }

  const code = [
    ...get(NP), ...i32c(32), MUL, ...set(LDC),
    ...forLoop(IP, MP, forLoop(JP, NP, tile)),
    0x0b,
  ];
  const body = [...uleb(2), ...uleb(7), 0x7f, ...uleb(11), 0x7b, ...code];

  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 6, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...uleb(1)]),
    ...section(7, [2, ...str('kernel'), 0x00, 0, ...str('mem'), 0x02, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}
