import { ADWIN, type ADWINState } from '../drift/index.js';
import { EbstObserver, type EbstObserverState } from './EbstObserver.js';
import { LeafLinearModel, type LeafLinearModelState } from './LeafLinearModel.js';
import { DENSE_LIMIT } from './RegressionScaler.js';

export interface RegressionLeafState {
  leaf: true;
  depth: number;
  w: number;
  s: number;
  lw: number;
  ls: number;
  lss: number;
  ow: number;
  os: number;
  lastAttempt: number;
  errMean: number;
  errLin: number;
  /** The feature subspace drawn for this leaf (maxFeatures), ascending; null = every feature. */
  allowed: number[] | null;
  model: LeafLinearModelState | null;
  /** Null when the leaf is inactive; else [feature, observer] pairs, ascending by feature. */
  observers: [number, EbstObserverState][] | null;
  /** The adaptive tree's error monitor (null in a plain tree). */
  adwin: ADWINState | null;
}

/**
 * A leaf of HoeffdingTreeRegressor: its target statistics (shifted by the tree's offset), its
 * linear model and adaptive errors, and while active one EbstObserver per feature it has seen
 * non-zero (an array slot per feature for narrow inputs, a Map for wide ones). Three sets of sums:
 * (w, s) predict the mean and start from the branch's share of the parent's rows, as in River;
 * (lw, ls, lss) are the rows learned here (the promise that ranks leaves for maxLeaves); (ow, os)
 * are the rows the observers have seen, from which each feature's implicit zeros are derived.
 */
export class RegressionLeaf {
  readonly isLeaf = true;
  lw = 0;
  ls = 0;
  lss = 0;
  ow = 0;
  os = 0;
  lastAttempt = 0;
  errMean = 0;
  errLin = 0;
  obsArr: (EbstObserver | undefined)[] | null = null;
  obsMap: Map<number, EbstObserver> | null = null;
  /** Features with an observer, in creation order (split search visits these). */
  obsFeatures: number[] = [];
  obsList: EbstObserver[] = [];
  allowedMask: Uint8Array | null = null;
  allowedSet: Set<number> | null = null;
  /** The adaptive tree's ADWIN on this node's normalized errors (null in a plain tree). */
  adwin: ADWIN | null = null;

  constructor(
    readonly inputs: number,
    readonly depth: number,
    public w: number,
    public s: number,
    public model: LeafLinearModel | null,
    public allowed: Int32Array | null,
  ) {
    if (allowed !== null) {
      if (inputs <= DENSE_LIMIT) {
        this.allowedMask = new Uint8Array(inputs);
        for (let k = 0; k < allowed.length; k++) this.allowedMask[allowed[k]!] = 1;
      } else this.allowedSet = new Set(allowed);
    }
  }

  get active(): boolean {
    return this.obsArr !== null || this.obsMap !== null;
  }

  /** Starts (or restarts) split learning with empty observers. */
  activate(): void {
    if (this.inputs <= DENSE_LIMIT) this.obsArr = new Array<EbstObserver | undefined>(this.inputs);
    else this.obsMap = new Map();
    this.obsFeatures = [];
    this.obsList = [];
    this.ow = 0;
    this.os = 0;
    this.lastAttempt = 0;
  }

  /** Stops split learning and frees the observers (the leaf still learns its predictors). */
  deactivate(): void {
    this.obsArr = null;
    this.obsMap = null;
    this.obsFeatures = [];
    this.obsList = [];
  }

  /** The squared error the leaf's mean leaves on the rows it learned: its promise for maxLeaves. */
  promise(): number {
    return this.lw > 0 ? Math.max(0, this.lss - (this.ls * this.ls) / this.lw) : 0;
  }

  /** Feeds the non-zero features of the row (in the subspace) to their observers. */
  observe(x: Float64Array, nz: Int32Array, n: number, w: number, wy: number): void {
    this.ow += w;
    this.os += wy;
    const arr = this.obsArr,
      mask = this.allowedMask;
    if (arr !== null) {
      for (let k = 0; k < n; k++) {
        const j = nz[k]!,
          v = x[j]!;
        if (v === 0 || (mask !== null && mask[j] === 0)) continue;
        let o = arr[j];
        if (o === undefined) o = arr[j] = this.add(j);
        o.update(v, w, wy);
      }
    } else {
      const map = this.obsMap!,
        set = this.allowedSet;
      for (let k = 0; k < n; k++) {
        const j = nz[k]!,
          v = x[j]!;
        if (v === 0 || (set !== null && !set.has(j))) continue;
        let o = map.get(j);
        if (o === undefined) {
          o = this.add(j);
          map.set(j, o);
        }
        o.update(v, w, wy);
      }
    }
  }

  private add(j: number): EbstObserver {
    const o = new EbstObserver();
    this.obsFeatures.push(j);
    this.obsList.push(o);
    return o;
  }

  toJSON(): RegressionLeafState {
    let observers: [number, EbstObserverState][] | null = null;
    if (this.active) {
      observers = this.obsFeatures.map((j, k) => [j, this.obsList[k]!.toJSON()] as [number, EbstObserverState]);
      observers.sort((a, b) => a[0] - b[0]);
    }
    return {
      leaf: true,
      depth: this.depth,
      w: this.w,
      s: this.s,
      lw: this.lw,
      ls: this.ls,
      lss: this.lss,
      ow: this.ow,
      os: this.os,
      lastAttempt: this.lastAttempt,
      errMean: this.errMean,
      errLin: this.errLin,
      allowed: this.allowed === null ? null : Array.from(this.allowed),
      model: this.model === null ? null : this.model.toJSON(),
      observers,
      adwin: this.adwin === null ? null : this.adwin.toJSON(),
    };
  }

  static fromJSON(inputs: number, st: RegressionLeafState): RegressionLeaf {
    const model = st.model === null ? null : LeafLinearModel.fromJSON(inputs, st.model);
    const l = new RegressionLeaf(inputs, st.depth, st.w, st.s, model, st.allowed === null ? null : Int32Array.from(st.allowed));
    l.lw = st.lw;
    l.ls = st.ls;
    l.lss = st.lss;
    if (st.observers !== null) {
      l.activate();
      for (const [j, os] of st.observers) {
        const o = EbstObserver.fromJSON(os);
        l.obsFeatures.push(j);
        l.obsList.push(o);
        if (l.obsArr !== null) l.obsArr[j] = o;
        else l.obsMap!.set(j, o);
      }
    }
    l.ow = st.ow;
    l.os = st.os;
    l.lastAttempt = st.lastAttempt;
    l.errMean = st.errMean;
    l.errLin = st.errLin;
    l.adwin = st.adwin === null || st.adwin === undefined ? null : ADWIN.fromJSON(st.adwin);
    return l;
  }
}
