/**
 * Test helper: the webgpu backend on the software adapter (Dawn GLES on Mesa llvmpipe).
 * `gpuTest(name, fn)` registers a test that runs with it. When the adapter cannot be created:
 * with CI set, every such test FAILS with the reason (a silent skip would let the GPU path rot);
 * without CI, they are registered as skipped (counted as skipped, not passed) and a warning is printed.
 */
import type { Test } from 'uvu';
import { createWebGpuBackend, type WebGpuBackend } from '../../src/kernels/index.js';

export interface SoftwareGpu {
  backend: WebGpuBackend | null;
  reason: string;
  /** Registers `fn` as a test of `suite` that needs the backend (see above). */
  test(suite: Test, name: string, fn: (backend: WebGpuBackend) => Promise<void> | void): void;
  /** Disposes the backend so Node can exit. */
  dispose(): Promise<void>;
}

export async function softwareBackend(): Promise<SoftwareGpu> {
  let backend: WebGpuBackend | null = null;
  let reason = '';
  try {
    backend = await createWebGpuBackend({ software: true });
  } catch (err) {
    reason = (err as Error).message;
    if (!process.env.CI) process.stderr.write(`warning: software WebGPU adapter unavailable, skipping GPU tests: ${reason}\n`);
  }
  return {
    backend,
    reason,
    test(suite, name, fn) {
      if (backend) {
        const b = backend;
        suite(name, () => fn(b));
        return;
      }
      if (process.env.CI)
        suite(name, () => {
          throw new Error(`CI=${process.env.CI}: the software WebGPU adapter is required: ${reason}`);
        });
      else suite.skip(name, () => undefined);
    },
    async dispose() {
      await backend?.dispose();
    },
  };
}
