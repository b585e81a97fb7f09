import { KernelError } from '../core/index.js';

/** A device allocation failed: larger than the adapter's limits, or the device ran out of memory. */
export class OutOfMemoryError extends KernelError {
  readonly bytes: number;
  constructor(kernel: string, shapes: Record<string, readonly number[]>, bytes: number, message: string, options?: { cause?: unknown }) {
    super(kernel, shapes, `out of memory allocating ${bytes} bytes: ${message}`, { ...options, code: 'OUT_OF_MEMORY' });
    this.bytes = bytes;
  }
}
