export interface ScorePairsState {
  /** Positive rows' scores, and their weights (null when all are 1). */
  pos: number[];
  posWeights: number[] | null;
  neg: number[];
  negWeights: number[] | null;
}

/**
 * Every (score, weight) pair seen, split by label, for exact ROC AUC and average precision on
 * finite data (memory grows by 8 bytes a row, 24 with weights).
 *
 * Each class keeps its rows as sorted runs whose sizes at least halve from one run to the next
 * (merged like a binary counter: O(log n) runs, each row merged O(log n) times). ROC AUC is kept
 * as the running Mann–Whitney sum U: a new batch adds its pairs with the old rows (binary
 * search per new row in each run) and its pairs among themselves (one sweep), so reading it is
 * O(1) and a batch costs O(m·log²n). Average precision depends on every threshold above each
 * positive, so reading it merges the runs and sweeps all rows: O(n) a read.
 */
export class ScorePairs {
  private pos = new RunList();
  private neg = new RunList();
  private u = 0;

  get count(): number {
    return this.pos.n + this.neg.n;
  }

  /** Adds one batch: the positive rows' scores and weights, and the negative rows'. */
  addBatch(posScores: Float64Array, posWeights: Float64Array | null, negScores: Float64Array, negWeights: Float64Array | null): void {
    const p = sortedRun(posScores, posWeights),
      n = sortedRun(negScores, negWeights);
    let du = pairU(p, n);
    const neg = this.neg,
      pos = this.pos,
      P = pos.total;
    for (let i = 0; i < p.s.length; i++) {
      const below = neg.count(p.s[i]!);
      du += weightAt(p, i) * (below + 0.5 * neg.equal);
    }
    for (let j = 0; j < n.s.length; j++) {
      const below = pos.count(n.s[j]!);
      du += weightAt(n, j) * (P - below - 0.5 * pos.equal);
    }
    this.u += du;
    if (p.s.length > 0) this.pos.push(p);
    if (n.s.length > 0) this.neg.push(n);
  }

  reset(): void {
    this.pos = new RunList();
    this.neg = new RunList();
    this.u = 0;
  }

  /**
   * Mann–Whitney U / (P·N): the weighted share of (positive, negative) pairs ranked correctly,
   * a tie counting one half. NaN without both a positive and a negative.
   */
  rocAuc(): number {
    const P = this.pos.total,
      N = this.neg.total;
    return P > 0 && N > 0 ? this.u / (P * N) : NaN;
  }

  /**
   * Average precision Σ (R_k − R_{k−1})·P_k over the distinct scores taken as thresholds from the
   * highest down (sklearn's average_precision_score, no interpolation); tied scores form one
   * threshold. NaN without a positive.
   */
  averagePrecision(): number {
    const p = this.pos.merged(),
      n = this.neg.merged();
    const P = this.pos.total;
    if (!(P > 0)) return NaN;
    let i = p.s.length - 1,
      j = n.s.length - 1,
      tp = 0,
      fp = 0,
      ap = 0;
    while (i >= 0) {
      const s = j >= 0 && n.s[j]! > p.s[i]! ? n.s[j]! : p.s[i]!;
      let dp = 0;
      while (i >= 0 && p.s[i] === s) dp += weightAt(p, i--);
      while (j >= 0 && n.s[j] === s) fp += weightAt(n, j--);
      tp += dp;
      if (dp > 0) ap += (dp / P) * (tp / (tp + fp));
    }
    return ap;
  }

  toJSON(): ScorePairsState {
    const p = this.pos.merged(),
      n = this.neg.merged();
    return { pos: Array.from(p.s), posWeights: p.w && Array.from(p.w), neg: Array.from(n.s), negWeights: n.w && Array.from(n.w) };
  }

  static fromJSON(state: ScorePairsState): ScorePairs {
    const s = new ScorePairs();
    const f = (a: number[] | null) => (a ? Float64Array.from(a) : null);
    s.addBatch(Float64Array.from(state.pos), f(state.posWeights), Float64Array.from(state.neg), f(state.negWeights));
    return s;
  }
}

/** Scores sorted ascending, their weights (null = all 1) and prefix sums of the weights. */
interface Run {
  s: Float64Array;
  w: Float64Array | null;
  /** c[i] = weight of s[0..i); null when w is (then c[i] = i). */
  c: Float64Array | null;
}

function weightAt(r: Run, i: number): number {
  return r.w === null ? 1 : r.w[i]!;
}

function prefix(w: Float64Array | null): Float64Array | null {
  if (w === null) return null;
  const c = new Float64Array(w.length + 1);
  for (let i = 0; i < w.length; i++) c[i + 1] = c[i]! + w[i]!;
  return c;
}

function sortedRun(scores: Float64Array, weights: Float64Array | null): Run {
  if (weights === null) return { s: scores.slice().sort(), w: null, c: null };
  const idx = new Uint32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((a, b) => scores[a]! - scores[b]!);
  const s = new Float64Array(idx.length),
    w = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    s[i] = scores[idx[i]!]!;
    w[i] = weights[idx[i]!]!;
  }
  return { s, w, c: prefix(w) };
}

/** Σ over positive–negative pairs of w⁺·w⁻·([s⁺ > s⁻] + ½[s⁺ = s⁻]) for two sorted runs. */
function pairU(p: Run, n: Run): number {
  let j = 0,
    below = 0,
    sum = 0,
    last = NaN,
    equal = 0;
  for (let i = 0; i < p.s.length; i++) {
    const s = p.s[i]!;
    if (s !== last) {
      while (j < n.s.length && n.s[j]! < s) below += weightAt(n, j++);
      equal = 0;
      for (let k = j; k < n.s.length && n.s[k] === s; k++) equal += weightAt(n, k);
      last = s;
    }
    sum += weightAt(p, i) * (below + 0.5 * equal);
  }
  return sum;
}

/** One class's rows as sorted runs of decreasing size. */
class RunList {
  runs: Run[] = [];
  n = 0;
  total = 0;

  push(r: Run): void {
    this.runs.push(r);
    this.n += r.s.length;
    this.total += r.c === null ? r.s.length : r.c[r.s.length]!;
    // Keep each run more than twice the next: O(log n) runs, each row merged O(log n) times.
    while (this.runs.length >= 2 && this.runs[this.runs.length - 2]!.s.length <= 2 * this.runs[this.runs.length - 1]!.s.length) {
      const b = this.runs.pop()!,
        a = this.runs.pop()!;
      this.runs.push(merge(a, b));
    }
  }

  /** Weight of rows with score equal to the last `count` argument. */
  equal = 0;

  /** Weight of rows with score < x; sets `equal` to the weight of rows with score = x. */
  count(x: number): number {
    let below = 0,
      equal = 0;
    for (const r of this.runs) {
      const s = r.s;
      let lo = 0,
        hi = s.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (s[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      const at = r.c === null ? lo : r.c[lo]!;
      below += at;
      // Search for the end of the ties only when there are some.
      if (lo < s.length && s[lo] === x) {
        let e = lo + 1;
        hi = s.length;
        while (e < hi) {
          const mid = (e + hi) >>> 1;
          if (s[mid]! <= x) e = mid + 1;
          else hi = mid;
        }
        equal += (r.c === null ? e : r.c[e]!) - at;
      }
    }
    this.equal = equal;
    return below;
  }

  /** All rows as one run (kept that way, so repeated reads do not merge again). */
  merged(): Run {
    while (this.runs.length > 1) {
      const b = this.runs.pop()!,
        a = this.runs.pop()!;
      this.runs.push(merge(a, b));
    }
    return this.runs[0] ?? { s: new Float64Array(0), w: null, c: null };
  }
}

function merge(a: Run, b: Run): Run {
  const n = a.s.length + b.s.length;
  const s = new Float64Array(n);
  const weighted = a.w !== null || b.w !== null;
  const w = weighted ? new Float64Array(n) : null;
  let i = 0,
    j = 0,
    k = 0;
  while (i < a.s.length || j < b.s.length) {
    if (j >= b.s.length || (i < a.s.length && a.s[i]! <= b.s[j]!)) {
      if (w) w[k] = weightAt(a, i);
      s[k++] = a.s[i++]!;
    } else {
      if (w) w[k] = weightAt(b, j);
      s[k++] = b.s[j++]!;
    }
  }
  return { s, w, c: prefix(w) };
}
