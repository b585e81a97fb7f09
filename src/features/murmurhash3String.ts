import { murmurhash3 } from './murmurhash3.js';

let scratch = new Uint8Array(256);
const encoder = new TextEncoder();

/**
 * MurmurHash3 x86_32 of the UTF-8 bytes of `s`. ASCII strings are copied byte by byte into a
 * reused buffer (no allocation); others go through TextEncoder.
 */
export function murmurhash3String(s: string, seed = 0): number {
  const n = s.length;
  // UTF-8 needs at most 3 bytes per UTF-16 unit.
  if (scratch.length < n * 3) scratch = new Uint8Array(Math.max(n * 3, scratch.length * 2));
  let ascii = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) {
      ascii = false;
      break;
    }
    scratch[i] = c;
  }
  if (ascii) return murmurhash3(scratch, seed, 0, n);
  const { written } = encoder.encodeInto(s, scratch);
  return murmurhash3(scratch, seed, 0, written);
}
