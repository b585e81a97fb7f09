/**
 * The candidate a mistyped name most likely meant, or undefined: an alias, then a match ignoring
 * case and punctuation (`roc_auc` → `rocAuc`), then a prefix either way (`acc` → `accuracy`,
 * `r2Score` → `r2`), then the closest by edit distance when it is within a third of the length
 * (short names tolerate one typo; beyond that a guess misleads more than it helps).
 */
export function suggest(input: string, candidates: readonly string[], aliases: Readonly<Record<string, string>> = {}): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const x = norm(input);
  if (x === '') return undefined;
  if (Object.hasOwn(aliases, x)) return aliases[x];
  const exact = candidates.find((c) => norm(c) === x);
  if (exact) return exact;
  if (x.length >= 2) {
    const longer = candidates.find((c) => norm(c).startsWith(x));
    if (longer) return longer;
    let best: string | undefined;
    for (const c of candidates) if (x.startsWith(norm(c)) && norm(c).length >= 2 && (!best || c.length > best.length)) best = c;
    if (best) return best;
  }
  let best: string | undefined,
    bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(x, norm(c));
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(norm(best).length / 3)) ? best : undefined;
}

/** Levenshtein distance (insert, delete, substitute), two-row dynamic programme. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
