import { type Batch, type Column, SpecError, Telemetry } from '../core/index.js';
import { type ColumnKernel, compileColumnFunction } from '../kernels/index.js';
import { type CompiledExpression, compileExpression } from './expr/compileExpression.js';
import type { NonFinitePolicy } from './expr/NonFinitePolicy.js';
import { numericColumn } from './expr/numericColumn.js';
import type { Transform, TransformState } from './Transform.js';

/** A JS function over numbers, one parameter per input column. */
export type ColumnFunction = (...args: number[]) => number;

/**
 * Compiles a ColumnFunction to a columnar kernel (the gpu.js path), or returns null when no
 * compiler/backend is available. Inputs are missing-free columns of equal length.
 */
export type ColumnFunctionCompiler = (
  fn: ColumnFunction,
  options: { columns: readonly string[] },
) => ((inputs: readonly Float64Array[], length: number) => ArrayLike<number>) | null;

export interface DeriveOptions {
  /** Present NaN/±Infinity in inputs: 'missing' (default) or 'error'. */
  nonFinite?: NonFinitePolicy;
  /** For a function: the input columns, in parameter order (default: the parameter names). */
  columns?: readonly string[];
  /** For a function: a synchronous columnar compiler. Without one, the function runs per row on the CPU. */
  compile?: ColumnFunctionCompiler;
  /**
   * For a function: where it runs. `cpu` (default): per row in TypeScript, which measured faster
   * than gpu.js's webasm SIMD path for such one-line kernels (see bench/RESULTS.md). `webasm` or
   * `webgpu`: compiled by gpu.js into a kernel (f32 arithmetic); only `applyAsync` uses it.
   */
  engine?: 'cpu' | 'webasm' | 'webgpu';
  telemetry?: Telemetry;
}

export interface DeriveState {
  name: string;
  expression: string | null;
  /** Source text of a JS function, for the record only (it is never evaluated back). */
  function: string | null;
  columns: string[];
  nonFinite: NonFinitePolicy;
}

/**
 * A new column from an expression of the safe derive language (`delay > 15`, `log1p(distance)`)
 * or from a JS function of columns. Missing inputs give missing outputs; non-finite results are
 * missing. Stateless. A function-based Derive cannot be restored by `fromJSON` (that would need
 * eval of stored text); spec files use expressions.
 */
export class Derive implements Transform<DeriveState> {
  readonly kind = 'derive';
  readonly nonFinite: NonFinitePolicy;
  readonly columns: readonly string[];
  /** Which path computed the last batch: expression, gpu.js kernel, `compile` hook, or per-row function. */
  path: 'expression' | 'gpujs' | 'compiled' | 'cpu' | null = null;
  private readonly expr: CompiledExpression | null;
  private readonly fn: ColumnFunction | null;
  private kernel: ((inputs: readonly Float64Array[], length: number) => ArrayLike<number>) | null | undefined;
  private readonly telemetry: Telemetry;
  readonly engine: 'cpu' | 'webasm' | 'webgpu';
  private gpuKernel: ColumnKernel | null = null;

  constructor(
    readonly name: string,
    def: string | ColumnFunction,
    private readonly options: DeriveOptions = {},
  ) {
    if (typeof name !== 'string' || !name) throw new SpecError('derive.name', 'expected the name of the new column');
    this.nonFinite = options.nonFinite ?? 'missing';
    if (this.nonFinite !== 'missing' && this.nonFinite !== 'error')
      throw new SpecError('derive.nonFinite', `expected 'missing' or 'error', got ${String(options.nonFinite)}`);
    this.telemetry = options.telemetry ?? Telemetry.global;
    this.engine = options.engine ?? 'cpu';
    if (!['cpu', 'webasm', 'webgpu'].includes(this.engine))
      throw new SpecError('derive.engine', `expected one of cpu|webasm|webgpu, got ${JSON.stringify(options.engine)}`);
    if (typeof def === 'string') {
      this.expr = compileExpression(def, { path: `derive.${name}`, nonFinite: this.nonFinite });
      this.fn = null;
      this.columns = this.expr.columns;
    } else if (typeof def === 'function') {
      this.expr = null;
      this.fn = def;
      this.columns = options.columns ?? parameterNames(def);
      if (this.columns.length !== def.length && options.columns === undefined)
        throw new SpecError(`derive.${name}`, 'could not read the function parameters; pass options.columns');
    } else throw new SpecError(`derive.${name}`, 'expected an expression string or a function');
  }

  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    if (this.expr) {
      this.path = 'expression';
      const col = this.expr.evaluate(batch);
      return batch.withColumn(this.name, col);
    }
    return batch.withColumn(this.name, this.applyFunction(batch));
  }

  /** Whether `applyAsync` is needed: a function compiled by gpu.js (async kernels). */
  get isAsync(): boolean {
    return this.fn !== null && this.engine !== 'cpu';
  }

  /** Like `apply`, running a function through its gpu.js kernel when `engine` asks for one. */
  async applyAsync(batch: Batch): Promise<Batch> {
    if (!this.isAsync) return this.apply(batch);
    if (this.gpuKernel === null) {
      this.gpuKernel = compileColumnFunction(this.fn!, { mode: this.engine as 'webasm' | 'webgpu' });
      this.telemetry.emit({ type: 'log', level: 'info', message: `derive ${this.name}: function compiled by gpu.js (${this.engine})` });
    }
    const n = batch.length;
    const inputs = this.columns.map((c) => numericColumn(batch, c, this.nonFinite, `derive ${this.name}`));
    const ok = new Uint8Array(n);
    let full = 0;
    for (let i = 0; i < n; i++) {
      let good = 1;
      for (const x of inputs)
        if (x[i] !== x[i]) {
          good = 0;
          break;
        }
      ok[i] = good;
      full += good;
    }
    const dense = inputs.map((x) => {
      const d = new Float32Array(full);
      for (let i = 0, j = 0; i < n; i++) if (ok[i]) d[j++] = x[i]!;
      return d;
    });
    const r = full > 0 ? await this.gpuKernel(dense) : new Float32Array(0);
    this.path = 'gpujs';
    const values = new Float64Array(n);
    for (let i = 0, j = 0; i < n; i++) values[i] = ok[i] ? r[j++]! : NaN;
    return batch.withColumn(this.name, finish(values));
  }

  /** Frees the gpu.js kernel, if one was compiled. */
  async dispose(): Promise<void> {
    const k = this.gpuKernel;
    this.gpuKernel = null;
    await k?.dispose();
  }

  private applyFunction(batch: Batch): Column {
    const n = batch.length;
    const inputs = this.columns.map((c) => numericColumn(batch, c, this.nonFinite, `derive ${this.name}`));
    const values = new Float64Array(n);
    if (this.kernel === undefined) {
      this.kernel = this.options.compile?.(this.fn!, { columns: this.columns }) ?? null;
      this.telemetry.emit({
        type: 'log',
        level: 'info',
        message: `derive ${this.name}: ${this.kernel ? 'function compiled by the given compiler' : 'function runs per row on the CPU'}`,
      });
    }
    // Rows with a missing input are left out of the kernel and stay missing.
    const ok = new Uint8Array(n);
    let full = 0;
    for (let i = 0; i < n; i++) {
      let good = 1;
      for (const x of inputs)
        if (x[i] !== x[i]) {
          good = 0;
          break;
        }
      ok[i] = good;
      full += good;
    }
    if (this.kernel) {
      this.path = 'compiled';
      const dense =
        full === n
          ? inputs
          : inputs.map((x) => {
              const d = new Float64Array(full);
              for (let i = 0, j = 0; i < n; i++) if (ok[i]) d[j++] = x[i]!;
              return d;
            });
      const r = this.kernel(dense, full);
      for (let i = 0, j = 0; i < n; i++) values[i] = ok[i] ? Number(r[j++]) : NaN;
    } else {
      this.path = 'cpu';
      const f = this.fn!,
        args: number[] = new Array(inputs.length);
      for (let i = 0; i < n; i++) {
        if (!ok[i]) {
          values[i] = NaN;
          continue;
        }
        for (let j = 0; j < inputs.length; j++) args[j] = inputs[j]![i]!;
        values[i] = Number(f(...args));
      }
    }
    return finish(values);
  }

  toJSON(): TransformState<DeriveState> {
    return {
      kind: this.kind,
      state: {
        name: this.name,
        expression: this.expr?.source ?? null,
        function: this.fn ? String(this.fn) : null,
        columns: this.columns.slice(),
        nonFinite: this.nonFinite,
      },
    };
  }

  static fromJSON(s: TransformState<DeriveState> | DeriveState): Derive {
    const st = 'state' in s ? s.state : s;
    if (st.expression === null)
      throw new SpecError(
        `derive.${st.name}`,
        'a derive made from a JS function cannot be restored from JSON (stored code is never evaluated); use an expression',
      );
    return new Derive(st.name, st.expression, { nonFinite: st.nonFinite });
  }
}

/** Non-finite results become missing. */
function finish(values: Float64Array): Column {
  const n = values.length;
  let bitmap: Uint8Array | null = null;
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(values[i]!)) {
      values[i] = NaN;
      bitmap ??= new Uint8Array((n + 7) >> 3).fill(0xff);
      bitmap[i >> 3]! &= ~(1 << (i & 7));
    }
  return { type: 'number', values, validity: bitmap };
}

/** Parameter names of `(a, b) => …`, `a => …` or `function (a, b) {…}`, read from the source text. */
function parameterNames(fn: ColumnFunction): string[] {
  const src = String(fn);
  const m = /^\s*(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(src) ?? /^\s*(?:async\s*)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (!m) return [];
  return m[1]!
    .split(',')
    .map((p) => p.trim().replace(/\s*=.*$/, ''))
    .filter(Boolean);
}
