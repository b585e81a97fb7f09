import { SluiceError } from '../core/index.js';
import { checkBatch } from './checkBatch.js';

/** Σ yTrue, Σ yPred and Σ yTrue·yPred of a batch of 0/1 labels. */
export interface BinarySums {
  st: number;
  sp: number;
  stp: number;
}

export interface ConfusionMatrixState {
  classes: number;
  /** Row-major classes×classes weighted counts: row = true class, column = predicted class. */
  counts: number[];
  /** Rows counted (unweighted). */
  rows: number;
}

/**
 * Weighted confusion matrix whose class count grows with the largest label seen. Accuracy,
 * balanced accuracy, precision/recall/F1 and kappa derive from it, so one update serves them all.
 * Labels are class indices: non-negative integers below MAX_CLASSES (a dense k×k matrix, so
 * 1024 classes cost 8 MiB; larger label spaces are a sign the labels are not class indices).
 */
export class ConfusionMatrix {
  static readonly MAX_CLASSES = 1024;
  private k = 0;
  private cap = 0;
  private m = new Float64Array(0);
  private n = 0;
  private rows = 0;

  /** Number of classes: largest label seen + 1. */
  get classes(): number {
    return this.k;
  }
  /** Total weight of all rows counted. */
  get total(): number {
    return this.n;
  }
  /** Rows counted (unweighted). */
  get count(): number {
    return this.rows;
  }

  update(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void {
    this.add(yTrue, yPred, weights, 1, 'confusionMatrix');
  }

  revert(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): void {
    this.add(yTrue, yPred, weights, -1, 'confusionMatrix');
  }

  /** Adds (sign 1) or removes (sign -1) rows; `metric` names the caller in errors. */
  add(
    yTrue: ArrayLike<number>,
    yPred: ArrayLike<number>,
    weights: ArrayLike<number> | undefined,
    sign: 1 | -1,
    metric: string,
    sums?: BinarySums | null,
  ): void {
    const len = yTrue.length;
    checkBatch(metric, yTrue, yPred, weights);
    if (weights === undefined) {
      const b = sums === undefined ? ConfusionMatrix.binarySums(yTrue, yPred) : sums;
      if (b) {
        this.addBinary(len, b, sign);
        return;
      }
    }
    let max = this.k - 1;
    for (let i = 0; i < len; i++) {
      const t = yTrue[i]!,
        p = yPred[i]!;
      if (!isLabel(t)) throw badLabel(metric, 'yTrue', i, t);
      if (!isLabel(p)) throw badLabel(metric, 'yPred', i, p);
      if (t > max) max = t;
      if (p > max) max = p;
    }
    if (max + 1 > this.k) this.grow(max + 1);
    const k = this.cap,
      m = this.m;
    let total = 0;
    for (let i = 0; i < len; i++) {
      const w = weights === undefined ? 1 : weights[i]!;
      m[yTrue[i]! * k + yPred[i]!]! += sign * w;
      total += w;
    }
    this.n += sign * total;
    this.rows += sign * len;
  }

  /**
   * Σt, Σp and Σt·p of rows whose labels are all 0 or 1 (the usual binary case), from which the
   * four cells of unweighted rows follow without a read-modify-write of the matrix per row (a
   * chain through four cells): integer sums, as exact as counting one by one. Null when a label
   * is not 0 or 1. Metrics counting the same labels (MetricSet) share one scan.
   */
  static binarySums(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): BinarySums | null {
    const len = yTrue.length;
    let st = 0,
      sp = 0,
      stp = 0;
    for (let i = 0; i < len; i++) {
      const t = yTrue[i]!,
        p = yPred[i]!;
      if ((t !== 0 && t !== 1) || (p !== 0 && p !== 1)) return null;
      st += t;
      sp += p;
      stp += t * p;
    }
    return { st, sp, stp };
  }

  /** Unweighted 0/1 rows counted from their sums (see binarySums). */
  private addBinary(len: number, b: BinarySums, sign: 1 | -1): void {
    if (len === 0) return;
    const { st, sp, stp } = b;
    // The class count grows to the largest label seen + 1, as in add.
    const need = st > 0 || sp > 0 ? 2 : 1;
    if (this.k < need) this.grow(need);
    const k = this.cap,
      m = this.m;
    m[0]! += sign * (len - st - sp + stp);
    m[1]! += sign * (sp - stp);
    m[k]! += sign * (st - stp);
    m[k + 1]! += sign * stp;
    this.n += sign * len;
    this.rows += sign * len;
  }

  /** Weight of rows with true class `t` predicted as `p`. */
  get(t: number, p: number): number {
    return t < this.k && p < this.k ? this.m[t * this.cap + p]! : 0;
  }

  /** Weight of rows whose true class is `c` (its support). */
  actual(c: number): number {
    if (c >= this.k) return 0;
    let s = 0;
    for (let p = 0, o = c * this.cap; p < this.k; p++) s += this.m[o + p]!;
    return s;
  }

  /** Weight of rows predicted as `c`. */
  predicted(c: number): number {
    if (c >= this.k) return 0;
    let s = 0;
    for (let t = 0; t < this.k; t++) s += this.m[t * this.cap + c]!;
    return s;
  }

  /** Sum of the diagonal (weight of correct predictions). */
  correct(): number {
    let s = 0;
    for (let c = 0; c < this.k; c++) s += this.m[c * this.cap + c]!;
    return s;
  }

  /**
   * Classes that occur as a true or a predicted label among the counted rows (the label set
   * sklearn uses for macro averages). A class index never seen is not a class of the problem.
   */
  presentClasses(): number[] {
    const out: number[] = [];
    for (let c = 0; c < this.k; c++) if (this.actual(c) > 0 || this.predicted(c) > 0) out.push(c);
    return out;
  }

  /** The matrix as nested arrays, `[true][predicted]`. */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let t = 0; t < this.k; t++) out.push(Array.from(this.m.subarray(t * this.cap, t * this.cap + this.k)));
    return out;
  }

  reset(): void {
    this.m.fill(0);
    this.n = 0;
    this.rows = 0;
    this.k = 0;
  }

  toJSON(): ConfusionMatrixState {
    return { classes: this.k, counts: this.toArray().flat(), rows: this.rows };
  }

  static fromJSON(state: ConfusionMatrixState): ConfusionMatrix {
    const cm = new ConfusionMatrix();
    const k = state.classes;
    if (!Number.isInteger(k) || k < 0 || state.counts.length !== k * k) {
      throw new SluiceError('METRIC', `confusionMatrix.fromJSON: ${state.counts.length} counts for ${k} classes`);
    }
    if (k > 0) cm.grow(k);
    let n = 0;
    for (let i = 0; i < k * k; i++) {
      cm.m[Math.floor(i / k) * cm.cap + (i % k)] = state.counts[i]!;
      n += state.counts[i]!;
    }
    cm.n = n;
    cm.rows = state.rows;
    return cm;
  }

  private grow(k: number): void {
    if (k > this.cap) {
      const cap = Math.min(ConfusionMatrix.MAX_CLASSES, Math.max(k, this.cap * 2, 2));
      const m = new Float64Array(cap * cap);
      for (let t = 0; t < this.k; t++) m.set(this.m.subarray(t * this.cap, t * this.cap + this.k), t * cap);
      this.m = m;
      this.cap = cap;
    }
    this.k = k;
  }
}

function isLabel(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < ConfusionMatrix.MAX_CLASSES;
}

function badLabel(metric: string, arg: string, row: number, v: number): SluiceError {
  return new SluiceError('METRIC', `${metric}.update: ${arg}[${row}] = ${v} is not a class index (an integer in 0..${ConfusionMatrix.MAX_CLASSES - 1})`);
}
