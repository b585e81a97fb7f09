import { SpecError } from '../core/index.js';
import type { Task } from '../learn/index.js';
import type { DriftDetector } from './DriftDetector.js';

/**
 * A detector's alarm: a warning (once per run of warning rows) or a drift, at a stream row
 * (0-based), with the detector's estimate of the error just before that row (NaN before any).
 */
export type DriftAlarmListener = (signal: 'warning' | 'drift', row: number, level: number) => void;

export interface DriftMonitorOptions {
  /** Decision threshold of a binary model (default 0.5). */
  threshold?: number;
  /** Called at each alarm, synchronously, before the engine learns the next rows. */
  onAlarm?: DriftAlarmListener;
}

/** Detectors that take only 0/1 errors or rates in [0, 1]: a regression's absolute error does not fit them. */
const ERROR_RATE_ONLY = new Set(['ddm', 'eddm', 'hddmA', 'hddmW']);

/** Drift rows kept for the report (a flapping detector could otherwise grow it without bound). */
const MAX_ROWS = 100;

/**
 * Error drift of a model: feeds a detector the outcome of each labeled row as the test-then-train
 * engine scored it (its `onScored` hook, `observe`): the 0/1 error for classification (binary: P(y=1)
 * against the threshold; multiclass: the arg max), the absolute error for regression. Unlabeled
 * rows (NaN targets) are skipped. Calls `onAlarm` when the detector enters its warning zone (once
 * per run of warning rows) and at every drift, with the row's stream position. Only rises of the
 * error are alarms: a change where a windowed two-sided detector (ADWIN, KSWIN) kept a window of
 * lower mean than the rows it dropped (the model improved) is counted as a fall. Call `restart` when the model starts over.
 */
export class DriftMonitor {
  private readonly threshold: number;
  private readonly onAlarm: DriftAlarmListener | null;
  private inWarning = false;
  private nWarnings = 0;
  private nDrifts = 0;
  private nFalls = 0;
  /** A detector that keeps a window (ADWIN, KSWIN): its width, read before and after each row to tell a fall from a rise. */
  private readonly windowed: { readonly width: number } | null;
  private readonly rows: number[] = [];

  constructor(
    readonly detector: DriftDetector,
    readonly task: Task,
    readonly outputs: number,
    options: DriftMonitorOptions = {},
  ) {
    if (task === 'regression' && ERROR_RATE_ONLY.has(detector.kind))
      throw new SpecError(
        'drift.detector',
        `${detector.kind} reads 0/1 errors or rates in [0, 1], but a regression model's error is an absolute error; use adwin, pageHinkley or kswin`,
      );
    this.windowed = typeof (detector as { width?: unknown }).width === 'number' ? (detector as unknown as { width: number }) : null;
    this.threshold = options.threshold ?? 0.5;
    this.onAlarm = options.onAlarm ?? null;
  }

  /** Warnings so far (entries into the warning zone). */
  get warnings(): number {
    return this.nWarnings;
  }

  /** Drifts so far. */
  get drifts(): number {
    return this.nDrifts;
  }

  /** Changes the detector saw where the error fell (two-sided detectors): not alarms. */
  get falls(): number {
    return this.nFalls;
  }

  /** Fresh detector statistics, for a model that starts over (after a reset or a swap); the counts stay. */
  restart(): void {
    this.detector.reset();
    this.inWarning = false;
  }

  /** Stream rows of the first 100 drifts. */
  get driftRows(): readonly number[] {
    return this.rows;
  }

  /** Rows [first, first + targets.length) as scored: targets (NaN unlabeled) and row-major predictions. An arrow, to pass as the hook. */
  readonly observe = (first: number, targets: Float32Array, predictions: Float32Array): void => {
    const w = this.outputs;
    for (let i = 0; i < targets.length; i++) {
      const y = targets[i]!;
      if (!(y - y === 0)) continue;
      let e: number;
      if (this.task === 'regression') e = Math.abs(y - predictions[i]!);
      else if (w === 1) e = (predictions[i]! >= this.threshold ? 1 : 0) === y ? 0 : 1;
      else {
        let best = 0;
        for (let j = 1; j < w; j++) if (predictions[i * w + j]! > predictions[i * w + best]!) best = j;
        e = best === y ? 0 : 1;
      }
      const win = this.windowed;
      const level = this.detector.estimate;
      // Window sum before the row (NaN estimate of an empty window: no fall can be told).
      const sum0 = win ? level * win.width : 0,
        n0 = win ? win.width : 0;
      const s = this.detector.update(e);
      if (s === 'none') this.inWarning = false;
      else if (s === 'warning') {
        if (!this.inWarning) {
          this.inWarning = true;
          this.nWarnings++;
          this.onAlarm?.('warning', first + i, level);
        }
      } else {
        this.inWarning = false;
        // A two-sided windowed detector (ADWIN, KSWIN) also finds falls of the error: the model
        // got better (it learned), which is no drift to adapt to. Told by the mean of the window it
        // kept against the mean of the rows it dropped.
        if (win && n0 > 0) {
          const n1 = win.width,
            sum1 = this.detector.estimate * n1;
          if (n0 + 1 > n1 && sum1 / n1 < (sum0 + e - sum1) / (n0 + 1 - n1)) {
            this.nFalls++;
            continue;
          }
        }
        this.nDrifts++;
        if (this.rows.length < MAX_ROWS) this.rows.push(first + i);
        this.onAlarm?.('drift', first + i, level);
      }
    }
  };
}
