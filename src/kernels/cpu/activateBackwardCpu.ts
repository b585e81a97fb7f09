import type { Activation } from '../Backend.js';

/** dx = dy·f'(x), with f' written from the forward output y: relu y > 0, sigmoid y(1−y), tanh 1−y². */
export function activateBackwardCpu(kind: Activation, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  const n = y.length;
  switch (kind) {
    case 'identity':
      if (dy !== dx) dx.set(dy);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) dx[i] = y[i]! > 0 ? dy[i]! : 0;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) { const v = y[i]!; dx[i] = dy[i]! * v * (1 - v); }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) { const v = y[i]!; dx[i] = dy[i]! * (1 - v * v); }
      return;
  }
}
