import type { Rng } from '../core/index.js';
import { WIDE_INPUTS } from './GaussianObserver.js';
import type { TreeRow } from './TreeRow.js';

/**
 * The features a tree has seen non-zero, in order of first sight: what a Hoeffding tree with
 * `maxFeatures` (ARF's random subspace) draws each leaf's features from. Drawing from every input
 * would fill most subspaces with columns that are always 0 (a one-hot block sized for 50 values
 * that holds 3, a 2^18 hashed space), and a tree whose root drew none of the useful features never
 * splits. Before any row the pool is empty and draws come from every input.
 */
export class FeaturePool {
  private readonly list: number[] = [];
  private seen: Uint8Array | Set<number> | null = null;
  /** Scratch for partial Fisher–Yates over every input, reset before each draw (draws depend on the RNG alone). */
  private perm: Int32Array | null = null;

  constructor(readonly inputs: number) {}

  get size(): number {
    return this.list.length;
  }

  /** Adds the row's non-zero features; true when the pool was empty and now is not. */
  observe(row: TreeRow): boolean {
    const x = row.x,
      nz = row.nz,
      empty = this.list.length === 0;
    const seen = (this.seen ??= this.inputs <= WIDE_INPUTS ? new Uint8Array(this.inputs) : new Set<number>());
    for (let k = 0; k < row.n; k++) {
      const j = nz[k]!;
      if (x[j] === 0) continue;
      if (seen instanceof Uint8Array) {
        if (seen[j] === 1) continue;
        seen[j] = 1;
      } else {
        if (seen.has(j)) continue;
        seen.add(j);
      }
      this.list.push(j);
    }
    return empty && this.list.length > 0;
  }

  /** m distinct features drawn uniformly from the pool (every input while it is empty), ascending; null when m covers them all. */
  draw(m: number, rng: Rng): Int32Array | null {
    const pooled = this.list.length > 0,
      d = pooled ? this.list.length : this.inputs;
    if (m === 0 || m >= d) return null;
    const out = new Int32Array(m);
    if (pooled || d <= WIDE_INPUTS) {
      // Partial Fisher–Yates.
      let p: Int32Array | number[];
      if (pooled) p = this.list.slice();
      else {
        p = this.perm ??= new Int32Array(d);
        for (let i = 0; i < d; i++) p[i] = i;
      }
      for (let i = 0; i < m; i++) {
        const j = i + rng.int(d - i);
        const t = p[i]!;
        p[i] = p[j]!;
        p[j] = t;
        out[i] = p[i]!;
      }
    } else {
      // Rejection: m is far below the width of a hashed input.
      const taken = new Set<number>();
      for (let i = 0; i < m; ) {
        const f = rng.int(d);
        if (taken.has(f)) continue;
        taken.add(f);
        out[i++] = f;
      }
    }
    return out.sort();
  }

  toJSON(): number[] {
    return this.list.slice();
  }

  static fromJSON(inputs: number, list: readonly number[] | undefined): FeaturePool {
    const p = new FeaturePool(inputs);
    if (!list?.length) return p;
    const x = new Float64Array(inputs);
    for (const j of list) x[j] = 1;
    p.observe({ x, nz: Int32Array.from(list), n: list.length });
    return p;
  }
}
