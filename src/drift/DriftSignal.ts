/**
 * What a detector says after a row: `none` (in control), `warning` (the statistic is past its
 * warning level: a change may be starting) or `drift` (a change is detected at this row).
 */
export type DriftSignal = 'none' | 'warning' | 'drift';
