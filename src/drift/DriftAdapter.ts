import type { Model } from '../learn/index.js';
import { AdaptiveModel } from './AdaptiveModel.js';
import type { DriftPolicy } from './DRIFT_POLICIES.js';
import type { DriftDetector } from './DriftDetector.js';
import { DriftMonitor } from './DriftMonitor.js';
import { type DriftReport, driftReport } from './DriftReport.js';

export interface DriftAdapterOptions {
  /** Decision threshold of a binary model (default 0.5). */
  threshold?: number;
  /** Each alarm, after the policy acted, with words for it (the error level, what the policy did). */
  onAlarm?: (signal: 'warning' | 'drift', row: number, message: string) => void;
}

/** Words for a drift: what the policy did there. */
const DONE: Record<DriftPolicy, string> = { alert: 'alert only', reset: 'model reset', swap: 'background model swapped in' };

/**
 * Error drift detection with adaptation, as the pipeline runs it: a DriftMonitor fed by the
 * engine's `onScored` hook (pass `observe`), an AdaptiveModel for the engine to train (`model`),
 * and between them the policy: each alarm goes to the model, and when the model starts over
 * (reset, swap) the detector restarts too, as the Adaptive Random Forest renews a tree's detector.
 */
export class DriftAdapter {
  readonly model: AdaptiveModel;
  readonly monitor: DriftMonitor;

  constructor(live: Model, detector: DriftDetector, policy: DriftPolicy, options: DriftAdapterOptions = {}) {
    const model = new AdaptiveModel(live, policy);
    const what = live.task === 'regression' ? 'mean absolute error' : 'error rate';
    const monitor: DriftMonitor = new DriftMonitor(detector, live.task, live.outputs, {
      ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
      onAlarm: (signal, row, e) => {
        const changed = model.alarm(signal);
        if (changed) monitor.restart();
        if (!options.onAlarm) return;
        const level = `${what} ${Number.isFinite(e) ? e.toFixed(4) : '-'}`;
        options.onAlarm(signal, row, signal === 'warning' ? `${level}${policy === 'swap' ? '; background model learning' : ''}` : `${level}; ${DONE[policy]}`);
      },
    });
    this.model = model;
    this.monitor = monitor;
  }

  /** The engine's onScored hook. */
  get observe(): DriftMonitor['observe'] {
    return this.monitor.observe;
  }

  report(): DriftReport {
    return driftReport(this.monitor, this.model.report());
  }
}
