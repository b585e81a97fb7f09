import type { StringDictionary } from '../../core/index.js';

/** Past this many distinct byte strings the cache stops growing (codes still come from the dictionary). */
const MAX_ENTRIES = 1 << 20;
/** Past this many short values the short table stops growing (misses then take `code`). */
const MAX_SHORT = 1 << 16;
/** `short` result for a value not in the short table. */
const SHORT_MISS = -3;

function mix(key: number): number {
  const h = Math.imul(key, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/**
 * Maps the raw bytes of a field to its dictionary code without decoding a string for values
 * already seen: an open-addressing table keyed by an FNV-1a hash, holding a copy of each key's
 * bytes for an exact compare. Category columns of a few hundred values then cost a hash and a
 * short compare per field instead of a UTF-8 decode and a Map lookup.
 */
export class ByteStringCache {
  private mask: number;
  private hashes: Int32Array;
  private codes: Int32Array;
  private offsets: Int32Array;
  private lengths: Int32Array;
  private arena: Uint8Array;
  private used = 0;
  private count = 0;
  // Values of 1–3 bytes, packed with their length into one int (see `packShort`): one int compare per lookup.
  private smask = 1023;
  private skeys = new Int32Array(1024);
  private scodes = new Int32Array(1024);
  private scount = 0;

  constructor(
    readonly dictionary: StringDictionary,
    private readonly decode: (b: Uint8Array, s: number, e: number) => string,
    slots = 1024,
  ) {
    this.mask = slots - 1;
    this.hashes = new Int32Array(slots);
    this.codes = new Int32Array(slots).fill(-1);
    this.offsets = new Int32Array(slots);
    this.lengths = new Int32Array(slots);
    this.arena = new Uint8Array(16 * slots);
  }

  code(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let p = s; p < e; p++) h = Math.imul(h ^ b[p]!, 16777619);
    return this.codeHashed(b, s, e, h);
  }

  /**
   * The code cached for a packed short value of 1–3 bytes (`len << 24 | bytes`, big-endian), -3 when not cached yet, or whatever sentinel the
   * caller stored (the CSV parser stores NULL_SHORT for null tokens).
   */
  short(key: number): number {
    const keys = this.skeys,
      mask = this.smask;
    let i = mix(key) & mask;
    for (;;) {
      const k = keys[i]!;
      if (k === key) return this.scodes[i]!;
      if (k === 0) return SHORT_MISS;
      i = (i + 1) & mask;
    }
  }

  /** Caches `code` (or a negative sentinel) for a packed short value. */
  setShort(key: number, code: number): void {
    if (this.scount >= MAX_SHORT) return;
    let i = mix(key) & this.smask;
    while (this.skeys[i] !== 0) {
      if (this.skeys[i] === key) {
        this.scodes[i] = code;
        return;
      }
      i = (i + 1) & this.smask;
    }
    this.skeys[i] = key;
    this.scodes[i] = code;
    if (++this.scount * 2 > this.smask + 1) {
      const { skeys, scodes } = this;
      this.smask = this.smask * 2 + 1;
      this.skeys = new Int32Array(this.smask + 1);
      this.scodes = new Int32Array(this.smask + 1);
      this.scount = 0;
      for (let j = 0; j < skeys.length; j++) if (skeys[j] !== 0) this.setShort(skeys[j]!, scodes[j]!);
    }
  }

  /** `code` with the FNV-1a hash of the bytes already computed (by a scanner that read them). */
  codeHashed(b: Uint8Array, s: number, e: number, h: number): number {
    const len = e - s;
    let i = h & this.mask;
    for (;;) {
      const c = this.codes[i]!;
      if (c < 0) break;
      if (this.hashes[i] === h && this.lengths[i] === len) {
        const o = this.offsets[i]!;
        let k = 0;
        while (k < len && this.arena[o + k] === b[s + k]) k++;
        if (k === len) return c;
      }
      i = (i + 1) & this.mask;
    }
    const code = this.dictionary.code(this.decode(b, s, e));
    if (this.count < MAX_ENTRIES) this.insert(i, h, b, s, len, code);
    return code;
  }

  private insert(i: number, h: number, b: Uint8Array, s: number, len: number, code: number): void {
    if (this.used + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.used + len));
      next.set(this.arena.subarray(0, this.used));
      this.arena = next;
    }
    this.arena.set(b.subarray(s, s + len), this.used);
    this.hashes[i] = h;
    this.codes[i] = code;
    this.offsets[i] = this.used;
    this.lengths[i] = len;
    this.used += len;
    // Keep the load under one half so probe chains stay short.
    if (++this.count * 2 > this.mask + 1) this.rehash();
  }

  private rehash(): void {
    const slots = (this.mask + 1) * 2;
    const { hashes, codes, offsets, lengths } = this;
    this.mask = slots - 1;
    this.hashes = new Int32Array(slots);
    this.codes = new Int32Array(slots).fill(-1);
    this.offsets = new Int32Array(slots);
    this.lengths = new Int32Array(slots);
    for (let j = 0; j < codes.length; j++) {
      if (codes[j]! < 0) continue;
      let i = hashes[j]! & this.mask;
      while (this.codes[i]! >= 0) i = (i + 1) & this.mask;
      this.hashes[i] = hashes[j]!;
      this.codes[i] = codes[j]!;
      this.offsets[i] = offsets[j]!;
      this.lengths[i] = lengths[j]!;
    }
  }
}
