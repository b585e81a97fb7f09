import type { ConfusionMatrix } from './ConfusionMatrix.js';

/** How per-class scores combine: see `averageScore`. */
export type Average = 'binary' | 'macro' | 'micro' | 'weighted';

/**
 * Precision, recall or F1 from a confusion matrix, averaged like sklearn's
 * precision_recall_fscore_support:
 * - `binary`: the score of class `positive` alone (one-vs-rest when there are more classes);
 *   NaN while it is 0/0 (no row predicted positive for precision, no positive row for recall,
 *   neither for F1);
 * - `macro`: unweighted mean over the classes seen as a true or predicted label;
 * - `weighted`: mean over classes weighted by their support (true-label weight);
 * - `micro`: from summed counts, which for single-label data equals accuracy for all three.
 * Inside macro and weighted a per-class 0/0 counts as 0 (sklearn's zero_division default);
 * all averages are NaN before any row.
 */
export function averageScore(cm: ConfusionMatrix, score: 'precision' | 'recall' | 'f1', average: Average, positive: number): number {
  if (!(cm.total > 0)) return NaN;
  if (average === 'micro') return cm.correct() / cm.total;
  if (average === 'binary') return classScore(cm, score, positive);
  let sum = 0,
    norm = 0;
  for (const c of cm.presentClasses()) {
    const s = classScore(cm, score, c);
    const w = average === 'macro' ? 1 : cm.actual(c);
    if (w > 0) {
      sum += w * (Number.isNaN(s) ? 0 : s);
      norm += w;
    }
  }
  return norm > 0 ? sum / norm : NaN;
}

function classScore(cm: ConfusionMatrix, score: 'precision' | 'recall' | 'f1', c: number): number {
  const tp = cm.get(c, c);
  const den = score === 'precision' ? cm.predicted(c) : score === 'recall' ? cm.actual(c) : (cm.actual(c) + cm.predicted(c)) / 2;
  return den > 0 ? tp / den : NaN;
}
