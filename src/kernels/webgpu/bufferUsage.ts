/**
 * GPUBufferUsage / GPUMapMode flag values from the WebGPU spec. Node has no such globals unless
 * the `webgpu` package's globals are installed on globalThis, which this backend does not do.
 */
export const bufferUsage = {
  MAP_READ: 0x1,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
  MAP_MODE_READ: 0x1,
} as const;
