import type { ModelView } from './DashboardStore.js';
import { lowerIsBetter } from './lowerIsBetter.js';

/**
 * The best of several models by `metric` (its rolling value when there is one: the current
 * quality, not the average since the start). `null` with fewer than two models or no values.
 */
export function bestModel(models: readonly ModelView[], metric: string | null): string | null {
  if (models.length < 2 || metric === null) return null;
  const lower = lowerIsBetter(metric);
  let best: string | null = null,
    bestV = NaN;
  for (const m of models) {
    const v = m.rolling[metric] ?? m.values[metric];
    if (v === undefined || Number.isNaN(v)) continue;
    if (best === null || (lower ? v < bestV : v > bestV)) {
      best = m.model;
      bestV = v;
    }
  }
  return best;
}
