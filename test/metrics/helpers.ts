/**
 * Shared test data for the metric suites: seeded random batches of every prediction form, and
 * reference formulas written independently of src/metrics (brute force, textbook definitions).
 */
import { Rng } from '../../src/core/index.js';
import type { MetricInput } from '../../src/metrics/index.js';

export interface Data {
  yTrue: Float64Array;
  yPred: Float64Array;
  weights: Float64Array;
}

/** `n` rows of random data for a metric that reads `input`; `classes` for labels/probabilities. */
export function randomData(input: MetricInput, n: number, seed: number, classes = 2): Data {
  const rng = new Rng(seed);
  const yTrue = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = rng.int(4) === 0 ? 0.5 : 1 + rng.int(3);
  let yPred: Float64Array;
  if (input === 'values') {
    yPred = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      yTrue[i] = rng.int(10) === 0 ? 0 : 5 + 3 * rng.normal();
      yPred[i] = yTrue[i]! + rng.normal();
    }
  } else if (input === 'labels') {
    yPred = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      yTrue[i] = rng.int(classes);
      yPred[i] = rng.bernoulli(0.6) ? yTrue[i]! : rng.int(classes);
    }
  } else if (input === 'scores' || classes === 2) {
    yPred = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      yTrue[i] = rng.bernoulli(0.4) ? 1 : 0;
      // Informative but overlapping scores, with ties from rounding to 2 decimals.
      const s = 1 / (1 + Math.exp(-(yTrue[i]! * 1.5 - 0.75 + rng.normal())));
      yPred[i] = rng.bernoulli(0.3) ? Math.round(s * 100) / 100 : s;
    }
  } else {
    yPred = new Float64Array(n * classes);
    for (let i = 0; i < n; i++) {
      yTrue[i] = rng.int(classes);
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        const v = Math.exp(rng.normal() + (c === yTrue[i] ? 1 : 0));
        yPred[i * classes + c] = v;
        sum += v;
      }
      for (let c = 0; c < classes; c++) yPred[i * classes + c]! /= sum;
    }
  }
  return { yTrue, yPred, weights };
}

/** Rows [a, b) of a data set (width = prediction values per row). */
export function slice(d: Data, a: number, b: number, width = 1): Data {
  return { yTrue: d.yTrue.slice(a, b), yPred: d.yPred.slice(a * width, b * width), weights: d.weights.slice(a, b) };
}

/** Random batch sizes (including 0 and 1) summing to n. */
export function randomCuts(n: number, seed: number, max = 50): number[] {
  const rng = new Rng(seed);
  const cuts: number[] = [];
  let left = n;
  while (left > 0) {
    const k = Math.min(left, rng.int(max + 1));
    cuts.push(k);
    left -= k;
  }
  return cuts;
}

/** ROC AUC by counting every positive–negative pair (ties ½), weighted. */
export function bruteAuc(yTrue: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>, positive = 1): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] !== positive) continue;
    for (let j = 0; j < yTrue.length; j++) {
      if (yTrue[j] === positive) continue;
      const ww = (w ? w[i]! : 1) * (w ? w[j]! : 1);
      num += ww * (s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0);
      den += ww;
    }
  }
  return num / den;
}

/**
 * Average precision by its per-positive definition: the weighted mean, over positive rows, of
 * the precision among rows scoring at least as high as that row.
 */
export function bruteAp(yTrue: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>, positive = 1): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] !== positive) continue;
    let tp = 0,
      all = 0;
    for (let j = 0; j < yTrue.length; j++) {
      if (s[j]! >= s[i]!) {
        const wj = w ? w[j]! : 1;
        all += wj;
        if (yTrue[j] === positive) tp += wj;
      }
    }
    const wi = w ? w[i]! : 1;
    num += wi * (tp / all);
    den += wi;
  }
  return num / den;
}

/** |a − b| ≤ tol, or both NaN. */
export function close(a: number, b: number, tol = 1e-9): boolean {
  return (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}
