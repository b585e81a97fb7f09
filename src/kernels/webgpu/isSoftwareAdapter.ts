// Mesa llvmpipe/softpipe/lavapipe, SwiftShader, Microsoft WARP / Basic Render Driver.
const SOFTWARE = /llvmpipe|softpipe|lavapipe|swiftshader|software|basic render|\bwarp\b/i;

/** True for an adapter that runs on the CPU: a fallback adapter or a known software rasteriser. */
export function isSoftwareAdapter(info: GPUAdapterInfo): boolean {
  if ((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter) return true;
  return SOFTWARE.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}
