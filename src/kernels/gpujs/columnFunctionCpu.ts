import { KernelError } from '../../core/index.js';

/**
 * The plain-TypeScript twin of a compiled column function: calls fn once per row with that
 * row's value from each column (f64 arithmetic, stored as f32). The reference for
 * compileColumnFunction and the baseline in measureCpuPaths.
 */
export function columnFunctionCpu(fn: (...args: number[]) => number): (columns: readonly Float32Array[]) => Float32Array {
  const arity = fn.length;
  return (columns) => {
    if (columns.length !== arity)
      throw new KernelError('columnFunction', { columns: [columns.length] }, `function takes ${arity} column(s), got ${columns.length}`);
    const n = columns[0]?.length ?? 0;
    if (columns.some((c) => c.length !== n))
      throw new KernelError('columnFunction', Object.fromEntries(columns.map((c, i) => [`c${i}`, [c.length]])), 'columns differ in length');
    const out = new Float32Array(n);
    switch (arity) {
      // Unrolled for the common arities: a spread call per row costs more than the arithmetic.
      case 1: {
        const [a] = columns as [Float32Array];
        for (let i = 0; i < n; i++) out[i] = fn(a[i]!);
        break;
      }
      case 2: {
        const [a, b] = columns as [Float32Array, Float32Array];
        for (let i = 0; i < n; i++) out[i] = fn(a[i]!, b[i]!);
        break;
      }
      case 3: {
        const [a, b, c] = columns as [Float32Array, Float32Array, Float32Array];
        for (let i = 0; i < n; i++) out[i] = fn(a[i]!, b[i]!, c[i]!);
        break;
      }
      default: {
        const args = new Array<number>(arity);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < arity; j++) args[j] = columns[j]![i]!;
          out[i] = fn(...args);
        }
      }
    }
    return out;
  };
}
