/** Buckets kept before a compression (which brings them down to about half). */
const CAP = 128;
/** Doubles per bucket: key, weight, weighted target sum. */
const STRIDE = 3;

export interface EbstObserverState {
  w: number;
  s: number;
  /** Buckets as [key, weight, weighted target sum, ...], ascending by key. */
  buckets: number[];
}

/** The best binary split `x ≤ threshold` one observer found; filled in place (no allocation per search). */
export interface EbstSplit {
  /** Variance reduction (Ikonomovska et al. 2011), in target units squared; −Infinity when none. */
  merit: number;
  threshold: number;
  leftW: number;
  leftS: number;
  rightW: number;
  rightS: number;
}

/**
 * The E-BST attribute observer of one numeric feature at one leaf (Ikonomovska, Gama & Džeroski,
 * "Learning model trees from evolving data streams", DMKD 2011; River's EBSTSplitter): for each
 * distinct value, the weight and weighted target sum of the rows that had it, so every threshold
 * `x ≤ v` can be scored by variance reduction in one ordered pass. Sums of squares are not kept:
 * with the leaf's totals fixed, the reduction is (S_L²/W_L + S_R²/W_R − S²/W) / W, which needs
 * only weights and sums (the squares cancel).
 *
 * Storage is a sorted, interleaved Float64Array (no tree of objects: insertion is a binary search
 * and one memmove). Size limit (a deviation; River instead rounds values to one decimal in
 * TEBSTSplitter, which is not scale-free): once `CAP` distinct values are held, adjacent buckets
 * are merged into about CAP/2 of equal weight. A merged bucket keeps its largest key, so every
 * remaining threshold is still exact; only the thresholds between merged values are lost.
 *
 * Zeros are never recorded: the leaf's rows minus the rows this observer saw are the implicit
 * bucket at 0 (a sparse row leaves zeros out), so a dense row with explicit zeros and the same row
 * given sparsely give identical statistics. Buckets never merge across 0, so that bucket's place
 * in the order is exact.
 */
export class EbstObserver {
  /** Weight and weighted target sum of the (non-zero) values observed. */
  w = 0;
  s = 0;
  size = 0;
  private buf: Float64Array;

  constructor() {
    this.buf = new Float64Array(8 * STRIDE);
  }

  /** Records value v (non-zero) of a row with weight w and weighted target wy = w·y. */
  update(v: number, w: number, wy: number): void {
    this.w += w;
    this.s += wy;
    let i = this.find(v);
    const b = this.buf;
    if (i < this.size && b[i * STRIDE] === v) {
      b[i * STRIDE + 1]! += w;
      b[i * STRIDE + 2]! += wy;
      return;
    }
    if (this.size === CAP) {
      this.compress();
      i = this.find(v);
      if (i < this.size && b[i * STRIDE] === v) {
        b[i * STRIDE + 1]! += w;
        b[i * STRIDE + 2]! += wy;
        return;
      }
    } else if (this.size * STRIDE === b.length) this.grow();
    const c = this.buf,
      o = i * STRIDE;
    if (i < this.size) c.copyWithin(o + STRIDE, o, this.size * STRIDE);
    c[o] = v;
    c[o + 1] = w;
    c[o + 2] = wy;
    this.size++;
  }

  /** The first bucket whose key is ≥ v. */
  private find(v: number): number {
    const b = this.buf;
    let lo = 0,
      hi = this.size;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (b[m * STRIDE]! < v) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  private grow(): void {
    const n = new Float64Array(Math.min(CAP * STRIDE, this.buf.length * 2));
    n.set(this.buf);
    this.buf = n;
  }

  /** Merges adjacent buckets (never across 0) into about CAP/2 of equal weight. */
  private compress(): void {
    const b = this.buf,
      n = this.size,
      target = this.w / (CAP / 2);
    let out = 0,
      acc = 0;
    for (let i = 0; i < n; i++) {
      const o = i * STRIDE,
        key = b[o]!,
        w = b[o + 1]!,
        s = b[o + 2]!;
      const q = out * STRIDE;
      if (acc === 0) {
        b[q] = key;
        b[q + 1] = w;
        b[q + 2] = s;
      } else {
        b[q] = key;
        b[q + 1]! += w;
        b[q + 2]! += s;
      }
      acc += w;
      const next = i + 1 < n ? b[o + STRIDE]! : 0;
      // Close this output bucket when it holds its share, at the last bucket, or before crossing 0.
      if (acc >= target || i + 1 === n || (key < 0 && next > 0)) {
        out++;
        acc = 0;
      }
    }
    this.size = out;
  }

  /**
   * Scores every threshold against the leaf's totals (weight W, target sum S of the rows it
   * observed since this observer started; the rows not seen here are the implicit bucket at 0) and
   * writes the best split with both sides' weight ≥ minW into `res` (merit −Infinity when none).
   */
  bestSplit(W: number, S: number, minW: number, res: EbstSplit): void {
    res.merit = -Infinity;
    if (!(W > 0)) return;
    let zw = W - this.w,
      zs = S - this.s;
    // W and this.w sum the same weights in another order: a tiny difference is rounding, not rows.
    if (zw <= W * 1e-12) {
      zw = 0;
      zs = 0;
    }
    const b = this.buf,
      n = this.size,
      base = (S * S) / W;
    let lw = 0,
      ls = 0,
      best = 0,
      zeroDone = zw === 0;
    for (let i = 0; i <= n; i++) {
      let key: number;
      if (!zeroDone && (i === n || b[i * STRIDE]! > 0)) {
        zeroDone = true;
        key = 0;
        lw += zw;
        ls += zs;
        i--;
      } else {
        if (i === n) break;
        const o = i * STRIDE;
        key = b[o]!;
        lw += b[o + 1]!;
        ls += b[o + 2]!;
      }
      const rw = W - lw;
      if (lw < minW || rw < minW) continue;
      const rs = S - ls,
        gain = (ls * ls) / lw + (rs * rs) / rw - base;
      if (gain > best || res.merit === -Infinity) {
        best = gain;
        res.merit = gain / W;
        res.threshold = key;
        res.leftW = lw;
        res.leftS = ls;
        res.rightW = rw;
        res.rightS = rs;
      }
    }
  }

  toJSON(): EbstObserverState {
    return { w: this.w, s: this.s, buckets: Array.from(this.buf.subarray(0, this.size * STRIDE)) };
  }

  static fromJSON(state: EbstObserverState): EbstObserver {
    const o = new EbstObserver();
    o.w = state.w;
    o.s = state.s;
    const n = state.buckets.length / STRIDE;
    o.buf = new Float64Array(Math.max(8, Math.min(CAP, 1 << Math.ceil(Math.log2(Math.max(1, n))))) * STRIDE);
    o.buf.set(state.buckets);
    o.size = n;
    return o;
  }
}
