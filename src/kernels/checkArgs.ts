import { KernelError } from '../core/index.js';
import type { Activation, GemmOptions, LossKind } from './Backend.js';
import type { DType, Tensor } from './Tensor.js';

const ACTIVATIONS: readonly Activation[] = ['identity', 'relu', 'sigmoid', 'tanh'];
const LOSSES: readonly LossKind[] = ['logistic', 'softmax', 'squared', 'hinge'];

type Named = Record<string, Tensor | null>;

function shapesOf(ts: Named, extra: Record<string, readonly number[]>): Record<string, readonly number[]> {
  const out: Record<string, readonly number[]> = {};
  for (const [k, t] of Object.entries(ts)) if (t) out[k] = t.shape;
  return { ...out, ...extra };
}

function dims(kernel: string, ts: Named, extra: Record<string, readonly number[]>, values: Record<string, number>): void {
  for (const [name, v] of Object.entries(values)) {
    if (!Number.isInteger(v) || v < 0) throw new KernelError(kernel, shapesOf(ts, extra), `${name} must be a non-negative integer, got ${v}`);
  }
}

function expect(
  kernel: string,
  ts: Named,
  extra: Record<string, readonly number[]>,
  name: string,
  length: number,
  what: string,
  dtypes: readonly DType[] = ['f32'],
): void {
  const t = ts[name];
  if (!t) throw new KernelError(kernel, shapesOf(ts, extra), `${name} is missing`);
  if (t.length !== length) throw new KernelError(kernel, shapesOf(ts, extra), `${name} has ${t.length} elements, expected ${what} = ${length}`);
  if (!dtypes.includes(t.dtype)) throw new KernelError(kernel, shapesOf(ts, extra), `${name} is ${t.dtype}, expected ${dtypes.join(' or ')}`);
}

/**
 * Argument checks shared by every backend, so a bad call fails the same way everywhere:
 * a KernelError naming the kernel, the tensors' shapes and what does not fit.
 */
export const checkArgs = {
  gemm(a: Tensor, b: Tensor, c: Tensor, o: GemmOptions): void {
    const ts = { a, b, c };
    const x = { 'm,n,k': [o.m, o.n, o.k] };
    dims('gemm', ts, x, { m: o.m, n: o.n, k: o.k });
    expect('gemm', ts, x, 'a', o.m * o.k, 'm·k');
    expect('gemm', ts, x, 'b', o.k * o.n, 'k·n');
    expect('gemm', ts, x, 'c', o.m * o.n, 'm·n');
    checkArgs.gemmEpilogue(a, b, c, o);
  },
  /** The epilogue of a gemm whose operands were checked (see GemmEpilogue). */
  gemmEpilogue(a: Tensor, b: Tensor, c: Tensor, o: GemmOptions): void {
    const ep = o.epilogue,
      x = { 'm,n,k': [o.m, o.n, o.k] };
    if (!ep) return;
    if ('backward' in ep) {
      const es = { a, b, c, y: ep.y };
      if (!ACTIVATIONS.includes(ep.backward))
        throw new KernelError('gemm', shapesOf(es, x), `unknown epilogue activation "${ep.backward}" (expected ${ACTIVATIONS.join(', ')})`);
      if (!ep.y) throw new KernelError('gemm', shapesOf(es, x), 'the backward epilogue needs y, the forward output shaped like C');
      expect('gemm', es, x, 'y', o.m * o.n, 'm·n (y shaped like C)');
      if (ep.y === c) throw new KernelError('gemm', shapesOf(es, x), 'the backward epilogue reads y while writing C: y and c are the same tensor');
    } else {
      const es = { a, b, c, bias: ep.bias ?? null };
      if (ep.act !== undefined && !ACTIVATIONS.includes(ep.act))
        throw new KernelError('gemm', shapesOf(es, x), `unknown epilogue activation "${ep.act}" (expected ${ACTIVATIONS.join(', ')})`);
      if (ep.bias) {
        expect('gemm', es, x, 'bias', o.n, 'n (one per column of C)');
        if (ep.bias === c) throw new KernelError('gemm', shapesOf(es, x), 'the epilogue bias and c are the same tensor');
      }
    }
  },
  biasAdd(x: Tensor, bias: Tensor, rows: number, cols: number): void {
    const ts = { x, bias };
    const e = { 'rows,cols': [rows, cols] };
    dims('biasAdd', ts, e, { rows, cols });
    expect('biasAdd', ts, e, 'x', rows * cols, 'rows·cols');
    expect('biasAdd', ts, e, 'bias', cols, 'cols');
  },
  colSum(x: Tensor, out: Tensor, rows: number, cols: number): void {
    const ts = { x, out };
    const e = { 'rows,cols': [rows, cols] };
    dims('colSum', ts, e, { rows, cols });
    expect('colSum', ts, e, 'x', rows * cols, 'rows·cols');
    expect('colSum', ts, e, 'out', cols, 'cols');
  },
  activate(kernel: string, kind: Activation, x: Tensor, y: Tensor, dy?: Tensor): void {
    const ts: Named = dy ? { y: x, dy, dx: y } : { x, y };
    if (!ACTIVATIONS.includes(kind)) throw new KernelError(kernel, shapesOf(ts, {}), `unknown activation "${kind}" (expected ${ACTIVATIONS.join(', ')})`);
    for (const name of Object.keys(ts)) expect(kernel, ts, {}, name, x.length, 'the input length');
  },
  softmax(x: Tensor, y: Tensor, rows: number, cols: number): void {
    const ts = { x, y };
    const e = { 'rows,cols': [rows, cols] };
    dims('softmax', ts, e, { rows, cols });
    expect('softmax', ts, e, 'x', rows * cols, 'rows·cols');
    expect('softmax', ts, e, 'y', rows * cols, 'rows·cols');
  },
  lossGrad(kind: LossKind, z: Tensor, targets: Tensor, weights: Tensor | null, grad: Tensor, loss: Tensor, rows: number, cols: number): void {
    const ts = { z, targets, weights, grad, loss };
    const e = { 'rows,cols': [rows, cols] };
    const k = `lossGrad(${kind})`;
    if (!LOSSES.includes(kind)) throw new KernelError('lossGrad', shapesOf(ts, e), `unknown loss "${kind}" (expected ${LOSSES.join(', ')})`);
    dims(k, ts, e, { rows, cols });
    if ((kind === 'logistic' || kind === 'hinge') && cols !== 1)
      throw new KernelError(k, shapesOf(ts, e), `${kind} loss takes one output column, got cols=${cols}`);
    expect(k, ts, e, 'z', rows * cols, 'rows·cols');
    expect(k, ts, e, 'grad', rows * cols, 'rows·cols');
    // squared loss compares every output with its own target (multi-output regression).
    if (kind === 'squared') expect(k, ts, e, 'targets', rows * cols, 'rows·cols', ['f32', 'i32']);
    else expect(k, ts, e, 'targets', rows, 'rows', ['f32', 'i32']);
    if (weights) expect(k, ts, e, 'weights', rows, 'rows');
    expect(k, ts, e, 'loss', rows, 'rows');
  },
};
