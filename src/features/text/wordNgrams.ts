/** Word n-grams of `tokens` for every n in [min, max], joined by single spaces, shortest first per position. */
export function wordNgrams(tokens: readonly string[], min = 1, max = min): string[] {
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max >= min))
    throw new RangeError(`wordNgrams: need integers 1 <= min <= max, got ${min}, ${max}`);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let g = '';
    for (let n = 1; n <= max && i + n <= tokens.length; n++) {
      g = n === 1 ? tokens[i]! : `${g} ${tokens[i + n - 1]!}`;
      if (n >= min) out.push(g);
    }
  }
  return out;
}
