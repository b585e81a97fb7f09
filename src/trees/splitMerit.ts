/** Split criteria: 0 information gain (entropy in bits), 1 Gini gain. */
export type SplitCriterion = 0 | 1;

/**
 * MOA's InfoGainSplitCriterion minBranchFrac (0.01): a split whose second-heaviest branch holds
 * less than 1% of the weight has merit −∞, so a threshold at a feature's edge cannot win.
 */
const MIN_BRANCH_FRAC = 0.01;

/**
 * The merit of a binary split of the class distribution `left[0..k) + right[0..k)`: information
 * gain (Quinlan 1986; MOA's InfoGainSplitCriterion, with its minimum branch fraction) or Gini gain
 * (Breiman et al. 1984; MOA's GiniSplitCriterion, as a gain: the parent's impurity minus the
 * weighted impurity of the branches, which ranks splits the same way and puts "no split" at 0).
 * Its range for the Hoeffding bound is log2(k) for information gain, 1 for Gini.
 */
export function splitMerit(criterion: SplitCriterion, left: Float64Array, right: Float64Array, k: number): number {
  let wl = 0,
    wr = 0;
  for (let c = 0; c < k; c++) {
    wl += left[c]!;
    wr += right[c]!;
  }
  const n = wl + wr;
  if (n <= 0) return 0;
  if (criterion === 0) {
    if (wl < MIN_BRANCH_FRAC * n || wr < MIN_BRANCH_FRAC * n) return -Infinity;
    let hp = 0,
      hl = 0,
      hr = 0;
    for (let c = 0; c < k; c++) {
      const l = left[c]!,
        r = right[c]!,
        p = l + r;
      if (p > 0) hp -= p * Math.log2(p);
      if (l > 0) hl -= l * Math.log2(l);
      if (r > 0) hr -= r * Math.log2(r);
    }
    // H(S) = log2 n − Σ p_c log2 p_c / n, so n·H for each part, then the weighted difference.
    const parent = hp / n + Math.log2(n);
    const children = (wl > 0 ? hl + wl * Math.log2(wl) : 0) + (wr > 0 ? hr + wr * Math.log2(wr) : 0);
    return parent - children / n;
  }
  let sp = 0,
    sl = 0,
    sr = 0;
  for (let c = 0; c < k; c++) {
    const l = left[c]!,
      r = right[c]!,
      p = l + r;
    sp += p * p;
    sl += l * l;
    sr += r * r;
  }
  // gini(S) = 1 − Σ p_c²/n²; gain = gini(parent) − Σ_b (n_b/n) gini(b) = (Σ_b Σ_c b_c²/n_b − Σ_c p_c²/n)/n.
  return ((wl > 0 ? sl / wl : 0) + (wr > 0 ? sr / wr : 0) - sp / n) / n;
}
