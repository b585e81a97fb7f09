import { globals } from 'webgpu';
import { dawnInstance } from '../webgpu/index.js';
import { gpuJs } from './gpuJs.js';

export interface NavigatorGpuOptions {
  /** Dawn flags; default ['backend=opengles'] (Mesa llvmpipe without a GPU). */
  dawnFlags?: string[];
  /** Ask requestAdapter for featureLevel 'compatibility' (needed on the OpenGL ES path; default true). */
  compatibility?: boolean;
}

let holders = 0;
let installed: { hadNavigator: boolean } | null = null;

/**
 * gpu.js's webgpu mode looks at `navigator.gpu`; Node has none (Node 20 has no `navigator` at
 * all). This puts a Dawn instance there, wrapped so `requestAdapter` asks for the compatibility
 * feature level, and returns a release function. Reference-counted: the last release destroys
 * gpu.js's shared device and uninstalls `navigator.gpu` (the Dawn instance itself is the
 * process's, see dawnInstance).
 */
export function installNavigatorGpu(options: NavigatorGpuOptions = {}): () => Promise<void> {
  holders++;
  if (!installed) {
    process.env.EGL_PLATFORM ??= 'surfaceless';
    for (const [k, v] of Object.entries(globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
    const dawn = dawnInstance(options.dawnFlags ?? ['backend=opengles']);
    const compat = options.compatibility ?? true;
    const gpu = {
      requestAdapter: (o?: GPURequestAdapterOptions) => dawn.requestAdapter(compat ? ({ ...o, featureLevel: 'compatibility' } as GPURequestAdapterOptions) : o),
      getPreferredCanvasFormat: () => 'rgba8unorm' as GPUTextureFormat,
      wgslLanguageFeatures: dawn.wgslLanguageFeatures,
    };
    const g = globalThis as { navigator?: { gpu?: unknown } };
    const hadNavigator = g.navigator !== undefined;
    if (hadNavigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    installed = { hadNavigator };
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    if (--holders > 0 || !installed) return;
    await gpuJs.WebGPUContext.destroy();
    const g = globalThis as { navigator?: { gpu?: unknown } };
    if (installed.hadNavigator) delete g.navigator!.gpu;
    else delete g.navigator;
    installed = null;
  };
}
