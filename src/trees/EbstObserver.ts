/** Distinct values an observer keeps (plus at most one bucket per sign beyond, see update). */
const CAP = 128;
/** Buckets allocated at first: 48 bytes, small enough for V8 to keep the typed array on the heap (a 0/1 feature needs one). */
const INITIAL = 2;
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
 * TEBSTSplitter, which is not scale-free): the first `CAP` distinct values become the buckets;
 * later new values join the bucket whose range (previous key, key] holds them, so a leaf's
 * candidate thresholds are about CAP quantiles of its first rows, every one of them exact, and an
 * update past the limit is one binary search (merging buckets instead cost a memmove per row).
 *
 * Zeros are never recorded: the leaf's rows minus the rows this observer saw are the implicit
 * bucket at 0 (a sparse row leaves zeros out), so a dense row with explicit zeros and the same row
 * given sparsely give identical statistics. No bucket holds values of both signs, so that
 * bucket's place in the order is exact.
 */
export class EbstObserver {
  /** Weight and weighted target sum of the (non-zero) values observed. */
  w = 0;
  s = 0;
  size = 0;
  private buf: Float64Array;

  constructor() {
    // Tiny at first (a 0/1 feature holds one bucket; V8 keeps typed arrays this small on its heap,
    // larger ones cost an off-heap allocation each), then straight to full size: a continuous
    // feature fills CAP anyway.
    this.buf = new Float64Array(INITIAL * STRIDE);
  }

  /** Records value v (non-zero) of a row with weight w and weighted target wy = w·y. */
  update(v: number, w: number, wy: number): void {
    this.w += w;
    this.s += wy;
    const b = this.buf,
      n = this.size;
    let i = this.find(v);
    if (i < n && b[i * STRIDE] === v) {
      b[i * STRIDE + 1]! += w;
      b[i * STRIDE + 2]! += wy;
      return;
    }
    if (n >= CAP) {
      // Full: the value joins the bucket whose range holds it, which keeps every key exact (a
      // bucket's key is the largest value in it); past the last key of its sign, that bucket's key
      // moves out to v. Only the first bucket of a sign is ever added beyond CAP.
      if (v > 0) {
        if (i === n) {
          if (b[(n - 1) * STRIDE]! > 0) {
            i = n - 1;
            b[i * STRIDE] = v;
          } else i = -1;
        }
      } else if (i === n || b[i * STRIDE]! > 0) {
        if (i > 0) {
          i--;
          b[i * STRIDE] = v;
        } else i = -1;
      }
      if (i >= 0) {
        b[i * STRIDE + 1]! += w;
        b[i * STRIDE + 2]! += wy;
        return;
      }
      i = v > 0 ? n : 0;
    }
    if (n * STRIDE === b.length) this.grow();
    const c = this.buf,
      o = i * STRIDE;
    if (i < n) c.copyWithin(o + STRIDE, o, n * STRIDE);
    c[o] = v;
    c[o + 1] = w;
    c[o + 2] = wy;
    this.size = n + 1;
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
    const n = new Float64Array((CAP + 2) * STRIDE);
    n.set(this.buf);
    this.buf = n;
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
    o.buf = new Float64Array((n <= INITIAL ? INITIAL : CAP + 2) * STRIDE);
    o.buf.set(state.buckets);
    o.size = n;
    return o;
  }
}
