import type { Activation } from '../Backend.js';

/** y = f(x) elementwise; x and y may be the same array. Sigmoid and tanh are written to avoid overflow. */
export function activateCpu(kind: Activation, x: Float32Array, y: Float32Array): void {
  const n = x.length;
  switch (kind) {
    case 'identity':
      if (x !== y) y.set(x);
      return;
    case 'relu': {
      // On the bits, without a branch: the signs of pre-activations are random, and a mispredicted
      // `v > 0 ? v : 0` cost ~3x this loop. Keeps v when 0 < v ≤ +Inf (sign clear, not NaN), else +0,
      // which is exactly what the comparison gives (NaN and −0 included).
      const xi = new Int32Array(x.buffer, x.byteOffset, n),
        yi = new Int32Array(y.buffer, y.byteOffset, n);
      for (let i = 0; i < n; i++) {
        const v = xi[i]!;
        yi[i] = v & ~(v >> 31) & ~((0x7f800000 - v) >> 31);
      }
      return;
    }
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          y[i] = e / (1 + e);
        }
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]!);
      return;
  }
}
