import type { Column } from './Column.js';

/** Helpers for Arrow-layout validity bitmaps (LSB first, 1 = present). */
export const validity = {
  /** A bitmap of `n` rows, all present (fill=1) or all missing (fill=0). */
  allocate(n: number, fill: 0 | 1 = 1): Uint8Array {
    const bytes = new Uint8Array((n + 7) >> 3);
    if (fill) bytes.fill(0xff);
    return bytes;
  },
  get(bitmap: Uint8Array | null, i: number): boolean {
    return bitmap === null || ((bitmap[i >> 3]! >> (i & 7)) & 1) === 1;
  },
  set(bitmap: Uint8Array, i: number, present: boolean): void {
    if (present) bitmap[i >> 3]! |= 1 << (i & 7);
    else bitmap[i >> 3]! &= ~(1 << (i & 7));
  },
  /** Number of missing values among the first `n` rows. */
  nullCount(bitmap: Uint8Array | null, n: number): number {
    if (bitmap === null) return 0;
    let present = 0;
    for (let i = 0; i < n; i++) present += (bitmap[i >> 3]! >> (i & 7)) & 1;
    return n - present;
  },
  /** Whether row `i` of `column` holds a value. */
  isValid(column: Column, i: number): boolean {
    const b = column.validity;
    return b === null || ((b[i >> 3]! >> (i & 7)) & 1) === 1;
  },
  /** Copy rows [start, end) of a bitmap into a new one starting at bit 0 (null stays null). */
  slice(bitmap: Uint8Array | null, start: number, end: number): Uint8Array | null {
    if (bitmap === null) return null;
    const out = new Uint8Array((end - start + 7) >> 3);
    for (let i = start; i < end; i++) if ((bitmap[i >> 3]! >> (i & 7)) & 1) out[(i - start) >> 3]! |= 1 << ((i - start) & 7);
    return out;
  },
};
