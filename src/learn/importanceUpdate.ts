/** Loss codes of importanceUpdate (numbers, not strings: it runs once per learned row). */
export const SQUARED = 0,
  LOGISTIC = 1,
  HINGE = 2;

/**
 * W(e^x) − x, W the Lambert function, by one step of a fourth-order correction from a two-piece
 * initial guess (Vowpal Wabbit's approximation; absolute error below 9e-5, one exp or log).
 */
function wexpmx(x: number): number {
  const w = x >= 1 ? 0.86 * x + 0.01 : Math.exp(0.8 * x - 0.65);
  const r = x >= 1 ? x - Math.log(w) - w : 0.2 * x + 0.65 - w;
  const t = 1 + w,
    u = 2 * t * (t + (2 * r) / 3);
  return w * (1 + ((r / t) * (u - r)) / (u - 2 * r)) - x;
}

/** Logistic loss log(1 + e^(−l·p)), label l = ±1; d = e^(l·p). */
function logisticUpdate(p: number, l: number, d: number, scale: number, ppu: number): number {
  // Past e^709 the loss and its update are 0 in float64 (and W(e^∞) is not a number).
  if (d === Infinity) return 0;
  // Below 1e-6 the closed form cancels catastrophically; its first-order expansion is exact enough.
  if (scale * ppu < 1e-6) return (l * scale) / (1 + d);
  return -(l * wexpmx(scale * ppu + l * p + d) + p) / ppu;
}

/**
 * The importance-weight aware update (Karampatziakis & Langford 2011): the scalar u such that
 * moving the weights by u·(the per-coordinate direction) moves the prediction by u·ppu, where u
 * solves the gradient flow of the loss for a step of length `scale` (learning rate × importance
 * weight) along a direction of squared norm `ppu` (the prediction change per unit update). Unlike
 * the plain step −scale·ℓ'(p), it never overshoots the label, and k rows of weight 1 ≈ one row of
 * weight k. u > 0 raises the prediction.
 *   squared (ℓ = (p − y)²): u = (y − p)(1 − e^(−2·scale·ppu))/ppu
 *   logistic (label l = ±1): l·p ends at q = x − W(e^x), x = l·p + e^(l·p) + scale·ppu (Lambert W), so u = (l·q − p)/ppu
 *   hinge: u = l·min(scale, (1 − l·p)/ppu) when l·p < 1, else 0
 * A binary label y in (0, 1) is a soft label: the mixture y·u(+1) + (1 − y)·u(−1). `ep` is e^p
 * (logistic only: the caller has it from the prediction, saving an exp per row).
 */
export function importanceUpdate(loss: number, p: number, y: number, scale: number, ppu: number, ep: number): number {
  if (loss === SQUARED) {
    if (scale * ppu < 1e-6) return 2 * (y - p) * scale;
    return ((y - p) * (1 - Math.exp(-2 * scale * ppu))) / ppu;
  }
  if (loss === LOGISTIC) {
    if (y === 1) return logisticUpdate(p, 1, ep, scale, ppu);
    if (y === 0) return logisticUpdate(p, -1, 1 / ep, scale, ppu);
    return y * logisticUpdate(p, 1, ep, scale, ppu) + (1 - y) * logisticUpdate(p, -1, 1 / ep, scale, ppu);
  }
  const l = y >= 0.5 ? 1 : -1;
  if (l * p >= 1) return 0;
  const err = 1 - l * p;
  return l * (scale * ppu < err ? scale : err / ppu);
}
