/**
 * Character n-grams of each word of `s` padded with one space on each side (scikit-learn's
 * `char_wb`), for every n in [min, max], so n-grams never span two words.
 * Counts UTF-16 code units; astral characters may split.
 */
export function charNgrams(s: string, min = 3, max = min): string[] {
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max >= min))
    throw new RangeError(`charNgrams: need integers 1 <= min <= max, got ${min}, ${max}`);
  const out: string[] = [];
  for (const w of s.split(/\s+/)) {
    if (!w) continue;
    const p = ` ${w} `;
    for (let n = min; n <= max; n++) {
      if (n > p.length) break;
      for (let i = 0; i + n <= p.length; i++) out.push(p.slice(i, i + n));
    }
  }
  return out;
}
