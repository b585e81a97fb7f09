import { SluiceError } from './SluiceError.js';

/** A compute kernel failed or was called with shapes it cannot take. */
export class KernelError extends SluiceError {
  readonly kernel: string;
  readonly shapes: Record<string, readonly number[]>;
  constructor(kernel: string, shapes: Record<string, readonly number[]>, message: string, options?: { cause?: unknown; code?: string }) {
    const s = Object.entries(shapes)
      .map(([k, v]) => `${k}=[${v.join('x')}]`)
      .join(' ');
    super(options?.code ?? 'KERNEL', `kernel ${kernel}${s ? ` (${s})` : ''}: ${message}`, options);
    this.kernel = kernel;
    this.shapes = shapes;
  }
}
