import { type FeatureMatrix, SchemaError } from '../core/index.js';
import { HINGE, importanceUpdate, LOGISTIC, SQUARED } from './importanceUpdate.js';
import type { Model, ModelKind, ModelState, Task } from './Model.js';
import type { ResolvedModelOptions } from './resolveModelOptions.js';

// Loss codes beyond importanceUpdate's (numbers: the loop switches on them per row).
const SOFTMAX = 3,
  PASSIVE = 4;
// Optimizer codes.
const NORMALIZED = 0,
  FTRL = 1,
  PA = 2;
// Target scaling modes.
const SCALE_NONE = 0,
  SCALE_FIXED = 1,
  SCALE_AUTO = 2;

/** A feature this small counts as absent: its square would underflow the adaptive state to 0. */
const TINY = 1e-150;
/** The L2 scale c is folded into the weights (one O(weights) pass, rare) when it leaves [1e-30, 1e30]. */
const SCALE_MIN = 1e-30,
  SCALE_MAX = 1e30;
/**
 * Softmax has no closed-form importance-aware step: its gradient flow is integrated by explicit
 * Euler steps that each move a logit by at most 0.5 per unit residual (stable: the softmax
 * Jacobian's eigenvalues are ≤ 1/2), at most 16 of them (early rows only need more; the cap
 * makes those a bounded step).
 */
const FLOW_DT = 0.5,
  FLOW_STEPS = 16;
/** Fold the running product of (1 + e^−|p|) factors into the log-loss sum before it overflows. */
const PROD_MAX = 1e250;

/**
 * The linear family learned per row on the host, in O(non-zeros of the row) whatever the input
 * width: linear (squared loss), logistic, softmax (one weight vector per class), svm (hinge),
 * passive-aggressive (PA, PA-I, PA-II; binary and regression), with the `normalized` optimizer
 * (adaptive, normalized and importance-weight aware, Vowpal Wabbit's default; see docs/learn.md)
 * or FTRL-Proximal (McMahan et al. 2013), or PA's closed form.
 *
 * State: one Float64Array with every coordinate's values side by side (cache locality: a row
 * touches each of its coordinates once per pass). normalized: [s, mark, (v, G) per class] with
 * s the largest |x| seen, G the sum of squared gradients, v the weight divided by the global L2
 * scale c, and mark the L1 total already applied (lazy catch-up against the running total U).
 * ftrl: (z, n) per class; the weights are a function of them. PA: v. The bias is the coordinate
 * after the last input (a constant feature 1), never regularized under normalized.
 *
 * Batch size 1 updates per row (normalized: the importance-aware closed form). A batch size b > 1
 * scores b rows with the weights from before them and makes one step from the mean over the
 * learned rows of importance-weighted gradients. A NaN target is predicted, not learned.
 */
export class SparseLinearModel implements Model {
  readonly kind: ModelKind;
  readonly task: Task;
  readonly outputs: number;
  readonly backendName = 'cpu';
  readonly adapter: string;
  private readonly K: number;
  private readonly S: number;
  private readonly opt: number;
  private readonly loss: number;
  private readonly eta: number;
  private readonly l1: number;
  private readonly l2: number;
  private _inputs: number | null;
  private _step = 0;
  private st = new Float64Array(0);
  /** normalized: the L2 scale (w = c·v), the L1 running total, Σ importance weights, Σ weighted normalized ‖x‖². */
  private c = 1;
  private U = 0;
  /** normalized: G = cG·(stored G); auto target scaling rescales the squared gradients with the target's units. */
  private cG = 1;
  private tW = 0;
  private N = 0;
  /** Regression target scaling: learn on (y − mu)/sigma; auto keeps weighted running moments (sW, M2). */
  private scaleMode: number;
  private mu = 0;
  private sigma = 1;
  private sW = 0;
  private M2 = 0;
  /** The last learn/testThenTrain call's Σ h·loss (plus log of lossProd) and Σ h. */
  private lossSum = 0;
  private lossProd = 1;
  private lossW = 0;
  // Scratch (no allocation per row): scores, per-class prediction change, updates, flow state.
  private z: Float64Array;
  private ppu: Float64Array;
  private u: Float64Array;
  private fz: Float64Array;
  // Mini-batch accumulators: per coordinate [g per class, Σh·x², max |x|], the touched list, raw scores.
  private acc = new Float64Array(0);
  private mark = new Uint8Array(0);
  private touched = new Int32Array(0);
  private raw = new Float64Array(0);
  private outBuf = new Float32Array(0);
  // A row's non-zeros in the per-row loop: state offsets, values, rate factors.
  private rowO = new Int32Array(64);
  private rowX = new Float64Array(64);
  private rowR = new Float64Array(64);
  /** The hot case has a loop of its own (perRowLogistic): logistic, normalized, no L1/L2, no class weights. */
  private readonly hot: boolean;

  get batchSize(): number {
    return this.options.batchSize;
  }

  /** Whether these options run here: passive-aggressive, and the linear kinds with optimizer normalized or ftrl. */
  static fits(o: ResolvedModelOptions): boolean {
    return o.kind === 'passiveAggressive' || (o.kind !== 'mlp' && (o.optimizer === 'normalized' || o.optimizer === 'ftrl'));
  }

  constructor(readonly options: ResolvedModelOptions) {
    if (!SparseLinearModel.fits(options))
      throw new SchemaError(
        `SparseLinearModel runs passiveAggressive, or a linear kind with optimizer normalized or ftrl; got ${options.kind} with ${options.optimizer}`,
      );
    this.kind = options.kind;
    this.task = options.task;
    this.outputs = options.outputs;
    this.K = options.outputs;
    this.opt = options.kind === 'passiveAggressive' ? PA : options.optimizer === 'ftrl' ? FTRL : NORMALIZED;
    this.loss =
      options.kind === 'passiveAggressive'
        ? PASSIVE
        : options.kind === 'softmax'
          ? SOFTMAX
          : options.kind === 'svm'
            ? HINGE
            : options.task === 'binary'
              ? LOGISTIC
              : SQUARED;
    this.S = this.opt === NORMALIZED ? 2 + 2 * this.K : this.opt === FTRL ? 2 * this.K : 1;
    this.eta = options.lr;
    this.l1 = options.l1;
    this.l2 = options.l2;
    const ts = options.targetScale;
    this.scaleMode = ts ? SCALE_FIXED : this.task === 'regression' && this.opt === NORMALIZED ? SCALE_AUTO : SCALE_NONE;
    if (ts) {
      this.mu = ts.mean;
      this.sigma = ts.std;
    }
    this.hot = this.opt === NORMALIZED && this.loss === LOGISTIC && this.l1 === 0 && this.l2 === 0 && options.classWeights === null;
    this.adapter = `host (${this.opt === NORMALIZED ? 'normalized adaptive' : this.opt === FTRL ? 'FTRL-Proximal' : 'passive-aggressive'}, per-row sparse)`;
    this.z = new Float64Array(this.K);
    this.ppu = new Float64Array(this.K);
    this.u = new Float64Array(this.K);
    this.fz = new Float64Array(this.K);
    this._inputs = options.inputs;
    if (this._inputs !== null) this.build(this._inputs);
  }

  get inputs(): number | null {
    return this._inputs;
  }
  get step(): number {
    return this._step;
  }

  private build(inputs: number): void {
    this._inputs = inputs;
    this.st = new Float64Array((inputs + 1) * this.S);
  }

  private check(x: FeatureMatrix): void {
    if (this._inputs === null) this.build(x.cols);
    if (x.cols !== this._inputs) throw new SchemaError(`${this.kind} model takes ${this._inputs} input columns, got a FeatureMatrix [${x.rows}x${x.cols}]`);
  }

  // ---- weights -------------------------------------------------------------------------------

  /** FTRL-Proximal's weight from (z, n) at st[o], st[o + 1]. */
  private ftrlWeight(o: number): number {
    const z = this.st[o]!;
    if (z <= this.l1 && z >= -this.l1) return 0;
    return -(z - (z > 0 ? this.l1 : -this.l1)) / ((this.options.ftrlBeta + Math.sqrt(this.st[o + 1]!)) / this.eta + this.l2);
  }

  /** normalized: applies the L1 shrinkage coordinate j missed since it was last touched (v-space amount U − mark). */
  private catchUp(j: number): void {
    const st = this.st,
      o = j * this.S,
      a = this.U - st[o + 1]!;
    if (a > 0) {
      for (let k = 0, q = o + 2; k < this.K; k++, q += 2) {
        const v = st[q]!;
        st[q] = v > a ? v - a : v < -a ? v + a : 0;
      }
    }
    st[o + 1] = this.U;
  }

  /** The effective weight of class k at coordinate j < inputs, in learning units (no mutation). */
  private weightOf(j: number, k: number): number {
    const st = this.st,
      o = j * this.S;
    if (this.opt === FTRL) return this.ftrlWeight(o + 2 * k);
    if (this.opt === PA) return st[o]!;
    let v = st[o + 2 + 2 * k]!;
    const a = this.U - st[o + 1]!;
    if (this.l1 > 0 && a > 0) v = v > a ? v - a : v < -a ? v + a : 0;
    return this.c * v;
  }

  private biasOf(k: number): number {
    const o = this._inputs! * this.S;
    return this.opt === FTRL ? this.ftrlWeight(o + 2 * k) : this.opt === PA ? this.st[o]! : this.st[o + 2 + 2 * k]!;
  }

  // ---- scores --------------------------------------------------------------------------------

  /**
   * Raw scores of one row into this.z (learning units). The row's values are vals[p0..p1), at
   * columns idx[p] (CSR) or p − jb (dense, idx null).
   */
  private score(vals: Float32Array, idx: Int32Array | null, p0: number, p1: number, jb: number): void {
    const st = this.st,
      S = this.S,
      K = this.K,
      z = this.z,
      b = this._inputs! * S;
    for (let k = 0; k < K; k++) z[k] = 0;
    if (this.opt === NORMALIZED) {
      const l1 = this.l1 > 0;
      for (let p = p0; p < p1; p++) {
        const x = vals[p]!;
        if (x === 0) continue;
        const j = idx !== null ? idx[p]! : p - jb;
        if (l1) this.catchUp(j);
        const o = j * S + 2;
        if (K === 1) z[0]! += st[o]! * x;
        else for (let k = 0; k < K; k++) z[k]! += st[o + 2 * k]! * x;
      }
      for (let k = 0; k < K; k++) z[k] = this.c * z[k]! + st[b + 2 + 2 * k]!;
    } else if (this.opt === FTRL) {
      for (let p = p0; p < p1; p++) {
        const x = vals[p]!;
        if (x === 0) continue;
        const o = (idx !== null ? idx[p]! : p - jb) * S;
        for (let k = 0; k < K; k++) z[k]! += this.ftrlWeight(o + 2 * k) * x;
      }
      for (let k = 0; k < K; k++) z[k]! += this.ftrlWeight(b + 2 * k);
    } else {
      let s = st[b]!;
      for (let p = p0; p < p1; p++) {
        const x = vals[p]!;
        if (x !== 0) s += st[idx !== null ? idx[p]! : p - jb]! * x;
      }
      z[0] = s;
    }
  }

  /** Writes row r's prediction from this.z: P(y=1), class probabilities, or a value in target units. */
  private emit(out: Float32Array, r: number): void {
    const z = this.z,
      K = this.K;
    if (this.task === 'regression') out[r] = this.mu + this.sigma * z[0]!;
    else if (K === 1) out[r] = 1 / (1 + Math.exp(-z[0]!));
    else {
      let m = z[0]!;
      for (let k = 1; k < K; k++) if (z[k]! > m) m = z[k]!;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(z[k]! - m);
      const o = r * K;
      for (let k = 0; k < K; k++) out[o + k] = Math.exp(z[k]! - m) / sum;
    }
  }

  // ---- public API ----------------------------------------------------------------------------

  async predict(x: FeatureMatrix): Promise<Float32Array> {
    this.check(x);
    const out = new Float32Array(x.rows * this.K),
      csr = x.kind !== 'dense',
      idx = csr ? x.indices! : null;
    for (let r = 0; r < x.rows; r++) {
      const p0 = csr ? x.indptr![r]! : r * x.cols,
        p1 = csr ? x.indptr![r + 1]! : p0 + x.cols;
      this.score(x.values, idx, p0, p1, csr ? 0 : p0);
      this.emit(out, r);
    }
    return out;
  }

  async learn(x: FeatureMatrix): Promise<void> {
    if (!x.targets) throw new SchemaError(`${this.kind} model: learn needs a FeatureMatrix with targets`);
    if (this.outBuf.length < x.rows * this.K) this.outBuf = new Float32Array(x.rows * this.K);
    this.testThenTrain(x, this.outBuf);
  }

  testThenTrain(x: FeatureMatrix, out: Float32Array): void {
    this.check(x);
    if (out.length < x.rows * this.K) throw new SchemaError(`${this.kind} model: testThenTrain needs ${x.rows * this.K} outputs, got ${out.length}`);
    this.checkRows(x);
    this.lossSum = 0;
    this.lossProd = 1;
    this.lossW = 0;
    if (this.options.batchSize === 1 && this.opt === NORMALIZED && this.K === 1) {
      if (this.hot && x.kind !== 'dense' && x.weights === null && this.c === 1 && this.cG === 1) this.perRowLogistic(x, out);
      else this.perRow1(x, out);
    } else if (this.options.batchSize === 1 && this.opt !== FTRL) this.perRow(x, out);
    else {
      const b = this.options.batchSize;
      for (let start = 0; start < x.rows; start += b) this.miniBatch(x, out, start, Math.min(x.rows, start + b));
    }
  }

  /** Rejects a target or weight the loss cannot use before anything is learned, naming the row; NaN targets pass (predicted only). */
  private checkRows(x: FeatureMatrix): void {
    const t = x.targets,
      w = x.weights,
      K = this.K;
    if (!t) return;
    for (let r = 0; r < x.rows; r++) {
      const y = t[r]!;
      if (y !== y) continue;
      let ok: boolean;
      if (this.task === 'binary') ok = y >= 0 && y <= 1;
      else if (this.task === 'multiclass') ok = Number.isInteger(y) && y >= 0 && y < K;
      else ok = Number.isFinite(y);
      if (!ok) {
        const want = this.task === 'binary' ? 'a label in [0, 1]' : this.task === 'multiclass' ? `a class index in [0, ${K})` : 'a finite number';
        throw new SchemaError(`${this.task} target of row ${r}${x.rowIds ? ` (rowId ${x.rowIds[r]})` : ''} is ${y}, expected ${want} (or NaN: not learned)`);
      }
      if (w && !(w[r]! >= 0 && w[r]! < Infinity)) throw new SchemaError(`sample weight of row ${r} is ${w[r]}, expected a finite non-negative number`);
    }
  }

  /** Row r's importance weight: sample weight × class weight. */
  private weightOfRow(x: FeatureMatrix, r: number, y: number): number {
    let h = x.weights ? x.weights[r]! : 1;
    const cw = this.options.classWeights;
    if (cw) h *= cw[this.task === 'binary' ? (y >= 0.5 ? 1 : 0) : this.task === 'multiclass' ? y : 0]!;
    return h;
  }

  private perRow(x: FeatureMatrix, out: Float32Array): void {
    const csr = x.kind !== 'dense',
      idx = csr ? x.indices! : null,
      ip = x.indptr,
      vals = x.values,
      cols = x.cols,
      t = x.targets;
    for (let r = 0; r < x.rows; r++) {
      const p0 = csr ? ip![r]! : r * cols,
        p1 = csr ? ip![r + 1]! : p0 + cols,
        jb = csr ? 0 : p0;
      this.score(vals, idx, p0, p1, jb);
      this.emit(out, r);
      if (t === null) continue;
      const y = t[r]!;
      if (y !== y) continue;
      const h = this.weightOfRow(x, r, y);
      if (!(h > 0)) continue;
      this._step++;
      if (this.opt === PA) this.learnPA(vals, idx, p0, p1, jb, y, h);
      else this.learnSoftmaxRow(vals, idx, p0, p1, jb, y, h);
      this.regularize();
    }
  }

  /** Adds h·loss of a one-output row (raw score p in learning units, target y in target units) to the books. */
  private book1(p: number, y: number, h: number): void {
    this.lossW += h;
    const L = this.loss;
    if (this.task === 'regression') {
      const e = this.mu + this.sigma * p - y;
      this.lossSum += h * 0.5 * e * e;
    } else if (L === LOGISTIC) {
      const E = Math.exp(-Math.abs(p));
      this.lossSum += h * ((p > 0 ? p : 0) - y * p);
      if (h === 1) {
        this.lossProd *= 1 + E;
        if (this.lossProd > PROD_MAX) {
          this.lossSum += Math.log(this.lossProd);
          this.lossProd = 1;
        }
      } else this.lossSum += h * Math.log1p(E);
    } else {
      const m = 1 - (y >= 0.5 ? p : -p);
      if (m > 0) this.lossSum += h * m;
    }
  }

  /** Target scaling before learning a row of target y (weight h): auto updates the moments and rescales the weights so that every output stays the same. */
  private rescaleTarget(y: number, h: number): void {
    const first = this.sW === 0;
    this.sW += h;
    const d = y - this.mu,
      mu = this.mu + (h * d) / this.sW;
    this.M2 += h * d * (y - mu);
    const sigma = this.M2 > 0 ? Math.sqrt(this.M2 / this.sW) : this.sigma;
    if (!first) {
      // Output-preserving (Pop-Art, van Hasselt et al. 2016): mu + sigma·(w·x + b) is unchanged.
      const rho = this.sigma / sigma;
      this.c *= rho;
      // Gradients in the new units are rho times the old: the squared-gradient sums follow.
      this.cG *= rho * rho;
      const ob = this._inputs! * this.S + 2;
      this.st[ob] = (this.sigma * this.st[ob]! + this.mu - mu) / sigma;
      if (this.c < SCALE_MIN || this.c > SCALE_MAX || this.cG < SCALE_MIN || this.cG > SCALE_MAX) this.renormalize();
    }
    this.mu = mu;
    this.sigma = sigma;
  }

  /**
   * normalized, one output, batch size 1: the whole test-then-train loop in one method (the hot
   * path): score, emit, then one importance-aware step. The score pass keeps each non-zero's state
   * offset and value in scratch, so the two update passes neither re-read the row nor branch on
   * its layout; e^−|p| is computed once and gives the probability, the loss and the update.
   */
  private perRow1(x: FeatureMatrix, out: Float32Array): void {
    const csr = x.kind !== 'dense',
      idx = csr ? x.indices! : null,
      ip = x.indptr,
      vals = x.values,
      cols = x.cols,
      t = x.targets,
      st = this.st,
      S = this.S,
      L = this.loss,
      regression = this.task === 'regression',
      weighted = x.weights !== null || this.options.classWeights !== null,
      l1on = this.l1 > 0,
      // Calls that read or change c (target rescaling, regularization) sync it through this.c.
      sync = l1on || this.l2 > 0 || (regression && this.scaleMode === SCALE_AUTO),
      eta = this.eta,
      ob = this._inputs! * S;
    let rowO = this.rowO,
      rowX = this.rowX,
      rowR = this.rowR,
      c = this.c,
      cG = this.cG,
      tW = this.tW,
      N = this.N,
      lossSum = this.lossSum,
      lossProd = this.lossProd,
      lossW = this.lossW,
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
      let sum = 0,
        m = 0;
      for (let q = p0; q < p1; q++) {
        const xv = vals[q]!;
        if (!(xv > TINY || xv < -TINY)) continue;
        const o = (idx !== null ? idx[q]! : q - jb) * S;
        if (l1on) this.catchUp(o / S);
        sum += st[o + 2]! * xv;
        rowO[m] = o;
        rowX[m++] = xv;
      }
      let p = c * sum + st[ob + 2]!,
        E = 0,
        prob = 0;
      if (regression) out[r] = this.mu + this.sigma * p;
      else {
        E = Math.exp(p >= 0 ? -p : p);
        prob = p >= 0 ? 1 / (1 + E) : E / (1 + E);
        out[r] = prob;
      }
      if (t === null) continue;
      let y = t[r]!;
      if (y !== y) continue;
      const h = weighted ? this.weightOfRow(x, r, y) : 1;
      if (!(h > 0)) continue;
      steps++;
      lossW += h;
      let d: number;
      if (regression) {
        const f = this.mu + this.sigma * p,
          e = f - y;
        lossSum += h * 0.5 * e * e;
        if (this.scaleMode === SCALE_AUTO) {
          this.c = c;
          this.rescaleTarget(y, h);
          c = this.c;
          cG = this.cG;
          p = (f - this.mu) / this.sigma;
        }
        y = (y - this.mu) / this.sigma;
        d = 2 * (p - y);
      } else if (L === LOGISTIC) {
        lossSum += h * ((p > 0 ? p : 0) - y * p);
        if (h === 1) {
          lossProd *= 1 + E;
          if (lossProd > PROD_MAX) {
            lossSum += Math.log(lossProd);
            lossProd = 1;
          }
        } else lossSum += h * Math.log1p(E);
        d = prob - y;
      } else {
        const l = y >= 0.5 ? 1 : -1,
          mg = 1 - l * p;
        if (mg > 0) lossSum += h * mg;
        d = mg > 0 ? -l : 0;
      }
      if (d !== 0) {
        // Stored G is G/cG: add g²x²/cG; the rate factor 1/(s·√G) is rc/(s·√stored), rc = 1/√cG.
        const g2 = h * d * d,
          g2s = cG === 1 ? g2 : g2 / cG,
          rc = cG === 1 ? 1 : 1 / Math.sqrt(cG);
        let nx = 1,
          ppu = 0;
        for (let k = 0; k < m; k++) {
          const o = rowO[k]!,
            xv = rowX[k]!,
            ax = xv < 0 ? -xv : xv;
          let s = st[o]!;
          if (ax > s) {
            // A larger |x| than seen: rescale the weight as if this scale had been known from the start.
            if (s > 0) st[o + 2] = (st[o + 2]! * s) / ax;
            st[o] = s = ax;
          }
          const x2 = xv * xv,
            Gs = st[o + 3]! + g2s * x2;
          st[o + 3] = Gs;
          // One division per non-zero: x²/s² = x²·rd²·G, with rd = 1/(s·√G).
          if (Gs > 0) {
            const rd = rc / (s * Math.sqrt(Gs)),
              xr = xv * rd;
            nx += xr * xr * Gs * cG;
            rowR[k] = xr;
            ppu += xv * xr;
          } else {
            nx += x2 / (s * s);
            rowR[k] = 0;
          }
        }
        const Gb = st[ob + 3]! + g2s,
          rb = Gb > 0 ? rc / Math.sqrt(Gb) : 0;
        st[ob + 3] = Gb;
        ppu += rb;
        tW += h;
        N += h * nx;
        const mult = Math.sqrt(tW / N);
        const u = importanceUpdate(L, p, y, eta * h, ppu * mult, p >= 0 ? 1 / E : E) * mult;
        if (u !== 0) {
          const uc = u / c;
          for (let k = 0; k < m; k++) st[rowO[k]! + 2]! += uc * rowR[k]!;
          st[ob + 2]! += u * rb;
        }
      }
      if (sync) {
        this.c = c;
        this.regularize();
        c = this.c;
        cG = this.cG;
      }
    }
    this.c = c;
    this.tW = tW;
    this.N = N;
    this.lossSum = lossSum;
    this.lossProd = lossProd;
    this.lossW = lossW;
    this._step += steps;
  }

  /**
   * perRow1 for the hot case alone: logistic, CSR rows, no sample or class weights, no L1/L2 (so
   * the scales c and cG stay 1). Same arithmetic, without the branches the general loop carries
   * per row and per non-zero. Each pass reads the row itself (values, column indices) rather than
   * a copy made by the score pass: V8 checks every typed array a loop touches on every iteration
   * (map, length, and under some loaders the buffer's detached bit), so fewer arrays and accesses
   * per non-zero is what makes this loop faster; only the rate factors x/(s·√G) go to scratch.
   * The state offset of column j is j << 2 (stride 4), so o | 2 and o | 3 are o + 2 and o + 3
   * without an overflow check.
   */
  private perRowLogistic(x: FeatureMatrix, out: Float32Array): void {
    const ip = x.indptr!,
      idx = x.indices!,
      vals = x.values,
      t = x.targets,
      st = this.st,
      ob = this._inputs! * 4,
      eta = this.eta;
    // Literals, not the module's TINY and PROD_MAX: a bundle makes those mutable variables, read
    // and checked at every use (in the bundled CLI this loop ran ~6% faster with literals).
    const tiny = 1e-150,
      prodMax = 1e250;
    let rowR = this.rowR,
      tW = this.tW,
      N = this.N,
      lossSum = this.lossSum,
      lossProd = this.lossProd,
      lossW = this.lossW,
      steps = 0;
    for (let r = 0; r < x.rows; r++) {
      const p0 = ip[r]!,
        p1 = ip[r + 1]!;
      // perRow1 grows rowO, rowX and rowR together; rowR alone may be longer.
      if (p1 - p0 > rowR.length) this.rowR = rowR = new Float64Array(2 * (p1 - p0));
      let sum = 0;
      for (let q = p0; q < p1; q++) {
        const xv = vals[q]!;
        if (xv > tiny || xv < -tiny) sum += st[(idx[q]! << 2) | 2]! * xv;
      }
      const p = sum + st[ob + 2]!,
        E = Math.exp(p >= 0 ? -p : p),
        prob = p >= 0 ? 1 / (1 + E) : E / (1 + E);
      out[r] = prob;
      if (t === null) continue;
      const y = t[r]!;
      if (y !== y) continue;
      steps++;
      lossW += 1;
      lossSum += (p > 0 ? p : 0) - y * p;
      lossProd *= 1 + E;
      if (lossProd > prodMax) {
        lossSum += Math.log(lossProd);
        lossProd = 1;
      }
      const d = prob - y;
      if (d === 0) continue;
      const g2 = d * d;
      let nx = 1,
        ppu = 0;
      // rowR[k] is the rate factor of the row's k-th stored entry; 0 marks one left alone (|x| tiny, or G still 0).
      for (let q = p0, k = 0; q < p1; q++, k++) {
        const xv = vals[q]!;
        if (!(xv > tiny || xv < -tiny)) {
          rowR[k] = 0;
          continue;
        }
        const o = idx[q]! << 2,
          ax = xv < 0 ? -xv : xv;
        let s = st[o]!;
        if (ax > s) {
          if (s > 0) st[o | 2] = (st[o | 2]! * s) / ax;
          st[o] = s = ax;
        }
        const G = st[o | 3]! + g2 * xv * xv;
        st[o | 3] = G;
        if (G > 0) {
          const xr = xv / (s * Math.sqrt(G));
          nx += xr * xr * G;
          rowR[k] = xr;
          ppu += xv * xr;
        } else {
          nx += (xv * xv) / (s * s);
          rowR[k] = 0;
        }
      }
      const Gb = st[ob + 3]! + g2,
        rb = Gb > 0 ? 1 / Math.sqrt(Gb) : 0;
      st[ob + 3] = Gb;
      ppu += rb;
      tW += 1;
      N += nx;
      const mult = Math.sqrt(tW / N),
        u = importanceUpdate(LOGISTIC, p, y, eta, ppu * mult, p >= 0 ? 1 / E : E) * mult;
      if (u !== 0) {
        for (let q = p0, k = 0; q < p1; q++, k++) {
          const xr = rowR[k]!;
          if (xr !== 0) st[(idx[q]! << 2) | 2]! += u * xr;
        }
        st[ob + 2]! += u * rb;
      }
    }
    this.tW = tW;
    this.N = N;
    this.lossSum = lossSum;
    this.lossProd = lossProd;
    this.lossW = lossW;
    this._step += steps;
  }

  /** normalized, softmax: per-class adaptive state, one importance-aware step by integrating the row's gradient flow. */
  private learnSoftmaxRow(vals: Float32Array, idx: Int32Array | null, p0: number, p1: number, jb: number, y: number, h: number): void {
    const K = this.K,
      st = this.st,
      S = this.S,
      z = this.z,
      ppu = this.ppu,
      u = this.u;
    // The books take −log p_y from the raw scores.
    let m = z[0]!;
    for (let k = 1; k < K; k++) if (z[k]! > m) m = z[k]!;
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(z[k]! - m);
    this.lossSum += h * (m + Math.log(sum) - z[y]!);
    this.lossW += h;
    for (let k = 0; k < K; k++) {
      const d = Math.exp(z[k]! - m) / sum - (k === y ? 1 : 0);
      u[k] = h * d * d; // g² per class, reused below as the update
      ppu[k] = 0;
    }
    let nx = 0;
    for (let q = p0; q < p1; q++) {
      const x = vals[q]!,
        ax = x < 0 ? -x : x;
      if (!(ax > TINY)) continue;
      const o = (idx !== null ? idx[q]! : q - jb) * S;
      let s = st[o]!;
      if (ax > s) {
        if (s > 0) for (let k = 0; k < K; k++) st[o + 2 + 2 * k] = (st[o + 2 + 2 * k]! * s) / ax;
        st[o] = s = ax;
      }
      const x2 = x * x;
      nx += x2 / (s * s);
      for (let k = 0; k < K; k++) {
        const G = st[o + 3 + 2 * k]! + u[k]! * x2;
        st[o + 3 + 2 * k] = G;
        if (G > 0) ppu[k]! += x2 / (s * Math.sqrt(G));
      }
    }
    const ob = this._inputs! * S;
    for (let k = 0; k < K; k++) {
      const G = st[ob + 3 + 2 * k]! + u[k]!;
      st[ob + 3 + 2 * k] = G;
      if (G > 0) ppu[k]! += 1 / Math.sqrt(G);
    }
    nx += 1;
    this.tW += h;
    this.N += h * nx;
    const mult = Math.sqrt(this.tW / this.N);
    let top = 0;
    for (let k = 0; k < K; k++) {
      ppu[k]! *= mult;
      if (ppu[k]! > top) top = ppu[k]!;
    }
    this.softmaxFlow(y, this.eta * h, top);
    const c = this.c;
    for (let q = p0; q < p1; q++) {
      const x = vals[q]!,
        ax = x < 0 ? -x : x;
      if (!(ax > TINY)) continue;
      const o = (idx !== null ? idx[q]! : q - jb) * S,
        f = (mult * x) / (c * st[o]!);
      for (let k = 0; k < K; k++) {
        const G = st[o + 3 + 2 * k]!;
        if (G > 0) st[o + 2 + 2 * k]! += (u[k]! * f) / Math.sqrt(G);
      }
    }
    for (let k = 0; k < K; k++) {
      const G = st[ob + 3 + 2 * k]!;
      if (G > 0) st[ob + 2 + 2 * k]! += (u[k]! * mult) / Math.sqrt(G);
    }
  }

  /**
   * Integrates dz_k/dτ = ppu_k·([y = k] − softmax(z)_k) for τ in [0, T] from this.z; leaves in
   * this.u the per-class updates u_k = Δz_k / ppu_k (the scalar each class's direction is moved by).
   */
  private softmaxFlow(y: number, T: number, top: number): void {
    const K = this.K,
      fz = this.fz,
      u = this.u,
      ppu = this.ppu;
    const steps = Math.min(FLOW_STEPS, Math.max(1, Math.ceil((T * top) / FLOW_DT))),
      dt = T / steps;
    for (let k = 0; k < K; k++) {
      fz[k] = this.z[k]!;
      u[k] = 0;
    }
    for (let s = 0; s < steps; s++) {
      let m = fz[0]!;
      for (let k = 1; k < K; k++) if (fz[k]! > m) m = fz[k]!;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(fz[k]! - m);
      for (let k = 0; k < K; k++) {
        const du = dt * ((k === y ? 1 : 0) - Math.exp(fz[k]! - m) / sum);
        u[k]! += du;
      }
      for (let k = 0; k < K; k++) fz[k] = this.z[k]! + ppu[k]! * u[k]!;
    }
  }

  /** Passive-aggressive closed form (Crammer et al. 2006) on one row; sample and class weights scale C (PA-I, PA-II) or τ (PA). */
  private learnPA(vals: Float32Array, idx: Int32Array | null, p0: number, p1: number, jb: number, y: number, h: number): void {
    const o = this.options,
      st = this.st,
      s = this.z[0]!;
    let q = 1;
    for (let p = p0; p < p1; p++) q += vals[p]! * vals[p]!;
    let l: number, d: number;
    if (this.task === 'binary') {
      d = y >= 0.5 ? 1 : -1;
      l = Math.max(0, 1 - d * s);
    } else {
      const e = (y - this.mu) / this.sigma - s;
      l = Math.max(0, Math.abs(e) - o.epsilon);
      d = Math.sign(e);
    }
    this.lossSum += h * l;
    this.lossW += h;
    if (l === 0) return;
    const C = o.C * h;
    const tau = o.variant === 'PA' ? (h * l) / q : o.variant === 'PA-I' ? Math.min(C, l / q) : l / (q + 1 / (2 * C));
    const a = tau * d;
    for (let p = p0; p < p1; p++) {
      const x = vals[p]!;
      if (x !== 0) {
        const j = idx !== null ? idx[p]! : p - jb;
        st[j]! += a * x;
      }
    }
    st[this._inputs!]! += a;
  }

  /** One step of lazy elastic-net regularization (normalized): w ← soft(w, η·l1)/(1 + η·l2) for every weight, as c and U. */
  private regularize(): void {
    if (this.opt !== NORMALIZED) return;
    if (this.l1 > 0) this.U += (this.eta * this.l1) / this.c;
    if (this.l2 > 0) {
      this.c /= 1 + this.eta * this.l2;
      if (this.c < SCALE_MIN) this.renormalize();
    }
  }

  /** Folds c into v and cG into G, and applies every pending L1 shrinkage (O(weights); rare). */
  private renormalize(): void {
    const st = this.st,
      S = this.S,
      K = this.K,
      n = this._inputs!;
    for (let j = 0; j <= n; j++) {
      const o = j * S;
      for (let k = 0; k < K; k++) st[o + 3 + 2 * k]! *= this.cG;
      if (j === n) break;
      if (this.l1 > 0) this.catchUp(j);
      st[o + 1] = 0;
      for (let k = 0; k < K; k++) st[o + 2 + 2 * k]! *= this.c;
    }
    this.c = 1;
    this.cG = 1;
    this.U = 0;
  }

  // ---- mini-batches (b > 1, and FTRL) --------------------------------------------------------

  private miniBatch(x: FeatureMatrix, out: Float32Array, r0: number, r1: number): void {
    const csr = x.kind !== 'dense',
      idx = csr ? x.indices! : null,
      ip = x.indptr,
      vals = x.values,
      cols = x.cols,
      K = this.K,
      t = x.targets,
      n = this._inputs!;
    if (this.raw.length < (r1 - r0) * K) this.raw = new Float64Array(this.options.batchSize * K);
    for (let r = r0; r < r1; r++) {
      const p0 = csr ? ip![r]! : r * cols;
      this.score(vals, idx, p0, csr ? ip![r + 1]! : p0 + cols, csr ? 0 : p0);
      this.emit(out, r);
      for (let k = 0; k < K; k++) this.raw[(r - r0) * K + k] = this.z[k]!;
    }
    if (t === null) return;
    if (this.acc.length === 0) {
      this.acc = new Float64Array((n + 1) * (K + 2));
      this.mark = new Uint8Array(n + 1);
      this.touched = new Int32Array(n + 1);
    }
    // Target scaling first (auto rescales the weights, preserving outputs), then each row's dℓ/dp.
    const mu0 = this.mu,
      sigma0 = this.sigma;
    let rows = 0,
      H = 0;
    for (let r = r0; r < r1; r++) {
      const y = t[r]!;
      if (y !== y) continue;
      const h = this.weightOfRow(x, r, y);
      if (!(h > 0)) continue;
      rows++;
      H += h;
      if (this.task === 'regression' && this.scaleMode === SCALE_AUTO) this.rescaleTarget(y, h);
    }
    if (rows === 0) return;
    const acc = this.acc,
      A = K + 2,
      z = this.z,
      touched = this.touched,
      mark = this.mark;
    let nt = 0;
    for (let r = r0; r < r1; r++) {
      const y = t[r]!;
      if (y !== y) continue;
      const h = this.weightOfRow(x, r, y);
      if (!(h > 0)) continue;
      for (let k = 0; k < K; k++) z[k] = this.raw[(r - r0) * K + k]!;
      if (this.task === 'regression') z[0] = (mu0 + sigma0 * z[0]! - this.mu) / this.sigma;
      this.rowGradient(z, y, h); // books the loss; leaves h·dℓ/dz_k in this.u
      const p0 = csr ? ip![r]! : r * cols,
        p1 = csr ? ip![r + 1]! : p0 + cols,
        jb = csr ? 0 : p0;
      for (let p = p0; p < p1; p++) {
        const xv = vals[p]!,
          ax = xv < 0 ? -xv : xv;
        if (!(ax > TINY)) continue;
        const j = idx !== null ? idx[p]! : p - jb,
          a = j * A;
        if (!mark[j]) {
          mark[j] = 1;
          touched[nt++] = j;
        }
        for (let k = 0; k < K; k++) acc[a + k]! += this.u[k]! * xv;
        acc[a + K]! += h * xv * xv;
        if (ax > acc[a + K + 1]!) acc[a + K + 1] = ax;
      }
      const a = n * A;
      for (let k = 0; k < K; k++) acc[a + k]! += this.u[k]!;
    }
    this._step++;
    const inv = 1 / rows;
    let f = inv;
    if (this.options.clip > 0) {
      let sq = 0;
      for (let i = 0; i < nt; i++) for (let k = 0; k < K; k++) sq += acc[touched[i]! * A + k]! ** 2;
      for (let k = 0; k < K; k++) sq += acc[n * A + k]! ** 2;
      const norm = Math.sqrt(sq) * inv;
      if (norm > this.options.clip) f *= this.options.clip / norm;
    }
    if (this.opt === FTRL) this.applyFtrl(nt, f);
    else this.applyNormalized(nt, f, inv, H * inv);
    for (let i = 0; i < nt; i++) {
      const j = touched[i]!;
      mark[j] = 0;
      acc.fill(0, j * A, j * A + A);
    }
    acc.fill(0, n * A, n * A + A);
    this.regularize();
  }

  /** dℓ/dz_k × h of one row from raw scores z (learning units) into this.u; books h·loss. */
  private rowGradient(z: Float64Array, y: number, h: number): void {
    const L = this.loss,
      u = this.u;
    if (L === SOFTMAX) {
      const K = this.K;
      let m = z[0]!;
      for (let k = 1; k < K; k++) if (z[k]! > m) m = z[k]!;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(z[k]! - m);
      this.lossSum += h * (m + Math.log(sum) - z[y]!);
      this.lossW += h;
      for (let k = 0; k < K; k++) u[k] = h * (Math.exp(z[k]! - m) / sum - (k === y ? 1 : 0));
      return;
    }
    const p = z[0]!;
    // book1 takes the score in learning units and the target in target units.
    this.book1(p, y, h);
    const yl = this.task === 'regression' ? (y - this.mu) / this.sigma : y;
    let d: number;
    if (L === LOGISTIC) d = 1 / (1 + Math.exp(-p)) - yl;
    else if (L === SQUARED) d = this.opt === FTRL ? p - yl : 2 * (p - yl);
    else {
      const l = yl >= 0.5 ? 1 : -1;
      d = l * p < 1 ? -l : 0;
    }
    u[0] = h * d;
  }

  /** FTRL-Proximal per touched coordinate from the batch gradient acc·f (the bias is a coordinate, as in the paper). */
  private applyFtrl(nt: number, f: number): void {
    const st = this.st,
      S = this.S,
      K = this.K,
      A = K + 2,
      acc = this.acc,
      n = this._inputs!;
    for (let i = 0; i <= nt; i++) {
      const j = i < nt ? this.touched[i]! : n;
      for (let k = 0; k < K; k++) {
        const g = acc[j * A + k]! * f;
        if (g === 0) continue;
        const o = j * S + 2 * k,
          ni = st[o + 1]!,
          sigma = (Math.sqrt(ni + g * g) - Math.sqrt(ni)) / this.eta;
        st[o]! += g - sigma * this.ftrlWeight(o);
        st[o + 1] = ni + g * g;
      }
    }
  }

  /** normalized with b > 1: one adaptive normalized step from the mean gradient acc·f (no importance-aware closed form for a batch). */
  private applyNormalized(nt: number, f: number, inv: number, meanH: number): void {
    const st = this.st,
      S = this.S,
      K = this.K,
      A = K + 2,
      acc = this.acc,
      touched = this.touched,
      n = this._inputs!;
    let nx = 0;
    for (let i = 0; i < nt; i++) {
      const j = touched[i]!,
        o = j * S,
        a = j * A;
      if (this.l1 > 0) this.catchUp(j);
      const mx = acc[a + K + 1]!;
      let s = st[o]!;
      if (mx > s) {
        if (s > 0) for (let k = 0; k < K; k++) st[o + 2 + 2 * k] = (st[o + 2 + 2 * k]! * s) / mx;
        st[o] = s = mx;
      }
      nx += (acc[a + K]! * inv) / (s * s);
    }
    nx += meanH;
    this.tW += meanH;
    this.N += nx;
    const step = this.eta * Math.sqrt(this.tW / this.N);
    for (let i = 0; i < nt; i++) {
      const j = touched[i]!,
        o = j * S,
        a = j * A,
        s = st[o]!;
      for (let k = 0; k < K; k++) {
        const g = acc[a + k]! * f;
        if (g === 0) continue;
        const G = st[o + 3 + 2 * k]! * this.cG + g * g;
        st[o + 3 + 2 * k] = G / this.cG;
        st[o + 2 + 2 * k]! -= (step * g) / (s * Math.sqrt(G) * this.c);
      }
    }
    const ob = n * S;
    for (let k = 0; k < K; k++) {
      const g = acc[n * A + k]! * f;
      if (g === 0) continue;
      const G = st[ob + 3 + 2 * k]! * this.cG + g * g;
      st[ob + 3 + 2 * k] = G / this.cG;
      st[ob + 2 + 2 * k]! -= (step * g) / Math.sqrt(G);
    }
  }

  async lastLoss(): Promise<number> {
    return this.lossW > 0 ? (this.lossSum + Math.log(this.lossProd)) / this.lossW : NaN;
  }

  // ---- state ---------------------------------------------------------------------------------

  async state(): Promise<ModelState> {
    const inputs = this._inputs ?? 0,
      K = this.K,
      w0 = new Array<number>(inputs * K),
      b0 = new Array<number>(inputs ? K : 0);
    // Exported weights predict in target units: the scaling (sigma, mu) is folded in.
    const fold = this.task === 'regression';
    for (let j = 0; j < inputs; j++) for (let k = 0; k < K; k++) w0[j * K + k] = this.weightOf(j, k) * (fold ? this.sigma : 1);
    for (let k = 0; k < b0.length; k++) b0[k] = fold ? this.mu + this.sigma * this.biasOf(k) : this.biasOf(k);
    let optimizer: Record<string, number[]>;
    if (this.opt === FTRL) {
      const z = new Array<number>((inputs + 1) * K),
        n = new Array<number>((inputs + 1) * K);
      for (let j = 0; j <= inputs; j++)
        for (let k = 0; k < K; k++) {
          z[j * K + k] = this.st[j * this.S + 2 * k]!;
          n[j * K + k] = this.st[j * this.S + 2 * k + 1]!;
        }
      optimizer = { z, n };
    } else if (this.opt === NORMALIZED) optimizer = { state: Array.from(this.st), scalars: [this.c, this.U, this.tW, this.N, this.cG] };
    else optimizer = {};
    if (this.scaleMode !== SCALE_NONE) optimizer.target = [this.sW, this.mu, this.M2, this.sigma];
    return {
      kind: this.kind,
      task: this.task,
      inputs,
      outputs: K,
      options: { ...this.options, inputs: this._inputs },
      params: { w0, b0 },
      optimizer,
      step: this._step,
    };
  }

  load(state: ModelState): void {
    const inputs = state.inputs,
      K = this.K,
      S = this.S,
      op = state.optimizer ?? {};
    this.build(inputs);
    const len = (a: number[] | undefined, n: number) => Array.isArray(a) && a.length === n;
    if (this.opt === NORMALIZED && len(op.state, (inputs + 1) * S) && len(op.scalars, 5)) {
      this.st.set(op.state!);
      [this.c, this.U, this.tW, this.N, this.cG] = op.scalars as [number, number, number, number, number];
    } else if (this.opt === FTRL && len(op.z, (inputs + 1) * K) && len(op.n, (inputs + 1) * K)) {
      for (let j = 0; j <= inputs; j++)
        for (let k = 0; k < K; k++) {
          this.st[j * S + 2 * k] = op.z![j * K + k]!;
          this.st[j * S + 2 * k + 1] = op.n![j * K + k]!;
        }
    } else if (this.opt !== FTRL && len(state.params.w0, inputs * K) && len(state.params.b0, K)) {
      // Weights only (a passive-aggressive state, or one exported elsewhere): the optimizer starts afresh from them.
      // They predict in target units: a fixed scale is taken out of them; auto scaling starts off (mu 0, sigma 1).
      if (this.scaleMode === SCALE_AUTO) this.scaleMode = SCALE_NONE;
      const w = state.params.w0!,
        b = state.params.b0!,
        at = this.opt === PA ? 0 : 2,
        m = this.task === 'regression' ? this.mu : 0,
        sd = this.task === 'regression' ? this.sigma : 1;
      for (let j = 0; j < inputs; j++) for (let k = 0; k < K; k++) this.st[j * S + at + 2 * k] = w[j * K + k]! / sd;
      for (let k = 0; k < K; k++) this.st[inputs * S + at + 2 * k] = (b[k]! - m) / sd;
    } else {
      throw new SchemaError(
        `${this.kind} model state (${this.options.optimizer}) needs ${this.opt === FTRL ? `optimizer z and n of ${(inputs + 1) * K} values` : this.opt === NORMALIZED ? `optimizer state of ${(inputs + 1) * S} values and 5 scalars, or params w0 (${inputs * K}) and b0 (${K})` : `params w0 of ${inputs * K} values and b0 of ${K}`}`,
      );
    }
    const tg = op.target;
    if (this.scaleMode !== SCALE_NONE && len(tg, 4)) [this.sW, this.mu, this.M2, this.sigma] = tg as [number, number, number, number];
    this._step = state.step;
  }

  async dispose(): Promise<void> {
    /* host memory only */
  }
}
