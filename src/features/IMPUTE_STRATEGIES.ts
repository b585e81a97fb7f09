/**
 * How Impute fills a missing value: the running mean or median of the training rows (numeric
 * columns), the most frequent value, a constant, or the last value seen before it.
 */
export const IMPUTE_STRATEGIES = ['mean', 'median', 'mode', 'constant', 'previous'] as const;

export type ImputeStrategy = (typeof IMPUTE_STRATEGIES)[number];
