const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number> = {
  NaN: NaN,
  nan: NaN,
  Infinity: Infinity,
  '+Infinity': Infinity,
  '-Infinity': -Infinity,
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
};

/**
 * Strict decimal parse: `undefined` when `s` is not a number. Unlike `Number()`, rejects '',
 * whitespace, hex and '1_0'. NaN and ±Infinity parse as such: whether they count as missing or as
 * bad input is a transform's explicit choice, not the reader's.
 */
export function parseNumber(s: string): number | undefined {
  if (NUMBER.test(s)) return +s;
  return s in SPECIAL ? SPECIAL[s] : undefined;
}
