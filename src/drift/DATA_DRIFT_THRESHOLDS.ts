/**
 * Where a column's shift becomes `moderate` and `major`, per measure (docs/drift.md, "Data drift").
 *
 * - PSI: the credit-scoring rule of thumb (Siddiqi 2006): < 0.1 none, 0.1–0.25 moderate, ≥ 0.25 major.
 * - KS: moderate once the statistic, less the sketches' error, passes the two-sample critical value
 *   at α = 0.05 for the two sample sizes; major from D = 0.2, the KS of a normal shifted by half a
 *   standard deviation (2Φ(0.25) − 1 ≈ 0.197), whose PSI is ≈ 0.25: both measures call it major.
 * - JS (bits): PSI's thresholds carried over. For small shifts PSI ≈ Σ (a − e)² / m and
 *   JS ≈ Σ (a − e)² / (8 m ln 2) (both second-order expansions, m the mean share), so
 *   JS ≈ PSI / (8 ln 2): PSI 0.1 ↔ JS 0.018, PSI 0.25 ↔ JS 0.045. Categorical and numeric
 *   columns then read on one scale.
 *
 * PSI and JS also need Pearson's chi-square test at `alpha` (homogeneityTest): small samples
 * give large values by chance.
 */
export const DATA_DRIFT_THRESHOLDS = {
  psi: { moderate: 0.1, major: 0.25 },
  ks: { major: 0.2 },
  js: { moderate: 0.1 / (8 * Math.LN2), major: 0.25 / (8 * Math.LN2) },
  /** Significance level of the KS critical value and of the chi-square test. */
  alpha: 0.05,
} as const;
