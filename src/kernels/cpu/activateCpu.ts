import type { Activation } from '../Backend.js';

/** y = f(x) elementwise; x and y may be the same array. Sigmoid and tanh are written to avoid overflow. */
export function activateCpu(kind: Activation, x: Float32Array, y: Float32Array): void {
  const n = x.length;
  switch (kind) {
    case 'identity':
      if (x !== y) y.set(x);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) { const v = x[i]!; y[i] = v > 0 ? v : 0; }
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
        else { const e = Math.exp(v); y[i] = e / (1 + e); }
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]!);
      return;
  }
}
