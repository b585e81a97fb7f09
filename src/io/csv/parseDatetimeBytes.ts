/**
 * Fast path of `parseDatetime` straight from bytes [s, e): `YYYY-MM-DD`, optionally followed by
 * `[T ]hh:mm[:ss[.fraction]]` and `Z` or `±hh[[:]mm]`, giving epoch ms (UTC when no offset).
 * Returns NaN when the bytes are anything else or out of range; the caller then decodes the
 * string and lets `parseDatetime` decide, so both paths agree. Years below 100 go to the slow
 * path too, because `Date.UTC` maps them onto 1900–1999 and we keep that behaviour identical.
 */
export function parseDatetimeBytes(b: Uint8Array, s: number, e: number): number {
  if (e - s < 10 || b[s + 4] !== 45 || b[s + 7] !== 45) return NaN;
  const y = d4(b, s);
  const mo = d2(b, s + 5);
  const d = d2(b, s + 8);
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > 31) return NaN;
  const days = dayNumber(y, mo, d);
  if (days === INVALID) return NaN;
  let p = s + 10;
  let h = 0,
    mi = 0,
    se = 0,
    ms = 0,
    off = 0;
  if (p < e) {
    const sep = b[p]!;
    if ((sep !== 84 && sep !== 32) || e - p < 6 || b[p + 3] !== 58) return NaN;
    h = d2(b, p + 1);
    mi = d2(b, p + 4);
    p += 6;
    if (p < e && b[p] === 58) {
      if (e - p < 3) return NaN;
      se = d2(b, p + 1);
      p += 3;
      if (p < e && (b[p] === 46 || b[p] === 44)) {
        p++;
        let n = 0,
          scale = 100;
        for (; p < e; p++, n++) {
          const x = b[p]! - 48;
          if (x < 0 || x > 9) break;
          if (n < 3) {
            ms += x * scale;
            scale /= 10;
          }
        }
        if (n < 1 || n > 9) return NaN;
      }
    }
    if (p < e) {
      const z = b[p]!;
      if (z === 90) p++;
      else if (z === 43 || z === 45) {
        if (e - p < 3) return NaN;
        const oh = d2(b, p + 1);
        let om = 0;
        p += 3;
        if (p < e) {
          if (b[p] === 58) p++;
          if (e - p !== 2) return NaN;
          om = d2(b, p);
          p += 2;
        }
        if (oh < 0 || om < 0) return NaN;
        off = (z === 45 ? -1 : 1) * (oh * 60 + om);
      } else return NaN;
    }
    if (p !== e || h < 0 || mi < 0 || se < 0 || h > 24 || mi > 59 || se > 60) return NaN;
  }
  return days * 86_400_000 + h * 3_600_000 + mi * 60_000 + se * 1000 + ms - off * 60_000;
}

const INVALID = -Infinity;
/** Day numbers of 1900-01-01 … 2155-12-31, filled on first use (NaN = not yet): dates repeat a lot in data. */
const FIRST_YEAR = 1900,
  YEARS = 256;
const DAYS = new Float64Array(YEARS * 12 * 31).fill(NaN);

/** Days since 1970-01-01, or INVALID for a day past the end of its month (2023-02-30). */
function dayNumber(y: number, mo: number, d: number): number {
  if (y < FIRST_YEAR || y >= FIRST_YEAR + YEARS) return d > monthDays(y, mo) ? INVALID : daysFromCivil(y, mo, d);
  const i = ((y - FIRST_YEAR) * 12 + mo - 1) * 31 + d - 1;
  let v = DAYS[i]!;
  if (v !== v) DAYS[i] = v = d > monthDays(y, mo) ? INVALID : daysFromCivil(y, mo, d);
  return v;
}

/** Two ASCII digits at p, or -1. */
function d2(b: Uint8Array, p: number): number {
  const a = b[p]! - 48,
    c = b[p + 1]! - 48;
  return a >= 0 && a <= 9 && c >= 0 && c <= 9 ? a * 10 + c : -1;
}

function d4(b: Uint8Array, p: number): number {
  const hi = d2(b, p),
    lo = d2(b, p + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

function monthDays(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
