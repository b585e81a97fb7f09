/** The compute backends (a Tensor's `backend`, `sluice bench --backends`). */
export const BACKEND_NAMES = ['cpu', 'webgpu', 'gpujs'] as const;

export type BackendName = (typeof BACKEND_NAMES)[number];
