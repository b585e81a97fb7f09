import type { Rng } from '../core/index.js';
import { ForestTree } from './ForestTree.js';

/** What a ForestTreeBuilder grows trees on: binned features, targets and the split rules. */
export interface ForestTreeData {
  rows: number;
  inputs: number;
  /** Bin indexes, row-major (HistogramBinner.transform). */
  binned: Uint16Array;
  /** Bins per feature. */
  bins: Int32Array;
  /** Thresholds per feature: "bin ≤ b" is "x ≤ thresholds[f][b]". */
  thresholds: Float64Array[];
  /** Classification: the class count (targets in `labels`); 0 for regression (targets in `y`). */
  classes: number;
  labels: Int32Array;
  y: Float64Array;
  criterion: 'gini' | 'entropy' | 'squaredError';
  maxFeatures: number;
  /** 0 = unlimited. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
}

/**
 * Grows one CART tree (Breiman et al. 1984) the way scikit-learn's DepthFirstTreeBuilder and
 * BestSplitter do for a random forest (Breiman 2001): at each node `maxFeatures` features are drawn
 * without replacement (more when all drawn ones are constant in the node, as scikit-learn does), the
 * best split of each is found over its histogram bins by the weighted impurity decrease (Gini,
 * entropy or squared error), and the node is split unless it is pure, holds fewer than
 * `minSamplesSplit` distinct rows, is at `maxDepth`, or no split leaves `minSamplesLeaf` distinct
 * rows on each side. Weights (bootstrap counts × sample weights) weigh every statistic; rows of
 * weight 0 are left out, as scikit-learn leaves them out of a tree's samples.
 *
 * One builder holds the scratch buffers for a forest's trees: per-node row ranges are partitions of
 * one index array, and histograms are cleared through the bins a node touched, so a small node costs
 * its rows, not the bin count.
 */
export class ForestTreeBuilder {
  private readonly idx: Int32Array;
  private readonly tmp: Int32Array;
  private readonly feats: Int32Array;
  /** Per-bin class weights (classification) or weight sums and weighted target sums (regression). */
  private readonly hist: Float64Array;
  private readonly hsum: Float64Array;
  private readonly cnt: Int32Array;
  private readonly touched: Int32Array;
  private readonly node: Float64Array;
  private readonly left: Float64Array;
  private readonly importance: Float64Array;
  /** The node's rows' weights, weighted targets and labels at their positions in idx (read in sequence by every feature's scan). */
  private readonly gw: Float64Array;
  private readonly gy: Float64Array;
  private readonly gl: Int32Array;
  /** Outputs of nodeStats, bestSplit and the scans (fields, so the hot path allocates nothing). */
  private nodeWeight = 0;
  private nodeImpurity = 0;
  private splitBin = -1;

  constructor(private readonly d: ForestTreeData) {
    const width = Math.max(d.classes, 1);
    this.idx = new Int32Array(d.rows);
    this.tmp = new Int32Array(d.rows);
    this.feats = new Int32Array(d.inputs);
    for (let f = 0; f < d.inputs; f++) this.feats[f] = f;
    let most = 1;
    for (let f = 0; f < d.inputs; f++) most = Math.max(most, d.bins[f]!);
    this.hist = new Float64Array(most * width);
    this.hsum = new Float64Array(most);
    this.cnt = new Int32Array(most);
    this.touched = new Int32Array(most);
    this.node = new Float64Array(width);
    this.left = new Float64Array(width);
    this.importance = new Float64Array(d.inputs);
    this.gw = new Float64Array(d.rows);
    this.gy = new Float64Array(d.classes > 0 ? 0 : d.rows);
    this.gl = new Int32Array(d.classes > 0 ? d.rows : 0);
  }

  /**
   * Grows a tree on the rows of weight > 0 in `w` (length rows), drawing features with `rng`; adds
   * the tree's impurity decreases per feature, normalized to sum 1 as scikit-learn's
   * `Tree.compute_feature_importances`, into `importances`.
   */
  build(w: Float64Array, rng: Rng, importances: Float64Array): ForestTree {
    const d = this.d,
      idx = this.idx,
      C = d.classes,
      nodeStat = this.node,
      imp = this.importance;
    imp.fill(0);
    let n0 = 0;
    for (let i = 0; i < d.rows; i++) if (w[i]! > 0) idx[n0++] = i;
    const feature: number[] = [],
      threshold: number[] = [],
      lefts: number[] = [],
      rights: number[] = [],
      value: number[] = [],
      values: number[] = [];
    // The stack of nodes to grow: start, end, depth, parent node (−1 at the root), side (0 left, 1 right).
    const stack: number[] = [0, n0, 0, -1, 0];
    let maxDepth = 0,
      rootWeight = 0;
    while (stack.length > 0) {
      const side = stack.pop()!,
        parent = stack.pop()!,
        depth = stack.pop()!,
        end = stack.pop()!,
        start = stack.pop()!;
      const id = feature.length;
      if (parent >= 0) (side === 0 ? lefts : rights)[parent] = id;
      if (depth > maxDepth) maxDepth = depth;
      this.nodeStats(w, start, end);
      const weight = this.nodeWeight,
        impurity = this.nodeImpurity;
      if (parent < 0) rootWeight = weight;
      else imp[feature[parent]!] = imp[feature[parent]!]! - weight * impurity;
      const n = end - start;
      // Pure: class impurities are scale-free; a target variance is 0 exactly when all targets are equal.
      const pure = C > 0 ? impurity <= 1e-12 : impurity <= 0;
      let leaf = (d.maxDepth > 0 && depth >= d.maxDepth) || n < d.minSamplesSplit || n < 2 * d.minSamplesLeaf || pure || n0 === 0;
      let split = -1,
        bin = -1;
      if (!leaf) {
        split = this.bestSplit(start, end, weight, rng);
        bin = this.splitBin;
        leaf = split < 0;
      }
      feature.push(leaf ? -1 : split);
      threshold.push(leaf ? 0 : d.thresholds[split]![bin]!);
      lefts.push(-1);
      rights.push(-1);
      if (leaf) {
        value.push(values.length);
        if (C > 0) for (let c = 0; c < C; c++) values.push(weight > 0 ? nodeStat[c]! / weight : 1 / C);
        else values.push(weight > 0 ? nodeStat[0]! / weight : 0);
        continue;
      }
      value.push(-1);
      imp[split] = imp[split]! + weight * impurity;
      const mid = this.partition(split, bin, start, end);
      // Right pushed first: the left child is grown first (pre-order, as scikit-learn numbers nodes).
      stack.push(mid, end, depth + 1, id, 1, start, mid, depth + 1, id, 0);
    }
    let total = 0;
    for (let f = 0; f < d.inputs; f++) total += imp[f]!;
    if (total > 0 && rootWeight > 0) for (let f = 0; f < d.inputs; f++) importances[f] = importances[f]! + imp[f]! / total;
    return new ForestTree(
      Int32Array.from(feature),
      Float64Array.from(threshold),
      Int32Array.from(lefts),
      Int32Array.from(rights),
      Int32Array.from(value),
      Float64Array.from(values),
      maxDepth,
    );
  }

  /** The node's weight, its class weights (or weighted target sum) in `node`, and its impurity. */
  private nodeStats(w: Float64Array, start: number, end: number): void {
    const d = this.d,
      idx = this.idx,
      s = this.node,
      C = d.classes;
    s.fill(0);
    let weight = 0;
    if (C > 0) {
      const labels = d.labels,
        gw = this.gw,
        gl = this.gl;
      for (let k = start; k < end; k++) {
        const i = idx[k]!,
          wi = w[i]!,
          c = labels[i]!;
        gw[k] = wi;
        gl[k] = c;
        s[c] = s[c]! + wi;
        weight += wi;
      }
      this.nodeWeight = weight;
      this.nodeImpurity = weight > 0 ? classImpurity(s, C, weight, d.criterion === 'entropy') / weight : 0;
      return;
    }
    const y = d.y,
      gw = this.gw,
      gy = this.gy;
    let sum = 0,
      lo = Number.POSITIVE_INFINITY,
      hi = Number.NEGATIVE_INFINITY;
    for (let k = start; k < end; k++) {
      const i = idx[k]!,
        wi = w[i]!,
        yi = y[i]!,
        wy = wi * yi;
      gw[k] = wi;
      gy[k] = wy;
      weight += wi;
      sum += wy;
      if (yi < lo) lo = yi;
      if (yi > hi) hi = yi;
    }
    s[0] = sum;
    this.nodeWeight = weight;
    this.nodeImpurity = 0;
    // Pure when every target is equal (a variance threshold would depend on the targets' scale).
    if (weight <= 0 || lo === hi) return;
    // Two passes: the variance of nearly equal targets would cancel to noise in one.
    const mean = sum / weight;
    let ss = 0;
    for (let k = start; k < end; k++) {
      const i = idx[k]!,
        e = y[i]! - mean;
      ss += w[i]! * e * e;
    }
    // Kept above 0 so that a node of unequal targets is never taken for pure.
    this.nodeImpurity = Math.max(ss / weight, Number.MIN_VALUE);
  }

  /** The feature of the best split of the node's rows (its bin in splitBin), or −1 when none is valid. */
  private bestSplit(start: number, end: number, weight: number, rng: Rng): number {
    const d = this.d,
      feats = this.feats,
      inputs = d.inputs;
    let bestCost = Number.POSITIVE_INFINITY,
      bestF = -1,
      bestB = -1,
      visited = 0,
      nonConstant = 0;
    for (let j = 0; j < inputs; j++) {
      // Draw without replacement: a partial Fisher–Yates over the persistent feature order.
      const r = j + rng.int(inputs - j),
        f = feats[r]!;
      feats[r] = feats[j]!;
      feats[j] = f;
      visited++;
      const cost = d.classes > 0 ? this.scanClasses(f, start, end, weight) : this.scanRegression(f, start, end, weight);
      if (!Number.isNaN(cost)) {
        nonConstant++;
        if (cost < bestCost) {
          bestCost = cost;
          bestF = f;
          bestB = this.splitBin;
        }
      }
      // Keep drawing past maxFeatures only while every feature drawn was constant here.
      if (visited >= d.maxFeatures && nonConstant > 0) break;
    }
    this.splitBin = bestB;
    return bestF;
  }

  /** Fills the histogram of feature f over the node; returns the touched-bin count, the bins in `touched`. */
  private fill(f: number, start: number, end: number): number {
    const d = this.d,
      idx = this.idx,
      binned = d.binned,
      stride = d.inputs,
      cnt = this.cnt,
      touched = this.touched,
      hist = this.hist;
    const gw = this.gw;
    let nt = 0;
    if (d.classes > 0) {
      const C = d.classes,
        gl = this.gl;
      for (let k = start; k < end; k++) {
        const b = binned[idx[k]! * stride + f]!;
        if (cnt[b] === 0) touched[nt++] = b;
        cnt[b]!++;
        const h = b * C + gl[k]!;
        hist[h] = hist[h]! + gw[k]!;
      }
    } else {
      const gy = this.gy,
        hsum = this.hsum;
      for (let k = start; k < end; k++) {
        const b = binned[idx[k]! * stride + f]!;
        if (cnt[b] === 0) touched[nt++] = b;
        cnt[b]!++;
        hist[b] = hist[b]! + gw[k]!;
        hsum[b] = hsum[b]! + gy[k]!;
      }
    }
    // Bins in ascending order: a short list by insertion, a dense one by a scan of its range, else natively.
    if (nt <= 16) {
      for (let a = 1; a < nt; a++) {
        const v = touched[a]!;
        let b = a - 1;
        while (b >= 0 && touched[b]! > v) {
          touched[b + 1] = touched[b]!;
          b--;
        }
        touched[b + 1] = v;
      }
    } else {
      let lo = 65535,
        hi = 0;
      for (let t = 0; t < nt; t++) {
        const b = touched[t]!;
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
      if (hi - lo < 16 * nt) {
        let m = 0;
        for (let b = lo; b <= hi; b++) if (cnt[b]! > 0) touched[m++] = b;
      } else touched.subarray(0, nt).sort();
    }
    return nt;
  }

  private clear(nt: number, width: number): void {
    const touched = this.touched,
      cnt = this.cnt,
      hist = this.hist,
      hsum = this.hsum;
    for (let t = 0; t < nt; t++) {
      const b = touched[t]!;
      cnt[b] = 0;
      if (width === 0) {
        hist[b] = 0;
        hsum[b] = 0;
      } else for (let h = b * width, e = h + width; h < e; h++) hist[h] = 0;
    }
  }

  /**
   * Classification: the lowest Σ children weight × impurity over the bins of f (its bin in splitBin;
   * +∞ when no split leaves minSamplesLeaf rows a side), NaN when f is constant in the node.
   */
  private scanClasses(f: number, start: number, end: number, weight: number): number {
    const nt = this.fill(f, start, end);
    const C = this.d.classes;
    if (nt < 2) {
      this.clear(nt, C);
      return Number.NaN;
    }
    const touched = this.touched,
      cnt = this.cnt,
      hist = this.hist,
      node = this.node,
      left = this.left,
      entropy = this.d.criterion === 'entropy',
      minLeaf = this.d.minSamplesLeaf,
      n = end - start;
    left.fill(0);
    let nl = 0,
      wl = 0,
      best = Number.POSITIVE_INFINITY,
      bestB = -1;
    for (let t = 0; t < nt - 1; t++) {
      const b = touched[t]!;
      nl += cnt[b]!;
      for (let c = 0; c < C; c++) {
        const h = hist[b * C + c]!;
        left[c] = left[c]! + h;
        wl += h;
      }
      if (nl < minLeaf) continue;
      if (n - nl < minLeaf) break;
      const wr = weight - wl;
      let cost: number;
      if (entropy) {
        cost = classImpurity(left, C, wl, true);
        let r = 0,
          sr = 0;
        for (let c = 0; c < C; c++) {
          const v = node[c]! - left[c]!;
          if (v > 0) r -= v * Math.log(v);
          sr += v;
        }
        cost += sr > 0 ? r + sr * Math.log(sr) : 0;
      } else {
        let ql = 0,
          qr = 0;
        for (let c = 0; c < C; c++) {
          const a = left[c]!,
            v = node[c]! - a;
          ql += a * a;
          qr += v * v;
        }
        cost = wl - ql / wl + (wr > 0 ? wr - qr / wr : 0);
      }
      if (cost < best) {
        best = cost;
        bestB = b;
      }
    }
    this.clear(nt, C);
    this.splitBin = bestB;
    return best;
  }

  /** Regression: the lowest children squared error (as −Σ S²/W, the rest being constant) over the bins of f; as scanClasses. */
  private scanRegression(f: number, start: number, end: number, weight: number): number {
    const nt = this.fill(f, start, end);
    if (nt < 2) {
      this.clear(nt, 0);
      return Number.NaN;
    }
    const touched = this.touched,
      cnt = this.cnt,
      hist = this.hist,
      hsum = this.hsum,
      total = this.node[0]!,
      minLeaf = this.d.minSamplesLeaf,
      n = end - start;
    let nl = 0,
      wl = 0,
      sl = 0,
      best = Number.POSITIVE_INFINITY,
      bestB = -1;
    for (let t = 0; t < nt - 1; t++) {
      const b = touched[t]!;
      nl += cnt[b]!;
      wl += hist[b]!;
      sl += hsum[b]!;
      if (nl < minLeaf) continue;
      if (n - nl < minLeaf) break;
      const wr = weight - wl,
        sr = total - sl;
      const cost = -(sl * sl) / wl - (wr > 0 ? (sr * sr) / wr : 0);
      if (cost < best) {
        best = cost;
        bestB = b;
      }
    }
    this.clear(nt, 0);
    this.splitBin = bestB;
    return best;
  }

  /** Moves the node's rows with bin ≤ `bin` on feature f before the others (stable); returns where the right part starts. */
  private partition(f: number, bin: number, start: number, end: number): number {
    const idx = this.idx,
      tmp = this.tmp,
      binned = this.d.binned,
      stride = this.d.inputs;
    let l = start,
      r = 0;
    for (let k = start; k < end; k++) {
      const i = idx[k]!;
      if (binned[i * stride + f]! <= bin) idx[l++] = i;
      else tmp[r++] = i;
    }
    for (let k = 0; k < r; k++) idx[l + k] = tmp[k]!;
    return l;
  }
}

/** Weight × impurity of class weights s (total `weight`): W − Σ s²/W (Gini) or W ln W − Σ s ln s (entropy, in nats). */
function classImpurity(s: Float64Array, C: number, weight: number, entropy: boolean): number {
  if (weight <= 0) return 0;
  let q = 0;
  if (entropy) {
    for (let c = 0; c < C; c++) {
      const v = s[c]!;
      if (v > 0) q -= v * Math.log(v);
    }
    return q + weight * Math.log(weight);
  }
  for (let c = 0; c < C; c++) q += s[c]! * s[c]!;
  return weight - q / weight;
}
