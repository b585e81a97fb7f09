export interface ScorePairsState {
  /** Positive rows' scores, and their weights (null when all are 1). */
  pos: number[];
  posWeights: number[] | null;
  neg: number[];
  negWeights: number[] | null;
}

/**
 * Rows added wait unsorted in a buffer until it holds as many rows as are already sorted (at
 * least FLUSH_MIN, at most FLUSH_MAX) or a value is read: sorting and counting a large buffer at
 * once costs a few linear sweeps a row, where each source batch counted on arrival cost a binary
 * search per row in every run (~0.3 µs a row on 3M rows).
 */
const FLUSH_MIN = 1 << 15;
/** Buffers beyond 2^20 rows (8 MiB a class) gain little: the runs' merges are linear anyway. */
const FLUSH_MAX = 1 << 20;

/**
 * Every (score, weight) pair seen, split by label, for exact ROC AUC and average precision on
 * finite data (memory grows by 8 bytes a row, 24 with weights).
 *
 * Each class keeps its rows as sorted runs whose sizes at least halve from one run to the next
 * (merged like a binary counter: O(log n) runs, each row merged O(log n) times). ROC AUC is kept
 * as the running Mann–Whitney sum U: a flushed buffer adds its pairs with the old rows (one
 * galloping sweep of its sorted rows through each run) and its pairs among themselves (one
 * sweep). Float32 scores (what models give) are sorted by radix on their bits, others by
 * comparison. Average precision depends on every threshold above each positive, so reading it
 * merges the runs and sweeps all rows: O(n) a read.
 */
export class ScorePairs {
  private pos = new RunList();
  private neg = new RunList();
  /**
   * While every row is unweighted with a non-negative float32 score (a model's probabilities),
   * the runs are the scores' bits as int32 keys (KeyRuns: integer order is numeric order, half the
   * memory, merges and counts without branches); the first other row moves them to `pos`/`neg`.
   */
  private keyed = true;
  private kpos = new KeyRuns();
  private kneg = new KeyRuns();
  private u = 0;
  /** Buffered rows of each class (scores, weights or null while all are 1), not in the runs yet. */
  private readonly bufPos = new Buffer();
  private readonly bufNeg = new Buffer();
  /**
   * Keyed mode's buffered rows that came as float32 scores without weights (a model's
   * predictions): their keys, taken from the scores' bits on arrival, so a flush sorts them as
   * they are (no float64 copy to convert back and check).
   */
  private readonly keyBufPos = new KeyBuffer();
  private readonly keyBufNeg = new KeyBuffer();

  get count(): number {
    return this.pos.n + this.neg.n + this.kpos.n + this.kneg.n + this.bufPos.n + this.bufNeg.n + this.keyBufPos.n + this.keyBufNeg.n;
  }

  /** Adds one batch: the positive rows' scores and weights, and the negative rows'. */
  addBatch(posScores: Float64Array, posWeights: Float64Array | null, negScores: Float64Array, negWeights: Float64Array | null): void {
    this.bufPos.append(posScores, posWeights);
    this.bufNeg.append(negScores, negWeights);
    this.maybeFlush();
  }

  /**
   * Adds rows whose label equals `positive` as positives, the others as negatives. Returns the
   * index of the first NaN score, with nothing added, or -1.
   */
  add(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights: ArrayLike<number> | undefined, positive: number): number {
    if (this.keyed && weights === undefined && yPred instanceof Float32Array && this.bufPos.w === null && this.bufNeg.w === null) {
      const r = this.addKeys(yTrue, yPred, positive);
      // null: a negative score, which has no key; the general path takes the batch.
      if (r !== null) return r;
    }
    const bp = this.bufPos,
      bn = this.bufNeg,
      p0 = bp.n,
      n0 = bn.n,
      len = yTrue.length;
    const weighted = weights !== undefined || bp.w !== null || bn.w !== null;
    bp.reserve(len, weighted);
    bn.reserve(len, weighted);
    const ps = bp.s,
      ns = bn.s;
    let a = p0,
      b = n0;
    if (!weighted) {
      for (let i = 0; i < len; i++) {
        const x = yPred[i]!;
        if (x !== x) {
          bp.n = p0;
          bn.n = n0;
          return i;
        }
        if (yTrue[i] === positive) ps[a++] = x;
        else ns[b++] = x;
      }
    } else {
      const pw = bp.w!,
        nw = bn.w!;
      for (let i = 0; i < len; i++) {
        const x = yPred[i]!;
        if (x !== x) {
          bp.n = p0;
          bn.n = n0;
          return i;
        }
        const w = weights === undefined ? 1 : weights[i]!;
        if (yTrue[i] === positive) {
          pw[a] = w;
          ps[a++] = x;
        } else {
          nw[b] = w;
          ns[b++] = x;
        }
      }
    }
    bp.n = a;
    bn.n = b;
    this.maybeFlush();
    return -1;
  }

  /**
   * add() of float32 scores without weights in keyed mode: each score's bits are its key (-0 as
   * 0). Returns the first NaN's index or -1 as add() does, or null, with nothing added, at a
   * negative score.
   */
  private addKeys(yTrue: ArrayLike<number>, yPred: Float32Array, positive: number): number | null {
    const len = yTrue.length;
    const bits = new Int32Array(yPred.buffer, yPred.byteOffset, len);
    const kp = this.keyBufPos,
      kn = this.keyBufNeg;
    kp.reserve(len);
    kn.reserve(len);
    const ps = kp.k,
      ns = kn.k;
    let a = kp.n,
      b = kn.n;
    for (let i = 0; i < len; i++) {
      let k = bits[i]!;
      if ((k & 0x7fffffff) > 0x7f800000) return i;
      if (k < 0) {
        if (k !== -0x80000000) return null;
        k = 0;
      }
      if (yTrue[i] === positive) ps[a++] = k;
      else ns[b++] = k;
    }
    kp.n = a;
    kn.n = b;
    this.maybeFlush();
    return -1;
  }

  reset(): void {
    this.keyBufPos.clear();
    this.keyBufNeg.clear();
    this.pos = new RunList();
    this.neg = new RunList();
    this.keyed = true;
    this.kpos = new KeyRuns();
    this.kneg = new KeyRuns();
    this.u = 0;
    this.bufPos.clear();
    this.bufNeg.clear();
  }

  /**
   * Mann–Whitney U / (P·N): the weighted share of (positive, negative) pairs ranked correctly,
   * a tie counting one half. NaN without both a positive and a negative.
   */
  rocAuc(): number {
    this.flush();
    const P = this.keyed ? this.kpos.n : this.pos.total,
      N = this.keyed ? this.kneg.n : this.neg.total;
    return P > 0 && N > 0 ? this.u / (P * N) : NaN;
  }

  /**
   * Average precision Σ (R_k − R_{k−1})·P_k over the distinct scores taken as thresholds from the
   * highest down (sklearn's average_precision_score, no interpolation); tied scores form one
   * threshold. NaN without a positive.
   */
  averagePrecision(): number {
    this.flush();
    if (this.keyed) return averagePrecisionOfKeys(this.kpos.merged(), this.kneg.merged());
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
    this.flush();
    if (this.keyed) return { pos: Array.from(scoresOf(this.kpos.merged())), posWeights: null, neg: Array.from(scoresOf(this.kneg.merged())), negWeights: null };
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

  private maybeFlush(): void {
    const waiting = this.bufPos.n + this.bufNeg.n + this.keyBufPos.n + this.keyBufNeg.n;
    if (waiting >= Math.max(FLUSH_MIN, Math.min(FLUSH_MAX, this.pos.n + this.neg.n + this.kpos.n + this.kneg.n))) this.flush();
  }

  /** The buffered rows into the runs, their pairs with the runs' rows and among themselves into U. */
  private flush(): void {
    if (this.keyBufPos.n + this.keyBufNeg.n > 0) {
      // Before any other rows: unkey() below expects no keys waiting. U does not depend on the order of flushes.
      const kp = sortKeys(this.keyBufPos.k, this.keyBufPos.n),
        kn = sortKeys(this.keyBufNeg.k, this.keyBufNeg.n);
      this.keyBufPos.clear();
      this.keyBufNeg.clear();
      this.flushKeys(kp, kn);
    }
    if (this.bufPos.n + this.bufNeg.n === 0) return;
    if (this.keyed) {
      const kp = this.bufPos.w === null && this.bufNeg.w === null ? sortedKeys(this.bufPos.s, this.bufPos.n) : null;
      const kn = kp ? sortedKeys(this.bufNeg.s, this.bufNeg.n) : null;
      if (kp && kn) {
        this.bufPos.clear();
        this.bufNeg.clear();
        this.flushKeys(kp, kn);
        return;
      }
      this.unkey();
    }
    const p = this.bufPos.sorted(),
      n = this.bufNeg.sorted();
    this.bufPos.clear();
    this.bufNeg.clear();
    let du = pairU(p, n);
    // New positives above old negatives; new negatives below old positives.
    for (const r of this.neg.runs) du += rankSum(p, r);
    const P = this.pos.total;
    if (n.s.length > 0 && P > 0) {
      const W = n.c === null ? n.s.length : n.c[n.s.length]!;
      du += P * W;
      for (const r of this.pos.runs) du -= rankSum(n, r);
    }
    this.u += du;
    if (p.s.length > 0) this.pos.push(p);
    if (n.s.length > 0) this.neg.push(n);
  }

  /** flush() in keyed mode: the same U terms as the general path, counted on int32 keys (integers and halves: exact in any order). */
  private flushKeys(p: Int32Array, n: Int32Array): void {
    let du = n.length === 0 ? 0 : rankKeys(p, n);
    for (const r of this.kneg.runs) du += rankKeys(p, r);
    const P = this.kpos.n;
    if (n.length > 0 && P > 0) {
      du += P * n.length;
      for (const r of this.kpos.runs) du -= rankKeys(n, r);
    }
    this.u += du;
    if (p.length > 0) this.kpos.push(p);
    if (n.length > 0) this.kneg.push(n);
  }

  /** Leaves keyed mode for good: the key runs become scores runs (a weighted or negative or float64 score came). */
  private unkey(): void {
    this.keyed = false;
    for (const [keys, list] of [
      [this.kpos, this.pos],
      [this.kneg, this.neg],
    ] as const) {
      for (const r of keys.runs) list.push({ s: scoresOf(r), w: null, c: null });
    }
    this.kpos = new KeyRuns();
    this.kneg = new KeyRuns();
  }
}

/**
 * The first n scores as sorted int32 keys (their float32 bits; -0 as 0), or null when one is not
 * a float32 or is negative. Non-negative float32 bits order as the numbers do, and fit an int32.
 * LSD radix in passes of 11, 11 and 9 bits; a pass whose digit is the same for every key is skipped.
 */
function sortedKeys(scores: Float64Array, n: number): Int32Array | null {
  const f = new Float32Array(n);
  f.set(scores.subarray(0, n));
  let a = new Int32Array(f.buffer);
  const h0 = new Int32Array(2048),
    h1 = new Int32Array(2048),
    h2 = new Int32Array(512);
  for (let i = 0; i < n; i++) {
    let k = a[i]!;
    if (f[i] !== scores[i] || k < 0) {
      if (scores[i] !== 0) return null;
      k = a[i] = 0;
    }
    h0[k & 2047]!++;
    h1[(k >>> 11) & 2047]!++;
    h2[k >>> 22]!++;
  }
  let b = new Int32Array(n);
  for (const [h, shift, mask] of [
    [h0, 0, 2047],
    [h1, 11, 2047],
    [h2, 22, 511],
  ] as const) {
    if (n === 0 || h[(a[0]! >>> shift) & mask] === n) continue;
    starts(h);
    scatter(a, b, h, shift, mask);
    const t = a;
    a = b;
    b = t;
  }
  return a;
}

/**
 * The first n keys of `keys` (valid ones: non-negative), sorted into a new array; `keys` is
 * scratch afterwards. sortedKeys' passes, on keys taken on arrival.
 */
function sortKeys(keys: Int32Array, n: number): Int32Array {
  const h0 = new Int32Array(2048),
    h1 = new Int32Array(2048),
    h2 = new Int32Array(512);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    h0[k & 2047]!++;
    h1[(k >>> 11) & 2047]!++;
    h2[k >>> 22]!++;
  }
  let a: Int32Array = keys,
    b: Int32Array = new Int32Array(n);
  for (const [h, shift, mask] of [
    [h0, 0, 2047],
    [h1, 11, 2047],
    [h2, 22, 511],
  ] as const) {
    if (n === 0 || h[(a[0]! >>> shift) & mask] === n) continue;
    starts(h);
    scatter(a, b, h, shift, mask, n);
    const t = a;
    a = b;
    b = t;
  }
  return a === keys ? keys.slice(0, n) : a;
}

function scatter(a: Int32Array, b: Int32Array, h: Int32Array, shift: number, mask: number, n = a.length): void {
  for (let i = 0; i < n; i++) {
    const k = a[i]!;
    b[h[(k >>> shift) & mask]!++] = k;
  }
}

/** The scores of sorted keys (float32 bits), as float64. */
function scoresOf(keys: Int32Array): Float64Array {
  const out = new Float64Array(keys.length);
  out.set(new Float32Array(keys.buffer, keys.byteOffset, keys.length));
  return out;
}

/**
 * rankSum for keys of unit weight: Σ over q of (r's keys below it + ½ those equal). Runs of
 * comparable size: two merges without branches, one counting below and one below or equal,
 * interleaved (independent chains). A much shorter run gallops through the longer one (for a
 * short r, through q: Σ over q = |q|·|r| − Σ over r, all integers and halves, so exact).
 */
function rankKeys(q: Int32Array, r: Int32Array): number {
  const nq = q.length,
    nr = r.length;
  if (nr > 8 * nq) return rankKeysGallop(q, r);
  if (nq > 8 * nr) return nq * nr - rankKeysGallop(r, q);
  let lt = 0,
    le = 0,
    i = 0,
    j = 0,
    a = 0,
    b = 0;
  // Below: an r key comes first when smaller (c = -1), else the q key takes the count j.
  // Below or equal: the q key comes first only when smaller (d = -1), taking the count b.
  while (i < nq && j < nr && a < nq && b < nr) {
    const c = (r[j]! - q[i]!) >> 31;
    lt += j & ~c;
    j -= c;
    i += 1 + c;
    const d = (q[a]! - r[b]!) >> 31;
    le += b & d;
    a -= d;
    b += 1 + d;
  }
  while (i < nq && j < nr) {
    const c = (r[j]! - q[i]!) >> 31;
    lt += j & ~c;
    j -= c;
    i += 1 + c;
  }
  while (a < nq && b < nr) {
    const d = (q[a]! - r[b]!) >> 31;
    le += b & d;
    a -= d;
    b += 1 + d;
  }
  lt += (nq - i) * j;
  le += (nq - a) * b;
  return lt + 0.5 * (le - lt);
}

function rankKeysGallop(q: Int32Array, r: Int32Array): number {
  const len = r.length;
  let lo = 0,
    hi = 0,
    last = -1,
    at = 0,
    sum = 0;
  for (let i = 0; i < q.length; i++) {
    const x = q[i]!;
    if (x !== last) {
      lo = keyBound(r, x, lo, len, 0);
      hi = keyBound(r, x, hi > lo ? hi : lo, len, 1);
      at = lo + 0.5 * (hi - lo);
      last = x;
    }
    sum += at;
  }
  return sum;
}

/** First index ≥ from whose key is ≥ x (strict 0) or > x (strict 1), galloping from `from`. */
function keyBound(s: Int32Array, x: number, from: number, len: number, strict: 0 | 1): number {
  // s[i] < x + strict is "s[i] below the bound" for integer keys.
  const y = x + strict;
  if (from >= len || s[from]! >= y) return from;
  let a = from,
    step = 1,
    b = from + 1;
  while (b < len && s[b]! < y) {
    a = b;
    step *= 2;
    b = a + step;
  }
  let l = a + 1,
    h = b < len ? b : len;
  while (l < h) {
    const mid = (l + h) >>> 1;
    if (s[mid]! < y) l = mid + 1;
    else h = mid;
  }
  return l;
}

/** Two sorted key runs as one, without a branch per key. */
function mergeKeys(a: Int32Array, b: Int32Array): Int32Array {
  const na = a.length,
    nb = b.length,
    s = new Int32Array(na + nb);
  let i = 0,
    j = 0,
    k = 0;
  while (i < na && j < nb) {
    const x = a[i]!,
      y = b[j]!;
    // c = -1 when y < x: take y.
    const c = (y - x) >> 31;
    s[k++] = (x & ~c) | (y & c);
    i += 1 + c;
    j -= c;
  }
  if (i < na) s.set(a.subarray(i), k);
  else if (j < nb) s.set(b.subarray(j), k);
  return s;
}

/** averagePrecision() on sorted keys of unit weight: the same sweep, keys compared for the scores. */
function averagePrecisionOfKeys(p: Int32Array, n: Int32Array): number {
  const P = p.length;
  if (!(P > 0)) return NaN;
  let i = p.length - 1,
    j = n.length - 1,
    tp = 0,
    fp = 0,
    ap = 0;
  while (i >= 0) {
    const s = j >= 0 && n[j]! > p[i]! ? n[j]! : p[i]!;
    let dp = 0;
    while (i >= 0 && p[i] === s) {
      dp += 1;
      i--;
    }
    while (j >= 0 && n[j] === s) {
      fp += 1;
      j--;
    }
    tp += dp;
    if (dp > 0) ap += (dp / P) * (tp / (tp + fp));
  }
  return ap;
}

/** One class's keys as sorted runs of decreasing size (RunList's policy). */
class KeyRuns {
  runs: Int32Array[] = [];
  n = 0;

  push(r: Int32Array): void {
    this.runs.push(r);
    this.n += r.length;
    while (this.runs.length >= 2 && this.runs[this.runs.length - 2]!.length <= 2 * this.runs[this.runs.length - 1]!.length) {
      const b = this.runs.pop()!,
        a = this.runs.pop()!;
      this.runs.push(mergeKeys(a, b));
    }
  }

  merged(): Int32Array {
    while (this.runs.length > 1) {
      const b = this.runs.pop()!,
        a = this.runs.pop()!;
      this.runs.push(mergeKeys(a, b));
    }
    return this.runs[0] ?? new Int32Array(0);
  }
}

/** One class's keys waiting to be sorted (keyed mode, float32 scores without weights). */
class KeyBuffer {
  k = new Int32Array(0);
  n = 0;

  reserve(more: number): void {
    const need = this.n + more;
    if (need > this.k.length) {
      const k = new Int32Array(Math.max(need, 2 * this.k.length, 1024));
      k.set(this.k.subarray(0, this.n));
      this.k = k;
    }
  }

  clear(): void {
    this.n = 0;
    // As Buffer: a large buffer is not kept between flushes of a small stream's reads.
    if (this.k.length > FLUSH_MAX) this.k = new Int32Array(0);
  }
}

/** Scores sorted ascending, their weights (null = all 1) and prefix sums of the weights. */
interface Run {
  s: Float64Array;
  w: Float64Array | null;
  /** c[i] = weight of s[0..i); null when w is (then c[i] = i). */
  c: Float64Array | null;
}

/** One class's rows waiting to be sorted: scores, and weights once a weighted row came. */
class Buffer {
  s = new Float64Array(0);
  w: Float64Array | null = null;
  n = 0;

  /** Room for `more` rows; weights (1 for the rows before) when `weighted`. */
  reserve(more: number, weighted: boolean): void {
    const need = this.n + more;
    if (need > this.s.length) {
      const s = new Float64Array(Math.max(need, 2 * this.s.length, 1024));
      s.set(this.s.subarray(0, this.n));
      this.s = s;
      if (this.w) {
        const w = new Float64Array(s.length);
        w.set(this.w.subarray(0, this.n));
        this.w = w;
      }
    }
    if (weighted && !this.w) this.w = new Float64Array(this.s.length).fill(1, 0, this.n);
  }

  append(scores: Float64Array, weights: Float64Array | null): void {
    this.reserve(scores.length, weights !== null);
    this.s.set(scores, this.n);
    if (this.w) {
      if (weights) this.w.set(weights, this.n);
      else this.w.fill(1, this.n, this.n + scores.length);
    }
    this.n += scores.length;
  }

  clear(): void {
    this.n = 0;
    this.w = null;
    // A large buffer is not kept between flushes of a small stream's reads.
    if (this.s.length > FLUSH_MAX) this.s = new Float64Array(0);
  }

  /** The buffered rows as a new sorted run. */
  sorted(): Run {
    const n = this.n,
      scores = this.s.subarray(0, n);
    if (this.w === null) return { s: sortScores(scores), w: null, c: null };
    const weights = this.w.subarray(0, n);
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort((a, b) => scores[a]! - scores[b]!);
    const s = new Float64Array(n),
      w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = scores[idx[i]!]!;
      w[i] = weights[idx[i]!]!;
    }
    return { s, w, c: prefix(w) };
  }
}

/**
 * A sorted copy of `scores`. Values that are all float32 (a model's probabilities) are sorted by
 * LSD radix on their order-preserving 32-bit keys (three passes of 11 bits, ~15 ns a row), about
 * 5x faster than the typed array's comparison sort, which the others take.
 */
function sortScores(scores: Float64Array): Float64Array {
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    const x = scores[i]!;
    if (Math.fround(x) !== x) return scores.slice().sort();
  }
  const f = new Float32Array(n);
  f.set(scores);
  const a = new Uint32Array(f.buffer),
    b = new Uint32Array(n);
  const h0 = new Int32Array(2048),
    h1 = new Int32Array(2048),
    h2 = new Int32Array(1024);
  for (let i = 0; i < n; i++) {
    const u = a[i]!;
    // Negative floats reversed, positive ones above them: unsigned key order is numeric order.
    const k = (u & 0x80000000 ? ~u : u | 0x80000000) >>> 0;
    a[i] = k;
    h0[k & 2047]!++;
    h1[(k >>> 11) & 2047]!++;
    h2[k >>> 22]!++;
  }
  starts(h0);
  starts(h1);
  starts(h2);
  for (let i = 0; i < n; i++) {
    const k = a[i]!;
    b[h0[k & 2047]!++] = k;
  }
  for (let i = 0; i < n; i++) {
    const k = b[i]!;
    a[h1[(k >>> 11) & 2047]!++] = k;
  }
  for (let i = 0; i < n; i++) {
    const k = a[i]!;
    b[h2[k >>> 22]!++] = k;
  }
  for (let i = 0; i < n; i++) {
    const k = b[i]!;
    b[i] = k & 0x80000000 ? k & 0x7fffffff : ~k;
  }
  const out = new Float64Array(n);
  out.set(new Float32Array(b.buffer));
  return out;
}

/** Counts into start offsets, in place. */
function starts(h: Int32Array): void {
  let s = 0;
  for (let j = 0; j < h.length; j++) {
    const t = h[j]!;
    h[j] = s;
    s += t;
  }
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

/** Σ over positive–negative pairs of w⁺·w⁻·([s⁺ > s⁻] + ½[s⁺ = s⁻]) for two sorted runs. */
function pairU(p: Run, n: Run): number {
  return n.s.length === 0 ? 0 : rankSum(p, n);
}

/**
 * Σ over the rows of sorted run q of w·(weight of r's rows below its score + ½ weight of those
 * equal to it). Both runs are sorted, so one sweep: the bounds only move up, by galloping
 * (exponential then binary search), so a short q costs O(|q|·log(|r|/|q|)) and a long one O(|r|).
 */
function rankSum(q: Run, r: Run): number {
  const s = r.s,
    c = r.c,
    len = s.length,
    qs = q.s,
    qw = q.w;
  let lo = 0,
    hi = 0,
    last = NaN,
    at = 0,
    sum = 0;
  for (let i = 0; i < qs.length; i++) {
    const x = qs[i]!;
    if (x !== last) {
      lo = lowerFrom(s, x, lo, len);
      hi = upperFrom(s, x, hi > lo ? hi : lo, len);
      at = c === null ? lo + 0.5 * (hi - lo) : c[lo]! + 0.5 * (c[hi]! - c[lo]!);
      last = x;
    }
    sum += qw === null ? at : qw[i]! * at;
  }
  return sum;
}

/** First index ≥ from whose value is ≥ x (every value before `from` is < x). */
function lowerFrom(s: Float64Array, x: number, from: number, len: number): number {
  if (from >= len || s[from]! >= x) return from;
  let a = from,
    step = 1,
    b = from + 1;
  while (b < len && s[b]! < x) {
    a = b;
    step *= 2;
    b = a + step;
  }
  let l = a + 1,
    h = b < len ? b : len;
  while (l < h) {
    const mid = (l + h) >>> 1;
    if (s[mid]! < x) l = mid + 1;
    else h = mid;
  }
  return l;
}

/** First index ≥ from whose value is > x (every value before `from` is ≤ x). */
function upperFrom(s: Float64Array, x: number, from: number, len: number): number {
  if (from >= len || s[from]! > x) return from;
  let a = from,
    step = 1,
    b = from + 1;
  while (b < len && s[b]! <= x) {
    a = b;
    step *= 2;
    b = a + step;
  }
  let l = a + 1,
    h = b < len ? b : len;
  while (l < h) {
    const mid = (l + h) >>> 1;
    if (s[mid]! <= x) l = mid + 1;
    else h = mid;
  }
  return l;
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
  const na = a.s.length,
    nb = b.s.length,
    as = a.s,
    bs = b.s;
  const s = new Float64Array(na + nb);
  let i = 0,
    j = 0,
    k = 0;
  if (a.w === null && b.w === null) {
    while (i < na && j < nb) {
      const x = as[i]!,
        y = bs[j]!;
      if (x <= y) {
        s[k++] = x;
        i++;
      } else {
        s[k++] = y;
        j++;
      }
    }
    if (i < na) s.set(as.subarray(i), k);
    else if (j < nb) s.set(bs.subarray(j), k);
    return { s, w: null, c: null };
  }
  const w = new Float64Array(na + nb);
  while (i < na || j < nb) {
    if (j >= nb || (i < na && as[i]! <= bs[j]!)) {
      w[k] = weightAt(a, i);
      s[k++] = as[i++]!;
    } else {
      w[k] = weightAt(b, j);
      s[k++] = bs[j++]!;
    }
  }
  return { s, w, c: prefix(w) };
}
