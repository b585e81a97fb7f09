export interface ScorePairsState {
  /** Positive rows' scores, and their weights (null when all are 1). */
  pos: number[];
  posWeights: number[] | null;
  neg: number[];
  negWeights: number[] | null;
}

/**
 * Every (score, weight) pair seen, split by label, for exact ROC AUC and average precision.
 * Memory grows with the rows (16 bytes each): meant for finite data or a rolling window. Each
 * read sorts only the rows added since the last read and merges them into the sorted rest, so
 * reading after every batch costs O(rows) rather than a full sort.
 */
export class ScorePairs {
  private readonly p = new ScoreList();
  private readonly n = new ScoreList();

  get count(): number { return this.p.n + this.n.n; }

  add(score: number, positive: boolean, w: number): void {
    (positive ? this.p : this.n).push(score, w);
  }

  reset(): void {
    this.p.clear();
    this.n.clear();
  }

  /**
   * Mann–Whitney U / (P·N): the weighted share of (positive, negative) pairs ranked correctly,
   * a tie counting one half. NaN without both a positive and a negative.
   */
  rocAuc(): number {
    const p = this.p.sorted(), n = this.n.sorted();
    const P = p.total(), N = n.total();
    if (!(P > 0) || !(N > 0)) return NaN;
    let j = 0, below = 0, sum = 0, lastScore = NaN, equal = 0;
    for (let i = 0; i < p.n; i++) {
      const s = p.scores[i]!;
      if (s !== lastScore) {
        while (j < n.n && n.scores[j]! < s) below += n.weight(j++);
        equal = 0;
        for (let k = j; k < n.n && n.scores[k] === s; k++) equal += n.weight(k);
        lastScore = s;
      }
      sum += p.weight(i) * (below + 0.5 * equal);
    }
    return sum / (P * N);
  }

  /**
   * Average precision Σ (R_k − R_{k−1})·P_k over the distinct scores taken as thresholds from the
   * highest down (sklearn's average_precision_score, no interpolation); tied scores form one
   * threshold. NaN without a positive.
   */
  averagePrecision(): number {
    const p = this.p.sorted(), n = this.n.sorted();
    const P = p.total();
    if (!(P > 0)) return NaN;
    let i = p.n - 1, j = n.n - 1, tp = 0, fp = 0, ap = 0;
    while (i >= 0) {
      const s = j >= 0 && n.scores[j]! > p.scores[i]! ? n.scores[j]! : p.scores[i]!;
      let dp = 0;
      while (i >= 0 && p.scores[i] === s) dp += p.weight(i--);
      while (j >= 0 && n.scores[j] === s) fp += n.weight(j--);
      tp += dp;
      if (dp > 0) ap += (dp / P) * (tp / (tp + fp));
    }
    return ap;
  }

  toJSON(): ScorePairsState {
    const p = this.p.sorted(), n = this.n.sorted();
    return { pos: p.scoreArray(), posWeights: p.weightArray(), neg: n.scoreArray(), negWeights: n.weightArray() };
  }

  static fromJSON(state: ScorePairsState): ScorePairs {
    const s = new ScorePairs();
    state.pos.forEach((v, i) => s.p.push(v, state.posWeights?.[i] ?? 1));
    state.neg.forEach((v, i) => s.n.push(v, state.negWeights?.[i] ?? 1));
    return s;
  }
}

/** Growable (score, weight) list with a sorted prefix. Weights are only stored once one is not 1. */
class ScoreList {
  scores = new Float64Array(64);
  weights: Float64Array | null = null;
  n = 0;
  private sortedTo = 0;

  push(score: number, w: number): void {
    if (this.n === this.scores.length) {
      const s = new Float64Array(this.n * 2);
      s.set(this.scores);
      this.scores = s;
      if (this.weights) { const ws = new Float64Array(this.n * 2); ws.set(this.weights); this.weights = ws; }
    }
    if (w !== 1 && this.weights === null) {
      this.weights = new Float64Array(this.scores.length);
      this.weights.fill(1, 0, this.n);
    }
    this.scores[this.n] = score;
    if (this.weights) this.weights[this.n] = w;
    this.n++;
  }

  clear(): void {
    this.n = 0;
    this.sortedTo = 0;
    this.weights = null;
  }

  weight(i: number): number {
    return this.weights === null ? 1 : this.weights[i]!;
  }

  total(): number {
    if (this.weights === null) return this.n;
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.weights[i]!;
    return s;
  }

  scoreArray(): number[] {
    return Array.from(this.scores.subarray(0, this.n));
  }

  weightArray(): number[] | null {
    return this.weights === null ? null : Array.from(this.weights.subarray(0, this.n));
  }

  /** Sorts the rows added since the last call and merges them into the sorted prefix. */
  sorted(): this {
    const a = this.sortedTo, n = this.n;
    if (a === n) return this;
    const s = this.scores, w = this.weights;
    let ts: Float64Array, tw: Float64Array | null = null;
    if (w === null) {
      ts = s.slice(a, n).sort();
    } else {
      const idx = new Uint32Array(n - a);
      for (let i = 0; i < idx.length; i++) idx[i] = a + i;
      idx.sort((x, y) => s[x]! - s[y]!);
      ts = new Float64Array(idx.length);
      tw = new Float64Array(idx.length);
      for (let i = 0; i < idx.length; i++) { ts[i] = s[idx[i]!]!; tw[i] = w[idx[i]!]!; }
    }
    // Merge the sorted prefix [0, a) with the sorted tail from the back, in place.
    let i = a - 1, j = ts.length - 1, k = n - 1;
    while (j >= 0) {
      if (i >= 0 && s[i]! > ts[j]!) {
        s[k] = s[i]!;
        if (w) w[k] = w[i]!;
        i--;
      } else {
        s[k] = ts[j]!;
        if (w) w[k] = tw![j]!;
        j--;
      }
      k--;
    }
    this.sortedTo = n;
    return this;
  }
}
