import { AgrawalGenerator, SEAGenerator, STAGGERGenerator } from '../../src/synth/index.js';
import type { TreeRow } from '../../src/trees/index.js';

/** Rows and labels drawn up front, for the Hoeffding classifier tests. */
export interface Stream {
  rows: TreeRow[];
  ys: number[];
  inputs: number;
}

function dense(x: Float64Array): TreeRow {
  return { x, nz: Int32Array.from({ length: x.length }, (_, i) => i), n: x.length };
}

/** SEA (MOA's definition, 10% label noise): 3 numeric features; `functions` switch every `n` rows. */
export function sea(n: number, functions: number[] = [1], seed = 1): Stream {
  const out = new Float64Array(4),
    rows: TreeRow[] = [],
    ys: number[] = [];
  for (const [k, fn] of functions.entries()) {
    const g = new SEAGenerator({ function: fn, noise: 0.1, seed: seed + k });
    for (let i = 0; i < n; i++) {
      g.nextRow(out);
      rows.push(dense(Float64Array.from(out.subarray(0, 3))));
      ys.push(out[3]!);
    }
  }
  return { rows, ys, inputs: 3 };
}

/** Width of an Agrawal row one-hot encoded: 6 numeric, elevel 5, car 20, zipcode 9. */
export const AGRAWAL_INPUTS = 40;

/**
 * Agrawal one-hot encoded (numeric columns first, then the three categories); `sparse` leaves
 * zeros out of nz, in index order or (`shuffled`) reversed.
 */
export function agrawal(n: number, fn = 1, seed = 1, sparse = false, shuffled = false): Stream {
  const g = new AgrawalGenerator({ function: fn, seed });
  const out = new Float64Array(10),
    rows: TreeRow[] = [],
    ys: number[] = [];
  for (let i = 0; i < n; i++) {
    g.nextRow(out);
    const x = new Float64Array(AGRAWAL_INPUTS);
    x[0] = out[0]!; // salary
    x[1] = out[1]!; // commission
    x[2] = out[2]!; // age
    x[3] = out[6]!; // hvalue
    x[4] = out[7]!; // hyears
    x[5] = out[8]!; // loan
    x[6 + out[3]!] = 1; // elevel
    x[11 + out[4]!] = 1; // car
    x[31 + out[5]!] = 1; // zipcode
    if (sparse) {
      const nz = Int32Array.from(x.keys()).filter((j) => x[j] !== 0);
      if (shuffled) nz.reverse();
      rows.push({ x, nz, n: nz.length });
    } else rows.push(dense(x));
    ys.push(out[9]!);
  }
  return { rows, ys, inputs: AGRAWAL_INPUTS };
}

/** STAGGER one-hot (size, color, shape: 3 columns each); `functions` switch every `n` rows. */
export function stagger(n: number, functions: number[], seed = 1): Stream {
  const out = new Float64Array(4),
    rows: TreeRow[] = [],
    ys: number[] = [];
  for (const [k, fn] of functions.entries()) {
    const g = new STAGGERGenerator({ function: fn, seed: seed + k });
    for (let i = 0; i < n; i++) {
      g.nextRow(out);
      const x = new Float64Array(9);
      for (let j = 0; j < 3; j++) x[3 * j + out[j]!] = 1;
      rows.push(dense(x));
      ys.push(out[3]!);
    }
  }
  return { rows, ys, inputs: 9 };
}

/** A learner with the classifier API. */
export interface Learner {
  learn(row: TreeRow, y: number, w?: number): void;
  predictProba(row: TreeRow, out: Float64Array, at?: number): void;
}

/** Test-then-train: accuracy of the argmax prediction of each row before learning it, over rows [from, to). */
export function prequential(m: Learner, s: Stream, classes: number, from = 0, to = s.rows.length): { accuracy: number; correct: Uint8Array } {
  const p = new Float64Array(classes),
    correct = new Uint8Array(s.rows.length);
  let ok = 0;
  for (let i = 0; i < s.rows.length; i++) {
    const row = s.rows[i]!;
    m.predictProba(row, p);
    let b = 0;
    for (let c = 1; c < classes; c++) if (p[c]! > p[b]!) b = c;
    if (b === s.ys[i]) {
      correct[i] = 1;
      if (i >= from && i < to) ok++;
    }
    m.learn(row, s.ys[i]!);
  }
  return { accuracy: ok / (to - from), correct };
}
