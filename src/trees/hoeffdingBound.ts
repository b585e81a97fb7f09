/**
 * The Hoeffding bound (Hoeffding 1963, as used by VFDT, Domingos & Hulten 2000): with probability
 * 1 − δ the true mean of a variable with range R lies within ε = sqrt(R² ln(1/δ) / (2n)) of the
 * mean of n observations. A leaf splits once the best merit beats the second best by more than ε.
 */
export function hoeffdingBound(range: number, delta: number, n: number): number {
  return Math.sqrt((range * range * Math.log(1 / delta)) / (2 * n));
}
