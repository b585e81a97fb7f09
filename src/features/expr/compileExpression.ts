import { type Batch, type Column, type Schema, validity } from '../../core/index.js';
import { ExpressionError } from './ExpressionError.js';
import type { ExprNode } from './ExprNode.js';
import type { NonFinitePolicy } from './NonFinitePolicy.js';
import { numericColumn } from './numericColumn.js';
import { parseExpression } from './parseExpression.js';

export interface CompileExpressionOptions {
  /** Spec key path for error messages (default `expression`). */
  path?: string;
  /** Present NaN/±Infinity in number inputs: missing (default) or a BadInputError. */
  nonFinite?: NonFinitePolicy;
}

/** A parsed expression, bound to each batch's schema on use. */
export interface CompiledExpression {
  readonly source: string;
  /** Column names the expression reads. */
  readonly columns: readonly string[];
  /** Type-checks against `schema` (ExpressionError at the offending character); the result type. */
  check(schema: Schema): 'number' | 'boolean';
  /** Evaluates on every row. Missing inputs and non-finite results give missing outputs. */
  evaluate(batch: Batch): Extract<Column, { type: 'number' | 'boolean' }>;
}

type Kind = 'num' | 'bool' | 'str' | 'cat';
/** Evaluates a node over a batch: NaN = missing; booleans are 0/1. */
type Eval = (b: Batch) => Float64Array;
interface Bound {
  kind: Kind;
  ev: Eval /** string value, for `str` constants */;
  s?: string;
  col?: string;
  /** ev returns an array reused across batches (constants): read it, never write or emit it. */
  shared?: boolean;
}

const DAY = 86_400_000;
const hourOf = (ms: number) => Math.floor((((ms % DAY) + DAY) % DAY) / 3_600_000);
const NUM_FNS: Record<string, { min: number; max: number; f: (...a: number[]) => number }> = {
  log: { min: 1, max: 1, f: Math.log },
  log1p: { min: 1, max: 1, f: Math.log1p },
  exp: { min: 1, max: 1, f: Math.exp },
  sqrt: { min: 1, max: 1, f: Math.sqrt },
  abs: { min: 1, max: 1, f: Math.abs },
  floor: { min: 1, max: 1, f: Math.floor },
  ceil: { min: 1, max: 1, f: Math.ceil },
  round: { min: 1, max: 1, f: Math.round },
  min: { min: 1, max: Infinity, f: Math.min },
  max: { min: 1, max: Infinity, f: Math.max },
  // Calendar parts of epoch-ms values, in UTC. dayOfWeek: 0 = Sunday … 6 = Saturday (JS convention).
  hour: { min: 1, max: 1, f: hourOf },
  dayOfWeek: { min: 1, max: 1, f: (ms) => new Date(ms).getUTCDay() },
  dayOfMonth: { min: 1, max: 1, f: (ms) => new Date(ms).getUTCDate() },
  month: { min: 1, max: 1, f: (ms) => new Date(ms).getUTCMonth() + 1 },
  year: { min: 1, max: 1, f: (ms) => new Date(ms).getUTCFullYear() },
};
const SPECIAL_FNS = ['if', 'isMissing'];

/**
 * Compiles an expression of the derive language into closures over typed arrays. No eval and no
 * `new Function`: user text is only ever tokenized, parsed and walked.
 */
export function compileExpression(source: string, options: CompileExpressionOptions = {}): CompiledExpression {
  const path = options.path ?? 'expression';
  const nonFinite = options.nonFinite ?? 'missing';
  const root = parseExpression(source, path);
  const fail = (node: ExprNode, why: string): never => {
    throw new ExpressionError(source, node.pos + 1, why, path);
  };
  const columns: string[] = [];
  (function collect(n: ExprNode): void {
    if (n.type === 'col') {
      if (!columns.includes(n.name)) columns.push(n.name);
    } else if (n.type === 'call') {
      if (!(n.name in NUM_FNS) && !SPECIAL_FNS.includes(n.name))
        fail(n, `unknown function "${n.name}"; functions are ${[...Object.keys(NUM_FNS), ...SPECIAL_FNS].join(', ')}`);
      n.args.forEach(collect);
    } else if (n.type === 'unary') collect(n.arg);
    else if (n.type === 'binary') {
      collect(n.left);
      collect(n.right);
    }
  })(root);

  // A constant's array is filled once per batch length, not per batch (`delay > 15` read a fresh
  // array of 15s every batch); nodes only read their operands, and evaluate copies a shared root.
  const fill = (v: number): Eval => {
    let a = new Float64Array(0);
    return (b) => (a.length === b.length ? a : (a = new Float64Array(b.length).fill(v)));
  };

  const bind = (n: ExprNode, schema: Schema): Bound => {
    switch (n.type) {
      case 'num':
        return { kind: 'num', ev: fill(n.value), shared: true };
      case 'bool':
        return { kind: 'bool', ev: fill(n.value ? 1 : 0), shared: true };
      case 'str':
        return { kind: 'str', ev: () => fail(n, 'a string can only be compared with a category column'), s: n.value };
      case 'col': {
        if (!schema.has(n.name)) fail(n, `unknown column "${n.name}"; columns are ${schema.names.join(', ')}`);
        const t = schema.field(n.name).type;
        if (t === 'category' || t === 'text')
          return { kind: 'cat', ev: () => fail(n, `category column "${n.name}" can only be compared with a string`), col: n.name };
        if (t === 'vector') fail(n, `vector column "${n.name}" cannot be used in an expression`);
        return { kind: t === 'boolean' ? 'bool' : 'num', ev: (b) => numericColumn(b, n.name, nonFinite, `derive ${JSON.stringify(source)}`) };
      }
      case 'unary': {
        const a = bind(n.arg, schema);
        if (n.op === '-') {
          numeric(a, n.arg);
          return {
            kind: 'num',
            ev: (b) => {
              const x = a.ev(b),
                o = new Float64Array(x.length);
              for (let i = 0; i < x.length; i++) o[i] = -x[i]!;
              return o;
            },
          };
        }
        numeric(a, n.arg);
        return {
          kind: 'bool',
          ev: (b) => {
            const x = a.ev(b),
              o = new Float64Array(x.length);
            for (let i = 0; i < x.length; i++) o[i] = x[i] !== x[i] ? NaN : x[i] === 0 ? 1 : 0;
            return o;
          },
        };
      }
      case 'binary':
        return bindBinary(n, schema);
      case 'call':
        return bindCall(n, schema);
    }
  };

  const numeric = (a: Bound, node: ExprNode) => {
    if (a.kind === 'str' || a.kind === 'cat') fail(node, `expected a number or boolean, found a ${a.kind === 'str' ? 'string' : 'category column'}`);
  };

  const bindBinary = (n: Extract<ExprNode, { type: 'binary' }>, schema: Schema): Bound => {
    const l = bind(n.left, schema),
      r = bind(n.right, schema);
    if ((n.op === '==' || n.op === '!=') && (l.kind === 'cat' || r.kind === 'cat' || l.kind === 'str' || r.kind === 'str')) return bindStringEq(n, l, r);
    numeric(l, n.left);
    numeric(r, n.right);
    const op = n.op;
    const kind: Kind = op === '+' || op === '-' || op === '*' || op === '/' || op === '%' ? 'num' : 'bool';
    return {
      kind,
      ev: (b) => {
        const x = l.ev(b),
          y = r.ev(b),
          len = b.length,
          o = new Float64Array(len);
        switch (op) {
          case '+':
            for (let i = 0; i < len; i++) o[i] = x[i]! + y[i]!;
            break;
          case '-':
            for (let i = 0; i < len; i++) o[i] = x[i]! - y[i]!;
            break;
          case '*':
            for (let i = 0; i < len; i++) o[i] = x[i]! * y[i]!;
            break;
          case '/':
            for (let i = 0; i < len; i++) o[i] = x[i]! / y[i]!;
            break;
          case '%':
            for (let i = 0; i < len; i++) o[i] = x[i]! % y[i]!;
            break;
          // Comparisons with a missing operand are missing, not false.
          case '==':
            for (let i = 0; i < len; i++) o[i] = x[i] !== x[i] || y[i] !== y[i] ? NaN : x[i] === y[i] ? 1 : 0;
            break;
          case '!=':
            for (let i = 0; i < len; i++) o[i] = x[i] !== x[i] || y[i] !== y[i] ? NaN : x[i] !== y[i] ? 1 : 0;
            break;
          case '<':
            for (let i = 0; i < len; i++) o[i] = x[i] !== x[i] || y[i] !== y[i] ? NaN : x[i]! < y[i]! ? 1 : 0;
            break;
          case '<=':
            for (let i = 0; i < len; i++) o[i] = x[i] !== x[i] || y[i] !== y[i] ? NaN : x[i]! <= y[i]! ? 1 : 0;
            break;
          case '>':
            for (let i = 0; i < len; i++) o[i] = x[i] !== x[i] || y[i] !== y[i] ? NaN : x[i]! > y[i]! ? 1 : 0;
            break;
          case '>=':
            for (let i = 0; i < len; i++) o[i] = x[i] !== x[i] || y[i] !== y[i] ? NaN : x[i]! >= y[i]! ? 1 : 0;
            break;
          // Kleene logic: false and missing = false, true or missing = true; numbers: non-zero is true.
          case 'and':
            for (let i = 0; i < len; i++) {
              const p = x[i]!,
                q = y[i]!;
              o[i] = p === 0 || q === 0 ? 0 : p !== p || q !== q ? NaN : 1;
            }
            break;
          case 'or':
            for (let i = 0; i < len; i++) {
              const p = x[i]!,
                q = y[i]!;
              o[i] = (p === p && p !== 0) || (q === q && q !== 0) ? 1 : p !== p || q !== q ? NaN : 0;
            }
            break;
        }
        return o;
      },
    };
  };

  const bindStringEq = (n: Extract<ExprNode, { type: 'binary' }>, l: Bound, r: Bound): Bound => {
    const neq = n.op === '!=';
    const strOf = (b: Batch, bound: Bound, i: number): string | null => {
      if (bound.kind === 'str') return bound.s!;
      const c = b.column(bound.col!) as Extract<Column, { type: 'category' }>;
      return validity.get(c.validity, i) ? c.dictionary.get(c.codes[i]!) : null;
    };
    if (l.kind === 'str' && r.kind === 'str') {
      const v = (l.s === r.s) !== neq ? 1 : 0;
      return { kind: 'bool', ev: fill(v), shared: true };
    }
    if ((l.kind === 'cat' && r.kind === 'str') || (l.kind === 'str' && r.kind === 'cat')) {
      const cat = l.kind === 'cat' ? l : r,
        lit = l.kind === 'str' ? l.s! : r.s!;
      return {
        kind: 'bool',
        // Compares dictionary codes: one lookup per batch, no string per row.
        ev: (b) => {
          const c = b.column(cat.col!) as Extract<Column, { type: 'category' }>;
          const code = c.dictionary.lookup(lit),
            o = new Float64Array(b.length);
          for (let i = 0; i < b.length; i++) o[i] = !validity.get(c.validity, i) ? NaN : (c.codes[i] === code) !== neq ? 1 : 0;
          return o;
        },
      };
    }
    if (l.kind === 'cat' && r.kind === 'cat') {
      return {
        kind: 'bool',
        ev: (b) => {
          const o = new Float64Array(b.length);
          for (let i = 0; i < b.length; i++) {
            const p = strOf(b, l, i),
              q = strOf(b, r, i);
            o[i] = p === null || q === null ? NaN : (p === q) !== neq ? 1 : 0;
          }
          return o;
        },
      };
    }
    const bad = l.kind === 'str' || l.kind === 'cat' ? n.right : n.left;
    return fail(bad, 'a string or category column can only be compared with a string or category column');
  };

  const bindCall = (n: Extract<ExprNode, { type: 'call' }>, schema: Schema): Bound => {
    const args = n.args.map((a) => bind(a, schema));
    const arity = (min: number, max: number) => {
      if (args.length < min || args.length > max)
        fail(
          n,
          `${n.name} takes ${min === max ? min : max === Infinity ? `at least ${min}` : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${args.length}`,
        );
    };
    if (n.name === 'isMissing') {
      arity(1, 1);
      const a = args[0]!,
        node = n.args[0]!;
      if (a.kind === 'cat')
        return {
          kind: 'bool',
          ev: (b) => {
            const c = b.column(a.col!),
              o = new Float64Array(b.length);
            for (let i = 0; i < b.length; i++) o[i] = validity.get(c.validity, i) ? 0 : 1;
            return o;
          },
        };
      numeric(a, node);
      return {
        kind: 'bool',
        ev: (b) => {
          const x = a.ev(b),
            o = new Float64Array(x.length);
          for (let i = 0; i < x.length; i++) o[i] = x[i] !== x[i] ? 1 : 0;
          return o;
        },
      };
    }
    if (n.name === 'if') {
      arity(3, 3);
      args.forEach((a, i) => numeric(a, n.args[i]!));
      const [c, t, e] = args as [Bound, Bound, Bound];
      return {
        kind: t.kind === 'bool' && e.kind === 'bool' ? 'bool' : 'num',
        ev: (b) => {
          const x = c.ev(b),
            y = t.ev(b),
            z = e.ev(b),
            o = new Float64Array(x.length);
          for (let i = 0; i < x.length; i++) o[i] = x[i] !== x[i] ? NaN : x[i] !== 0 ? y[i]! : z[i]!;
          return o;
        },
      };
    }
    const spec = NUM_FNS[n.name]!;
    arity(spec.min, spec.max);
    args.forEach((a, i) => numeric(a, n.args[i]!));
    const f = spec.f;
    if (args.length === 1) {
      const a = args[0]!;
      return {
        kind: 'num',
        ev: (b) => {
          const x = a.ev(b),
            o = new Float64Array(x.length);
          for (let i = 0; i < x.length; i++) o[i] = x[i] !== x[i] ? NaN : f(x[i]!);
          return o;
        },
      };
    }
    return {
      kind: 'num',
      ev: (b) => {
        const xs = args.map((a) => a.ev(b)),
          o = new Float64Array(b.length),
          row: number[] = new Array(xs.length);
        for (let i = 0; i < b.length; i++) {
          for (let j = 0; j < xs.length; j++) row[j] = xs[j]![i]!;
          o[i] = f(...row);
        }
        return o;
      },
    };
  };

  // `column op number` (a target like `delay > 15`): compared straight into booleans.
  const compare = comparisonOf(root);
  let cache: { schema: Schema; bound: Bound } | null = null;
  const bound = (schema: Schema): Bound => {
    if (cache?.schema !== schema) {
      const b = bind(root, schema);
      if (b.kind === 'str' || b.kind === 'cat') fail(root, 'the expression must give a number or a boolean');
      cache = { schema, bound: b };
    }
    return cache.bound;
  };

  return {
    source,
    columns,
    check: (schema) => (bound(schema).kind === 'bool' ? 'boolean' : 'number'),
    evaluate(batch) {
      const b = bound(batch.schema);
      if (compare) {
        const fast = compareColumn(batch, compare.column, compare.op, compare.value);
        if (fast) return fast;
      }
      const x = b.shared ? b.ev(batch).slice() : b.ev(batch),
        n = batch.length;
      const bitmap = validity.allocate(n, 1);
      let missing = 0;
      for (let i = 0; i < n; i++)
        if (!Number.isFinite(x[i]!)) {
          validity.set(bitmap, i, false);
          missing++;
        }
      if (b.kind === 'bool') {
        const values = new Uint8Array(n);
        for (let i = 0; i < n; i++) values[i] = x[i] === 1 ? 1 : 0;
        return { type: 'boolean', values, validity: missing ? bitmap : null };
      }
      // Non-finite results (log(0), x/0) are missing, never passed on as values.
      if (missing) for (let i = 0; i < n; i++) if (!Number.isFinite(x[i]!)) x[i] = NaN;
      return { type: 'number', values: copyIfShared(x, batch), validity: missing ? bitmap : null };
    },
  };
}

/** A bare column reference returns the input array itself; the output must not alias it. */
function copyIfShared(x: Float64Array, batch: Batch): Float64Array {
  for (const c of batch.columns) if ('values' in c && (c.values as unknown) === x) return x.slice();
  return x;
}

type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
const FLIPPED: Record<CompareOp, CompareOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

/** `column op number` or `number op column` as column, op, number (op turned round for the second); else null. */
function comparisonOf(n: ExprNode): { column: string; op: CompareOp; value: number } | null {
  if (n.type !== 'binary' || !(n.op in FLIPPED)) return null;
  const op = n.op as CompareOp;
  if (n.left.type === 'col' && n.right.type === 'num' && !Number.isNaN(n.right.value)) return { column: n.left.name, op, value: n.right.value };
  if (n.right.type === 'col' && n.left.type === 'num' && !Number.isNaN(n.left.value)) return { column: n.right.name, op: FLIPPED[op], value: n.left.value };
  return null;
}

/**
 * The comparison of an integer column (always finite; missing by its bitmap) with a number, as
 * the general path gives it: 1/0, missing where the input is missing. Null for other columns.
 */
function compareColumn(batch: Batch, name: string, op: CompareOp, k: number): Extract<Column, { type: 'boolean' }> | null {
  const c = batch.column(name);
  if (c.type !== 'integer') return null;
  const n = batch.length,
    v = c.values,
    out = new Uint8Array(n);
  switch (op) {
    case '<':
      for (let i = 0; i < n; i++) out[i] = +(v[i]! < k);
      break;
    case '<=':
      for (let i = 0; i < n; i++) out[i] = +(v[i]! <= k);
      break;
    case '>':
      for (let i = 0; i < n; i++) out[i] = +(v[i]! > k);
      break;
    case '>=':
      for (let i = 0; i < n; i++) out[i] = +(v[i]! >= k);
      break;
    case '==':
      for (let i = 0; i < n; i++) out[i] = +(v[i]! === k);
      break;
    case '!=':
      for (let i = 0; i < n; i++) out[i] = +(v[i]! !== k);
      break;
  }
  const bits = c.validity;
  if (bits === null) return { type: 'boolean', values: out, validity: null };
  let bitmap: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    if (((bits[i >> 3]! >> (i & 7)) & 1) === 1) continue;
    out[i] = 0;
    bitmap ??= validity.allocate(n, 1);
    validity.set(bitmap, i, false);
  }
  return { type: 'boolean', values: out, validity: bitmap };
}
