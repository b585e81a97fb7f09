/**
 * Test helper: asserts |got − want| ≤ atol + rtol·|want| elementwise (NaN must match NaN) and
 * names the first offending index with both values.
 */
export function closeTo(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number, what: string): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, expected ${want.length}`);
  let worst = -1,
    worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!,
      w = want[i]!;
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) throw new Error(`${what}: [${i}] got ${g}, expected ${w}`);
      continue;
    }
    if (g === w) continue;
    const excess = Math.abs(g - w) - (atol + rtol * Math.abs(w));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) throw new Error(`${what}: [${worst}] got ${got[worst]}, expected ${want[worst]} (atol ${atol}, rtol ${rtol})`);
}
