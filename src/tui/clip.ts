/** `s` cut to `n` characters, with an ellipsis when cut. */
export function clip(s: string, n: number): string {
  return s.length <= n ? s : n <= 1 ? s.slice(0, Math.max(0, n)) : `${s.slice(0, n - 1)}…`;
}
