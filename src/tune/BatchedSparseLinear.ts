import { type FeatureMatrix, SchemaError, SpecError } from '../core/index.js';
import type { ModelState, ResolvedModelOptions } from '../learn/index.js';

// Loss codes (numbers: the loops switch on them per row), as learn's importanceUpdate numbers them.
const SQUARED = 0,
  LOGISTIC = 1,
  HINGE = 2;
// Target scaling modes, as SparseLinearModel's.
const SCALE_NONE = 0,
  SCALE_FIXED = 1,
  SCALE_AUTO = 2;
/** A feature this small counts as absent (SparseLinearModel's TINY). */
const TINY = 1e-150;
/** SparseLinearModel's bounds on the L2 scale c (and cG): outside them a renormalization pass folds them in. */
const SCALE_MIN = 1e-30,
  SCALE_MAX = 1e30;
/** Options candidates of one block may differ in; every other resolved option must be equal. */
const FREE = new Set(['lr', 'l1', 'l2', 'seed']);
const KINDS = new Set(['linear', 'logistic', 'svm']);

/**
 * K candidates of SparseLinearModel's per-row `normalized` learner (linear, logistic or svm at
 * batch size 1) that differ only in lr, l1 and l2, trained on the same rows in one pass: each row
 * is read once, and the candidates' state for a coordinate sits side by side (coordinate-major,
 * candidate-minor), so a row with nnz non-zeros touches nnz contiguous blocks.
 *
 * Every candidate does exactly what SparseLinearModel alone does, operation for operation (the
 * same floating-point expressions in the same order, so predictions and states match it bit for
 * bit): its hot loop's arithmetic (perRowLogistic) where that model would take it, perRow1's
 * otherwise. Per candidate: s, mark, v, G per coordinate and the scalars c, cG, U, tW, N (s, tW
 * and N depend on the candidate: a row whose gradient is 0 for it leaves them alone). Shared: the
 * regression target's running moments (they depend on the targets and row weights only).
 *
 * Block layout: a coordinate's block is F·A numbers (A live candidates, F = 3 fields, 4 when a
 * candidate has L1), fields in order s, v, G, mark, each A wide. Blocks are handed out on a column's
 * first non-zero (the bias is block 0): hashed inputs touch a few thousand of their 2^18 columns,
 * and K candidates' state for every column would be K times a model's memory, spread over pages
 * the TLB cannot cover. A column never seen has all-zero state (as in SparseLinearModel). `drop`
 * compacts the blocks in place, so the per-row cost follows the live count.
 *
 * Softmax is not batched: its importance-aware step integrates a gradient flow per row (Euler
 * steps whose count depends on the candidate) and its scoring pass skips zeros, not tiny values;
 * `eligible` says no to it.
 */
export class BatchedSparseLinear {
  readonly kind: 'linear' | 'logistic' | 'svm';
  readonly task: 'binary' | 'regression';
  /** Prediction columns per row and candidate (always 1: softmax is not batched). */
  readonly outputs = 1;
  private readonly options: ResolvedModelOptions[];
  private readonly loss: number;
  private readonly F: number;
  private readonly classWeights: number[] | null;
  private readonly scaleMode: number;
  private _inputs: number | null;
  private _step = 0;
  /** Live candidates; slots 0..A−1. Slot order puts the candidates that may take the hot loop's arithmetic first. */
  private A: number;
  /** Slots [0, nHot): logistic, no L1/L2 (SparseLinearModel's `hot`; c and cG stay 1). */
  private nHot: number;
  private readonly slotOf: Int32Array;
  private cand: Int32Array;
  private st = new Float64Array(0);
  /** Column → its block (−1: none yet); blocks in use (block 0 is the bias) and blocks st has room for. */
  private colSlot = new Int32Array(0);
  private used = 0;
  private cap = 0;
  // Per slot: L2 scale, gradient scale, L1 running total, Σ importance weights, Σ weighted normalized ‖x‖², and the hyperparameters.
  private c: Float64Array;
  private cG: Float64Array;
  private U: Float64Array;
  private tW: Float64Array;
  private N: Float64Array;
  private eta: Float64Array;
  private l1: Float64Array;
  private l2: Float64Array;
  /** Regression target scaling (shared: the targets' weighted running moments). */
  private mu = 0;
  private sigma = 1;
  private sW = 0;
  private M2 = 0;
  // Scratch: the row's non-zeros (block offsets, values) and one candidate's rate factors.
  private rowO = new Int32Array(64);
  private rowX = new Float64Array(64);
  private rowR = new Float64Array(64);

  /** Whether SparseLinearModel learns with these options per row with `normalized` (what this class batches). */
  static eligible(o: ResolvedModelOptions): boolean {
    return ineligible(o) === null;
  }

  /** Whether two option sets can share a block: both eligible, equal but for lr, l1, l2 and seed. */
  static fits(a: ResolvedModelOptions, b: ResolvedModelOptions): boolean {
    return ineligible(a) === null && ineligible(b) === null && differingKey(a, b) === null;
  }

  constructor(options: ResolvedModelOptions[]) {
    if (!Array.isArray(options) || options.length < 1) throw new SpecError('tune', 'a batched block needs at least one candidate');
    for (let k = 0; k < options.length; k++) {
      const why = ineligible(options[k]!);
      if (why !== null) throw new SpecError('tune', `candidate ${k} cannot be batched: ${why}`);
      const key = differingKey(options[0]!, options[k]!);
      if (key !== null)
        throw new SpecError(
          'tune',
          `candidate ${k} differs from candidate 0 in ${key} (${JSON.stringify(options[k]![key as keyof ResolvedModelOptions])} vs ${JSON.stringify(options[0]![key as keyof ResolvedModelOptions])}): a block's candidates may differ in lr, l1, l2 and seed only`,
        );
    }
    const o = options[0]!;
    this.options = options.slice();
    this.kind = o.kind as 'linear' | 'logistic' | 'svm';
    this.task = o.task as 'binary' | 'regression';
    this.loss = o.kind === 'svm' ? HINGE : o.task === 'binary' ? LOGISTIC : SQUARED;
    this.classWeights = o.classWeights;
    this.scaleMode = o.targetScale ? SCALE_FIXED : this.task === 'regression' ? SCALE_AUTO : SCALE_NONE;
    if (o.targetScale) {
      this.mu = o.targetScale.mean;
      this.sigma = o.targetScale.std;
    }
    this.F = options.some((c) => c.l1 > 0) ? 4 : 3;
    const K = options.length;
    const hot = (c: ResolvedModelOptions) => this.loss === LOGISTIC && c.l1 === 0 && c.l2 === 0 && c.classWeights === null;
    const order = [...options.keys()].filter((k) => hot(options[k]!)).concat([...options.keys()].filter((k) => !hot(options[k]!)));
    this.nHot = options.filter(hot).length;
    this.A = K;
    this.cand = Int32Array.from(order);
    this.slotOf = new Int32Array(K);
    order.forEach((k, s) => {
      this.slotOf[k] = s;
    });
    this.c = new Float64Array(K).fill(1);
    this.cG = new Float64Array(K).fill(1);
    this.U = new Float64Array(K);
    this.tW = new Float64Array(K);
    this.N = new Float64Array(K);
    this.eta = Float64Array.from(order, (k) => options[k]!.lr);
    this.l1 = Float64Array.from(order, (k) => options[k]!.l1);
    this.l2 = Float64Array.from(order, (k) => options[k]!.l2);
    this._inputs = o.inputs;
    if (this._inputs !== null) this.build(this._inputs);
  }

  /** Candidates still learning and predicting. */
  get alive(): number {
    return this.A;
  }
  /** Candidates given to the constructor (dropped ones included). */
  get candidates(): number {
    return this.options.length;
  }
  get inputs(): number | null {
    return this._inputs;
  }
  /** Rows learned so far (every live candidate has learned the same rows). */
  get step(): number {
    return this._step;
  }

  isAlive(k: number): boolean {
    return Number.isInteger(k) && k >= 0 && k < this.options.length && this.slotOf[k]! >= 0;
  }

  private build(inputs: number): void {
    this._inputs = inputs;
    this.colSlot = new Int32Array(inputs).fill(-1);
    this.cap = Math.min(inputs + 1, 4096);
    this.st = new Float64Array(this.cap * this.F * this.A);
    this.used = 1;
  }

  /** Column j's block, handed out now (st may be replaced: callers re-read it). */
  private allocate(j: number): number {
    if (this.used === this.cap) {
      const B = this.F * this.A;
      this.cap = Math.min(this._inputs! + 1, 2 * this.cap);
      const st = new Float64Array(this.cap * B);
      st.set(this.st.subarray(0, this.used * B));
      this.st = st;
    }
    this.colSlot[j] = this.used;
    return this.used++;
  }

  private check(x: FeatureMatrix): void {
    if (this._inputs === null) this.build(x.cols);
    if (x.cols !== this._inputs)
      throw new SchemaError(`batched ${this.kind} candidates take ${this._inputs} input columns, got a FeatureMatrix [${x.rows}x${x.cols}]`);
  }

  private candidate(k: number, what: string): number {
    if (!Number.isInteger(k) || k < 0 || k >= this.options.length)
      throw new SpecError('tune', `${what}: candidate ${k} is not one of the block's ${this.options.length} (0..${this.options.length - 1})`);
    const s = this.slotOf[k]!;
    if (s < 0) throw new SpecError('tune', `${what}: candidate ${k} was dropped`);
    return s;
  }

  /** Candidate k stops learning and predicting (its outputs are NaN from now on); the block is compacted. */
  drop(k: number): void {
    const sd = this.candidate(k, 'drop'),
      A = this.A,
      F = this.F,
      st = this.st;
    if (this._inputs !== null) {
      // In place, in increasing order: each value moves to an offset no larger than its own, after being read.
      let w = 0;
      for (let j = 0; j < this.used; j++)
        for (let f = 0, src = j * F * A; f < F; f++, src += A)
          for (let s = 0; s < A; s++) {
            if (s !== sd) st[w++] = st[src + s]!;
          }
      // Room for cap blocks of the new width; memory goes back once that is under half the buffer (a copy; rare).
      const len = this.cap * F * (A - 1);
      // Blocks handed out later must start at 0: clear what the compaction left behind.
      st.fill(0, w, len);
      this.st = len <= st.length / 2 ? st.slice(0, len) : st.subarray(0, len);
    }
    for (const a of [this.c, this.cG, this.U, this.tW, this.N, this.eta, this.l1, this.l2]) a.copyWithin(sd, sd + 1, A);
    this.cand.copyWithin(sd, sd + 1, A);
    this.slotOf[k] = -1;
    for (let s = sd; s < A - 1; s++) this.slotOf[this.cand[s]!] = s;
    if (sd < this.nHot) this.nHot--;
    this.A = A - 1;
  }

  /** Rejects a target or weight the loss cannot use before anything is learned (SparseLinearModel's checkRows). */
  private checkRows(x: FeatureMatrix): void {
    const t = x.targets,
      w = x.weights;
    if (!t) return;
    for (let r = 0; r < x.rows; r++) {
      const y = t[r]!;
      if (y !== y) continue;
      const ok = this.task === 'binary' ? y >= 0 && y <= 1 : Number.isFinite(y);
      if (!ok) {
        const want = this.task === 'binary' ? 'a label in [0, 1]' : 'a finite number';
        throw new SchemaError(`${this.task} target of row ${r}${x.rowIds ? ` (rowId ${x.rowIds[r]})` : ''} is ${y}, expected ${want} (or NaN: not learned)`);
      }
      if (w && !(w[r]! >= 0 && w[r]! < Infinity)) throw new SchemaError(`sample weight of row ${r} is ${w[r]}, expected a finite non-negative number`);
    }
  }

  /** Row r's importance weight: sample weight × class weight (the same for every candidate). */
  private weightOfRow(x: FeatureMatrix, r: number, y: number): number {
    let h = x.weights ? x.weights[r]! : 1;
    const cw = this.classWeights;
    if (cw) h *= cw[this.task === 'binary' ? (y >= 0.5 ? 1 : 0) : 0]!;
    return h;
  }

  /**
   * Model.testThenTrain for every candidate: `out` is rows × candidates (row-major; a candidate's
   * column keeps its constructor index). For each row, every live candidate's prediction from
   * before the row, then every live candidate learns it (a NaN target is predicted, not learned).
   * Dropped candidates' columns are NaN.
   */
  testThenTrain(x: FeatureMatrix, out: Float32Array): void {
    this.check(x);
    const K = this.options.length;
    if (out.length < x.rows * K)
      throw new SchemaError(`batched ${this.kind} candidates: testThenTrain needs ${x.rows * K} outputs (${x.rows} rows × ${K}), got ${out.length}`);
    this.checkRows(x);
    if (this.A < K) out.fill(NaN, 0, x.rows * K);
    if (this.A === 0) return;
    const fast = this.loss === LOGISTIC && x.weights === null && this.classWeights === null && this.F === 3 && x.kind !== 'dense';
    if (fast) this.perRowLogistic(x, out);
    else this.perRow(x, out);
  }

  /**
   * Every case: each candidate runs SparseLinearModel's perRow1 on the row (perRowLogistic's
   * arithmetic for slots [0, nh) when the call is CSR without sample weights, as that model
   * would), after the row's non-zeros and the shared target scaling are worked out once.
   */
  private perRow(x: FeatureMatrix, out: Float32Array): void {
    const csr = x.kind !== 'dense',
      idx = csr ? x.indices! : null,
      ip = x.indptr,
      vals = x.values,
      cols = x.cols,
      t = x.targets,
      colSlot = this.colSlot,
      A = this.A,
      B = this.F * A,
      VO = A,
      GO = 2 * A,
      MO = 3 * A,
      L = this.loss,
      regression = this.task === 'regression',
      auto = this.scaleMode === SCALE_AUTO,
      weighted = x.weights !== null || this.classWeights !== null,
      K = this.options.length,
      ob = 0,
      nh = csr && x.weights === null ? this.nHot : 0,
      cand = this.cand,
      cA = this.c,
      cGA = this.cG,
      UA = this.U,
      tWA = this.tW,
      NA = this.N,
      etaA = this.eta,
      l1A = this.l1,
      l2A = this.l2;
    let rowO = this.rowO,
      rowX = this.rowX,
      rowR = this.rowR,
      st = this.st,
      steps = 0;
    for (let r = 0; r < x.rows; r++) {
      const p0 = csr ? ip![r]! : r * cols,
        p1 = csr ? ip![r + 1]! : p0 + cols,
        jb = csr ? 0 : p0;
      if (p1 - p0 > rowO.length) {
        this.rowO = rowO = new Int32Array(2 * (p1 - p0));
        this.rowX = rowX = new Float64Array(2 * (p1 - p0));
        this.rowR = rowR = new Float64Array(2 * (p1 - p0));
      }
      let m = 0;
      for (let q = p0; q < p1; q++) {
        const xv = vals[q]!;
        if (!(xv > TINY || xv < -TINY)) continue;
        const j = idx !== null ? idx[q]! : q - jb;
        let sl = colSlot[j]!;
        if (sl < 0) {
          sl = this.allocate(j);
          st = this.st;
        }
        rowO[m] = sl * B;
        rowX[m++] = xv;
      }
      // What the row means for every candidate alike: learned or not, its weight, the target's scaling.
      let learn = false,
        y = NaN,
        h = 1;
      if (t !== null) {
        y = t[r]!;
        if (y === y) {
          h = weighted ? this.weightOfRow(x, r, y) : 1;
          learn = h > 0;
        }
      }
      const mu0 = this.mu,
        sg0 = this.sigma;
      let mu1 = mu0,
        sg1 = sg0,
        rescale = false,
        rho = 1,
        yl = y;
      if (learn) {
        steps++;
        if (regression) {
          if (auto) {
            // SparseLinearModel.rescaleTarget's moments; each candidate applies rho below.
            rescale = this.sW !== 0;
            this.sW += h;
            const dd = y - mu0;
            mu1 = mu0 + (h * dd) / this.sW;
            this.M2 += h * dd * (y - mu1);
            sg1 = this.M2 > 0 ? Math.sqrt(this.M2 / this.sW) : sg0;
            rho = sg0 / sg1;
            this.mu = mu1;
            this.sigma = sg1;
          }
          yl = (y - mu1) / sg1;
        }
      }
      const rowOut = r * K;
      for (let k = 0; k < A; k++) {
        const l1 = l1A[k]!,
          eta = etaA[k]!;
        let c = cA[k]!;
        let sum = 0;
        for (let i = 0; i < m; i++) {
          const o = rowO[i]!;
          if (l1 > 0) {
            // Lazy L1 catch-up (SparseLinearModel.catchUp) before the weight is read.
            const a = UA[k]! - st[o + MO + k]!;
            if (a > 0) {
              const v = st[o + VO + k]!;
              st[o + VO + k] = v > a ? v - a : v < -a ? v + a : 0;
            }
            st[o + MO + k] = UA[k]!;
          }
          sum += st[o + VO + k]! * rowX[i]!;
        }
        let p = c * sum + st[ob + VO + k]!,
          E = 0,
          prob = 0;
        if (regression) out[rowOut + cand[k]!] = mu0 + sg0 * p;
        else {
          E = Math.exp(p >= 0 ? -p : p);
          prob = p >= 0 ? 1 / (1 + E) : E / (1 + E);
          out[rowOut + cand[k]!] = prob;
        }
        if (!learn) continue;
        let cG = cGA[k]!,
          d: number;
        if (regression) {
          const f = mu0 + sg0 * p;
          if (auto) {
            if (rescale) {
              c *= rho;
              cG *= rho * rho;
              st[ob + VO + k] = (sg0 * st[ob + VO + k]! + mu0 - mu1) / sg1;
              if (c < SCALE_MIN || c > SCALE_MAX || cG < SCALE_MIN || cG > SCALE_MAX) {
                cA[k] = c;
                cGA[k] = cG;
                this.renormalize(k);
                c = 1;
                cG = 1;
              }
            }
            p = (f - mu1) / sg1;
          }
          d = 2 * (p - yl);
        } else if (L === LOGISTIC) d = prob - yl;
        else {
          const l = yl >= 0.5 ? 1 : -1,
            mg = 1 - l * p;
          d = mg > 0 ? -l : 0;
        }
        if (d !== 0) {
          const g2 = h * d * d;
          let nx = 1,
            ppu = 0,
            rb: number;
          if (k < nh) {
            // perRowLogistic's expressions (c = cG = 1).
            for (let i = 0; i < m; i++) {
              const o = rowO[i]!,
                xv = rowX[i]!,
                ax = xv < 0 ? -xv : xv;
              let s = st[o + k]!;
              if (ax > s) {
                if (s > 0) st[o + VO + k] = (st[o + VO + k]! * s) / ax;
                st[o + k] = s = ax;
              }
              const G = st[o + GO + k]! + g2 * xv * xv;
              st[o + GO + k] = G;
              if (G > 0) {
                const xr = xv / (s * Math.sqrt(G));
                nx += xr * xr * G;
                rowR[i] = xr;
                ppu += xv * xr;
              } else {
                nx += (xv * xv) / (s * s);
                rowR[i] = 0;
              }
            }
            const Gb = st[ob + GO + k]! + g2;
            rb = Gb > 0 ? 1 / Math.sqrt(Gb) : 0;
            st[ob + GO + k] = Gb;
          } else {
            // perRow1's: stored G is G/cG, the rate factor 1/(s·√G) is rc/(s·√stored).
            const g2s = cG === 1 ? g2 : g2 / cG,
              rc = cG === 1 ? 1 : 1 / Math.sqrt(cG);
            for (let i = 0; i < m; i++) {
              const o = rowO[i]!,
                xv = rowX[i]!,
                ax = xv < 0 ? -xv : xv;
              let s = st[o + k]!;
              if (ax > s) {
                if (s > 0) st[o + VO + k] = (st[o + VO + k]! * s) / ax;
                st[o + k] = s = ax;
              }
              const x2 = xv * xv,
                Gs = st[o + GO + k]! + g2s * x2;
              st[o + GO + k] = Gs;
              if (Gs > 0) {
                const rd = rc / (s * Math.sqrt(Gs)),
                  xr = xv * rd;
                nx += xr * xr * Gs * cG;
                rowR[i] = xr;
                ppu += xv * xr;
              } else {
                nx += x2 / (s * s);
                rowR[i] = 0;
              }
            }
            const Gb = st[ob + GO + k]! + g2s;
            rb = Gb > 0 ? rc / Math.sqrt(Gb) : 0;
            st[ob + GO + k] = Gb;
          }
          ppu += rb;
          const tW = tWA[k]! + h,
            N = NA[k]! + h * nx;
          tWA[k] = tW;
          NA[k] = N;
          const mult = Math.sqrt(tW / N);
          const u = importanceUpdate(L, p, yl, eta * h, ppu * mult, p >= 0 ? 1 / E : E) * mult;
          if (u !== 0) {
            const uc = u / c;
            for (let i = 0; i < m; i++) st[rowO[i]! + VO + k]! += uc * rowR[i]!;
            st[ob + VO + k]! += u * rb;
          }
        }
        // SparseLinearModel.regularize: one step of lazy elastic net as U and c.
        if (l1 > 0) UA[k]! += (eta * l1) / c;
        const l2 = l2A[k]!;
        if (l2 > 0) {
          c /= 1 + eta * l2;
          if (c < SCALE_MIN) {
            cA[k] = c;
            cGA[k] = cG;
            this.renormalize(k);
            c = 1;
            cG = 1;
          }
        }
        cA[k] = c;
        cGA[k] = cG;
      }
    }
    this._step += steps;
  }

  /**
   * The common case alone: logistic, CSR rows, no sample or class weights, no L1 (L2 allowed). The
   * same arithmetic as perRow without its branches on the loss, the weights and the layout, and
   * with importanceUpdate's logistic case written out for labels 0 and 1: a call that is not
   * inlined boxes its float arguments and result (heap numbers: 5 allocations per candidate and row).
   */
  private perRowLogistic(x: FeatureMatrix, out: Float32Array): void {
    const ip = x.indptr!,
      idx = x.indices!,
      vals = x.values,
      t = x.targets,
      colSlot = this.colSlot,
      A = this.A,
      B = 3 * A,
      VO = A,
      GO = 2 * A,
      K = this.options.length,
      nh = this.nHot,
      cand = this.cand,
      cA = this.c,
      tWA = this.tW,
      NA = this.N,
      etaA = this.eta,
      l2A = this.l2;
    // Literals, as in SparseLinearModel.perRowLogistic (a bundle makes module constants mutable variables).
    const tiny = 1e-150;
    let rowO = this.rowO,
      rowX = this.rowX,
      rowR = this.rowR,
      st = this.st,
      steps = 0;
    for (let r = 0; r < x.rows; r++) {
      const p0 = ip[r]!,
        p1 = ip[r + 1]!;
      if (p1 - p0 > rowO.length) {
        this.rowO = rowO = new Int32Array(2 * (p1 - p0));
        this.rowX = rowX = new Float64Array(2 * (p1 - p0));
        this.rowR = rowR = new Float64Array(2 * (p1 - p0));
      }
      let m = 0;
      for (let q = p0; q < p1; q++) {
        const xv = vals[q]!;
        if (!(xv > tiny || xv < -tiny)) continue;
        const j = idx[q]!;
        let sl = colSlot[j]!;
        if (sl < 0) {
          sl = this.allocate(j);
          st = this.st;
        }
        rowO[m] = sl * B;
        rowX[m++] = xv;
      }
      const y = t === null ? NaN : t[r]!,
        learn = y === y,
        rowOut = r * K;
      if (learn) steps++;
      for (let k = 0; k < A; k++) {
        const c = cA[k]!;
        let sum = 0;
        for (let i = 0; i < m; i++) sum += st[rowO[i]! + VO + k]! * rowX[i]!;
        const p = c * sum + st[VO + k]!,
          E = Math.exp(p >= 0 ? -p : p),
          prob = p >= 0 ? 1 / (1 + E) : E / (1 + E);
        out[rowOut + cand[k]!] = prob;
        if (!learn) continue;
        const d = prob - y;
        if (d !== 0) {
          const g2 = d * d;
          let nx = 1,
            ppu = 0,
            rb: number;
          if (k < nh) {
            // perRowLogistic's expressions (c = cG = 1).
            for (let i = 0; i < m; i++) {
              const o = rowO[i]! + k,
                xv = rowX[i]!,
                ax = xv < 0 ? -xv : xv;
              let s = st[o]!;
              if (ax > s) {
                if (s > 0) st[o + VO] = (st[o + VO]! * s) / ax;
                st[o] = s = ax;
              }
              const G = st[o + GO]! + g2 * xv * xv;
              st[o + GO] = G;
              if (G > 0) {
                const xr = xv / (s * Math.sqrt(G));
                nx += xr * xr * G;
                rowR[i] = xr;
                ppu += xv * xr;
              } else {
                nx += (xv * xv) / (s * s);
                rowR[i] = 0;
              }
            }
          } else {
            // perRow1's; without target scaling cG stays 1 (so g2s = g2, rc = 1).
            for (let i = 0; i < m; i++) {
              const o = rowO[i]! + k,
                xv = rowX[i]!,
                ax = xv < 0 ? -xv : xv;
              let s = st[o]!;
              if (ax > s) {
                if (s > 0) st[o + VO] = (st[o + VO]! * s) / ax;
                st[o] = s = ax;
              }
              const x2 = xv * xv,
                Gs = st[o + GO]! + g2 * x2;
              st[o + GO] = Gs;
              if (Gs > 0) {
                const xr = xv * (1 / (s * Math.sqrt(Gs)));
                nx += xr * xr * Gs;
                rowR[i] = xr;
                ppu += xv * xr;
              } else {
                nx += x2 / (s * s);
                rowR[i] = 0;
              }
            }
          }
          const Gb = st[GO + k]! + g2;
          rb = Gb > 0 ? 1 / Math.sqrt(Gb) : 0;
          st[GO + k] = Gb;
          ppu += rb;
          const tW = tWA[k]! + 1,
            N = NA[k]! + nx;
          tWA[k] = tW;
          NA[k] = N;
          const mult = Math.sqrt(tW / N),
            eta = etaA[k]!,
            pp = ppu * mult,
            ep = p >= 0 ? 1 / E : E;
          let u: number;
          if (y === 1 || y === 0) {
            // importanceUpdate → logisticUpdate(p, l, e^(l·p), eta, pp), expression for expression.
            const l = y === 1 ? 1 : -1,
              dl = y === 1 ? ep : 1 / ep;
            if (dl === Infinity) u = 0;
            else if (eta * pp < 1e-6) u = (l * eta) / (1 + dl);
            else {
              const z = eta * pp + l * p + dl,
                w = z >= 1 ? 0.86 * z + 0.01 : Math.exp(0.8 * z - 0.65),
                rr = z >= 1 ? z - Math.log(w) - w : 0.2 * z + 0.65 - w,
                tt = 1 + w,
                uu = 2 * tt * (tt + (2 * rr) / 3);
              u = -(l * (w * (1 + ((rr / tt) * (uu - rr)) / (uu - 2 * rr)) - z) + p) / pp;
            }
          } else u = importanceUpdate(LOGISTIC, p, y, eta, pp, ep);
          u *= mult;
          if (u !== 0) {
            const uc = u / c;
            for (let i = 0; i < m; i++) st[rowO[i]! + VO + k]! += uc * rowR[i]!;
            st[VO + k]! += u * rb;
          }
        }
        const l2 = l2A[k]!;
        if (l2 > 0) {
          const c2 = c / (1 + etaA[k]! * l2);
          cA[k] = c2;
          if (c2 < SCALE_MIN) this.renormalize(k);
        }
      }
    }
    this._step += steps;
  }

  /** SparseLinearModel.renormalize for slot k: folds c into v and cG into G, applies pending L1 (O(blocks in use); rare). */
  private renormalize(k: number): void {
    const st = this.st,
      A = this.A,
      B = this.F * A,
      c = this.c[k]!,
      cG = this.cG[k]!,
      U = this.U[k]!,
      l1 = this.l1[k]! > 0,
      MO = 3 * A;
    // The bias (block 0): G only. Columns never seen are all 0 and stay so.
    this.st[2 * A + k]! *= cG;
    for (let j = 1; j < this.used; j++) {
      const o = j * B + k;
      st[o + 2 * A]! *= cG;
      if (l1) {
        const a = U - st[o + MO]!;
        if (a > 0) {
          const v = st[o + A]!;
          st[o + A] = v > a ? v - a : v < -a ? v + a : 0;
        }
      }
      if (this.F === 4) st[o + MO] = 0;
      st[o + A]! *= c;
    }
    this.c[k] = 1;
    this.cG[k] = 1;
    this.U[k] = 0;
  }

  /**
   * Candidate k's state, exactly what `new SparseLinearModel(options[k])` would give after the same
   * rows (`modelFromState` rebuilds it, and it goes on learning as if it had been alone).
   */
  state(k: number): ModelState {
    const sk = this.candidate(k, 'state'),
      inputs = this._inputs ?? 0,
      built = this._inputs !== null,
      A = this.A,
      B = this.F * A,
      st = this.st,
      c = this.c[sk]!,
      U = this.U[sk]!,
      l1 = this.l1[sk]! > 0,
      regression = this.task === 'regression',
      sigma = this.sigma,
      flat = new Array<number>(built ? (inputs + 1) * 4 : 0).fill(0),
      w0 = new Array<number>(inputs),
      b0 = new Array<number>(inputs ? 1 : 0);
    // SparseLinearModel's layout: [s, mark, v, G] per column, the bias last.
    const put = (j: number, o: number) => {
      flat[4 * j] = st[o]!;
      flat[4 * j + 1] = this.F === 4 ? st[o + 3 * A]! : 0;
      flat[4 * j + 2] = st[o + A]!;
      flat[4 * j + 3] = st[o + 2 * A]!;
    };
    for (let j = 0; j < inputs; j++) {
      const sl = this.colSlot[j]!;
      if (sl < 0) {
        w0[j] = c * 0 * (regression ? sigma : 1);
        continue;
      }
      const o = sl * B + sk;
      put(j, o);
      // SparseLinearModel.weightOf: the pending L1 shrinkage applied, c folded in, in target units.
      let v = st[o + A]!;
      const a = U - flat[4 * j + 1]!;
      if (l1 && a > 0) v = v > a ? v - a : v < -a ? v + a : 0;
      w0[j] = c * v * (regression ? sigma : 1);
    }
    if (built) put(inputs, sk);
    if (b0.length) {
      const b = st[A + sk]!;
      b0[0] = regression ? this.mu + sigma * b : b;
    }
    const optimizer: Record<string, number[]> = { state: flat, scalars: [c, U, this.tW[sk]!, this.N[sk]!, this.cG[sk]!] };
    if (this.scaleMode !== SCALE_NONE) optimizer.target = [this.sW, this.mu, this.M2, this.sigma];
    return {
      kind: this.kind,
      task: this.task,
      inputs,
      outputs: 1,
      options: { ...this.options[k]!, inputs: this._inputs },
      params: { w0, b0 },
      optimizer,
      step: this._step,
    };
  }
}

/** Why SparseLinearModel would not run these options per row with `normalized` (null: it would). */
function ineligible(o: ResolvedModelOptions): string | null {
  if (!o || typeof o !== 'object') return 'not resolved model options';
  if (!KINDS.has(o.kind)) return `kind ${o.kind} is not batched (linear, logistic and svm are)`;
  if (o.optimizer !== 'normalized') return `optimizer ${o.optimizer} is not batched (normalized is)`;
  if (o.batchSize !== 1) return `batchSize ${o.batchSize} is not batched (per-row learning, batch size 1, is)`;
  if (o.outputs !== 1) return `outputs ${o.outputs} (one output per candidate)`;
  return null;
}

/** The first resolved option, other than lr, l1, l2 and seed, in which a and b differ (null: none). */
function differingKey(a: ResolvedModelOptions, b: ResolvedModelOptions): string | null {
  const ra = a as unknown as Record<string, unknown>,
    rb = b as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    if (FREE.has(key)) continue;
    if (JSON.stringify(ra[key]) !== JSON.stringify(rb[key])) return key;
  }
  return null;
}

// ---- learn's importanceUpdate, copied (learn/index.ts does not export it): keep them identical ----

/** W(e^x) − x (learn's wexpmx: Vowpal Wabbit's approximation). */
function wexpmx(x: number): number {
  const w = x >= 1 ? 0.86 * x + 0.01 : Math.exp(0.8 * x - 0.65);
  const r = x >= 1 ? x - Math.log(w) - w : 0.2 * x + 0.65 - w;
  const t = 1 + w,
    u = 2 * t * (t + (2 * r) / 3);
  return w * (1 + ((r / t) * (u - r)) / (u - 2 * r)) - x;
}

/** Logistic loss log(1 + e^(−l·p)), label l = ±1; d = e^(l·p). */
function logisticUpdate(p: number, l: number, d: number, scale: number, ppu: number): number {
  if (d === Infinity) return 0;
  if (scale * ppu < 1e-6) return (l * scale) / (1 + d);
  return -(l * wexpmx(scale * ppu + l * p + d) + p) / ppu;
}

/** The importance-weight aware update (learn's importanceUpdate; see its comment). */
function importanceUpdate(loss: number, p: number, y: number, scale: number, ppu: number, ep: number): number {
  if (loss === SQUARED) {
    if (scale * ppu < 1e-6) return 2 * (y - p) * scale;
    return ((y - p) * (1 - Math.exp(-2 * scale * ppu))) / ppu;
  }
  if (loss === LOGISTIC) {
    if (y === 1) return logisticUpdate(p, 1, ep, scale, ppu);
    if (y === 0) return logisticUpdate(p, -1, 1 / ep, scale, ppu);
    return y * logisticUpdate(p, 1, ep, scale, ppu) + (1 - y) * logisticUpdate(p, -1, 1 / ep, scale, ppu);
  }
  const l = y >= 0.5 ? 1 : -1;
  if (l * p >= 1) return 0;
  const err = 1 - l * p;
  return l * (scale * ppu < err ? scale : err / ppu);
}
