import type { Activation } from '../Backend.js';

/** dx = dy·f'(x), with f' written from the forward output y: relu y > 0, sigmoid y(1−y), tanh 1−y². */
export function activateBackwardCpu(kind: Activation, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  const n = y.length;
  switch (kind) {
    case 'identity':
      if (dy !== dx) dx.set(dy);
      return;
    case 'relu': {
      // Branch-free on the bits (see activateCpu): y > 0 exactly when its bits a + 1 have 0 ≤ a ≤ 0x7f7fffff
      // (positive, up to +Inf, not NaN); the mask keeps dy's bits or gives +0.
      const yi = new Int32Array(y.buffer, y.byteOffset, n),
        dyi = new Int32Array(dy.buffer, dy.byteOffset, n),
        dxi = new Int32Array(dx.buffer, dx.byteOffset, n);
      for (let i = 0; i < n; i++) {
        const a = (yi[i]! - 1) | 0;
        dxi[i] = dyi[i]! & ~((a | (0x7f7fffff - a)) >> 31);
      }
      return;
    }
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = y[i]!;
        dx[i] = dy[i]! * v * (1 - v);
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) {
        const v = y[i]!;
        dx[i] = dy[i]! * (1 - v * v);
      }
      return;
  }
}
