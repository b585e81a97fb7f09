/** Exact powers of ten: a double times or divided by one of these is correctly rounded. */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Fast path of `parseNumber` straight from bytes [s, e): plain decimals with at most 15
 * significant digits and a power of ten within 1e±22, where one multiplication or division of
 * two exact doubles gives the correctly rounded result, the same double as `+string`.
 * Returns NaN for anything else (garbage, NaN/Infinity words, long mantissas): the caller then
 * decodes the string and lets `parseNumber` decide, so the two paths never disagree.
 */
export function parseNumberBytes(b: Uint8Array, s: number, e: number): number {
  let p = s;
  let neg = false;
  if (p < e) {
    const c0 = b[p]!;
    if (c0 === 45) {
      neg = true;
      p++;
    } else if (c0 === 43) p++;
  }
  let m = 0,
    digits = 0,
    frac = 0,
    dot = false;
  for (; p < e; p++) {
    const c = b[p]!;
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      m = m * 10 + d;
      digits++;
      if (dot) frac++;
    } else if (c === 46 && !dot) dot = true;
    else break;
  }
  if (digits === 0 || digits > 15) return NaN;
  let exp = 0;
  if (p < e) {
    const c = b[p]!;
    if (c !== 101 && c !== 69) return NaN;
    p++;
    let eneg = false;
    if (p < e && (b[p] === 45 || b[p] === 43)) {
      eneg = b[p] === 45;
      p++;
    }
    if (p >= e) return NaN;
    for (; p < e; p++) {
      const d = b[p]! - 48;
      if (d < 0 || d > 9 || exp > 1000) return NaN;
      exp = exp * 10 + d;
    }
    if (eneg) exp = -exp;
  }
  exp -= frac;
  let v: number;
  if (exp === 0) v = m;
  else if (exp > 0 && exp <= 22) v = m * POW10[exp]!;
  else if (exp < 0 && exp >= -22) v = m / POW10[-exp]!;
  else return NaN;
  return neg ? -v : v;
}
