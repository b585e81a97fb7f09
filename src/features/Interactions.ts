import { type BadRows, type Batch, SpecError } from '../core/index.js';
import { type NonFinitePolicy, numericInput } from './numericInput.js';
import { type RowReject, rejectRows } from './rejectRows.js';
import type { Transform, TransformState } from './Transform.js';

export interface InteractionsOptions {
  /** Chosen pairs; each adds `<a>*<b>`. */
  pairs?: ReadonlyArray<readonly [string, string]>;
  /** All degree-2 products a*b (a before b in this list) of these columns. */
  columns?: readonly string[];
  /** With `columns`, also the squares a*a (default false). */
  squares?: boolean;
  nonFinite?: NonFinitePolicy;
  /** Bad-row policy for `nonFinite: 'error'`; without it the first bad row throws. Not serialized. */
  badRows?: BadRows | null;
}

export interface InteractionsState {
  pairs: Array<[string, string]>;
  nonFinite: NonFinitePolicy;
}

/**
 * Products of numeric columns as new number columns named `a*b`: chosen pairs, or all degree-2
 * products of chosen columns. Missing when either factor is missing. Stateless.
 */
export class Interactions implements Transform<InteractionsState> {
  readonly kind = 'interactions';
  readonly pairs: Array<[string, string]>;
  readonly nonFinite: NonFinitePolicy;
  badRows: BadRows | null;

  constructor(options: InteractionsOptions) {
    const pairs: Array<[string, string]> = [];
    if (options.pairs !== undefined) {
      if (!Array.isArray(options.pairs)) throw new SpecError('interactions.pairs', 'expected a list of [a, b] column pairs');
      options.pairs.forEach((p, i) => {
        if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string')
          throw new SpecError(`interactions.pairs[${i}]`, `expected [a, b] column names, got ${JSON.stringify(p)}`);
        pairs.push([p[0], p[1]]);
      });
    }
    if (options.columns !== undefined) {
      if (!Array.isArray(options.columns) || !options.columns.every((c) => typeof c === 'string'))
        throw new SpecError('interactions.columns', 'expected a list of column names');
      const cs = options.columns;
      for (let a = 0; a < cs.length; a++) for (let b = options.squares ? a : a + 1; b < cs.length; b++) pairs.push([cs[a]!, cs[b]!]);
    }
    if (pairs.length === 0) throw new SpecError('interactions', 'give pairs, or at least two columns');
    this.pairs = pairs;
    this.nonFinite = numericInput.policy(options.nonFinite, 'interactions.nonFinite');
    this.badRows = options.badRows ?? null;
  }

  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    let out = batch;
    const rejects: RowReject[] = [];
    const inputs = new Map<string, ReturnType<typeof numericInput.read>>();
    const read = (name: string) => {
      let r = inputs.get(name);
      if (!r) {
        r = numericInput.read(batch, name, 'interactions');
        inputs.set(name, r);
        if (this.nonFinite === 'error')
          for (const i of r.nonFinite)
            rejects.push({ row: i, reason: 'non-finite', field: name, value: String(r.values[i]), detail: 'interactions: non-finite number' });
      }
      return r;
    };
    for (const [a, b] of this.pairs) {
      const x = read(a),
        y = read(b);
      const v = new Float64Array(batch.length),
        ok = new Uint8Array(batch.length);
      for (let i = 0; i < v.length; i++)
        if (x.ok[i] && y.ok[i]) {
          v[i] = x.values[i]! * y.values[i]!;
          ok[i] = 1;
        }
      out = out.withColumn(`${a}*${b}`, numericInput.output(v, ok));
    }
    return rejectRows(out, rejects, this.badRows, 'interactions');
  }

  toJSON(): TransformState<InteractionsState> {
    return { kind: this.kind, state: { pairs: this.pairs.map((p) => [p[0], p[1]]), nonFinite: this.nonFinite } };
  }

  static fromJSON(json: TransformState<InteractionsState>): Interactions {
    return new Interactions({ pairs: json.state.pairs, nonFinite: json.state.nonFinite });
  }
}
