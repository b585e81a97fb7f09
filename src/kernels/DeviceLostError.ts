import { KernelError } from '../core/index.js';

/**
 * The GPU device was lost (destroyed, driver reset, GPU removed). Every pending read or sync
 * rejects with this error and every later call on the backend throws it; the backend must be
 * recreated.
 */
export class DeviceLostError extends KernelError {
  readonly reason: string;
  constructor(kernel: string, reason: string, message: string, options?: { cause?: unknown }) {
    super(kernel, {}, `device lost (${reason}): ${message}`, { ...options, code: 'DEVICE_LOST' });
    this.reason = reason;
  }
}
