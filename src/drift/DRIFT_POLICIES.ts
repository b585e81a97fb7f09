/**
 * What a pipeline does when its drift detector fires: `alert` only reports it; `reset` restarts
 * the model; `swap` replaces it by a background model that started learning at the warning.
 */
export const DRIFT_POLICIES = ['alert', 'reset', 'swap'] as const;

export type DriftPolicy = (typeof DRIFT_POLICIES)[number];
