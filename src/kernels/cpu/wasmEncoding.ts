/**
 * The byte encodings the emitted WebAssembly modules share (wasmGemmModule, wasmPackModule,
 * wasmScaleModule): LEB128 integers, names, sections, and the few instructions every one of
 * them writes.
 */
export const wasmEncoding = Object.freeze({
  /** Unsigned LEB128. */
  uleb(n: number): number[] {
    const o: number[] = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n) b |= 0x80;
      o.push(b);
    } while (n);
    return o;
  },
  /** Signed LEB128. */
  sleb(n: number): number[] {
    const o: number[] = [];
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
        o.push(b);
        return o;
      }
      o.push(b | 0x80);
    }
  },
  /** A length-prefixed UTF-8 name. */
  str(s: string): number[] {
    return [...wasmEncoding.uleb(s.length), ...Buffer.from(s, 'utf8')];
  },
  section(id: number, body: number[]): number[] {
    return [id, ...wasmEncoding.uleb(body.length), ...body];
  },
  /** local.get / local.set. */
  get(i: number): number[] {
    return [0x20, ...wasmEncoding.uleb(i)];
  },
  set(i: number): number[] {
    return [0x21, ...wasmEncoding.uleb(i)];
  },
  /** i32.const. */
  i32c(v: number): number[] {
    return [0x41, ...wasmEncoding.sleb(v)];
  },
  /** A SIMD (0xfd-prefixed) opcode. */
  simd(op: number): number[] {
    return [0xfd, ...wasmEncoding.uleb(op)];
  },
});
