import { isSoftwareAdapter } from './isSoftwareAdapter.js';

/** "llvmpipe-llvm-15-0-6-256-bits- (OpenGL version OpenGL ES 3.2 Mesa 22.3.6) [software]" and the like. */
export function describeAdapter(info: GPUAdapterInfo, backendFlag: string): string {
  const parts = [info.vendor, info.architecture, info.device].filter((s) => s?.trim()).map((s) => s.trim());
  const head = parts.length ? parts.join(' ') : 'unknown adapter';
  const desc = info.description?.trim();
  return `${head}${desc && !head.includes(desc) ? ` (${desc})` : ''} via ${backendFlag}${isSoftwareAdapter(info) ? ' [software]' : ''}`;
}
