import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Rng } from '../../src/core/index.js';

export interface WideCsvOptions {
  /** Rows to write (default 60k). */
  rows?: number;
  seed?: number;
  /** Cache folder (default `<repo>/.bench-data`, git-ignored). */
  dir?: string;
}

/** A 28 × 28 image, as in MNIST. */
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;

/**
 * Writes (once, then reuses) a seeded CSV of images shaped like MNIST: `label,p0,…,p783`, a class
 * 0..9 then 784 integer pixels 0..255, row-major 28 × 28. Returns the path. Written to a temp name
 * and renamed, so an interrupted run never leaves a truncated cache.
 *
 * The label carries signal: each class has a prototype image, three Gaussian blobs (centres in the
 * middle 20 × 20, widths 2-4 pixels) summed and clipped to 1. A row of class c is
 *   pixel = round(255 · contrast · proto_c(x − dx, y − dy) + N(0, 25)), clamped to 0..255,
 * with contrast ~ U(0.6, 1), a shift dx, dy ∈ {−1, 0, 1}, and the noise only where the shifted
 * prototype is above 0.02 (the background stays 0, as in scanned digits, which also keeps the file
 * near MNIST's size: about 126 MB at 60k rows). Classes are drawn uniformly.
 */
export function wideCsv(options: WideCsvOptions = {}): string {
  const rows = options.rows ?? 60_000;
  const seed = options.seed ?? 7;
  const dir = options.dir ?? resolve(import.meta.dirname, '../../.bench-data');
  const path = join(dir, `wide-${rows}-s${seed}.csv`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const protos: Float32Array[] = [];
  for (let c = 0; c < CLASSES; c++) {
    const p = new Float32Array(PIXELS);
    for (let b = 0; b < 3; b++) {
      const cx = rng.uniform(4, 24),
        cy = rng.uniform(4, 24),
        s = rng.uniform(2, 4);
      for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) p[y * SIDE + x]! += Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s));
    }
    for (let i = 0; i < PIXELS; i++) p[i] = Math.min(1, p[i]!);
    protos.push(p);
  }
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `label,${Array.from({ length: PIXELS }, (_, i) => `p${i}`).join(',')}\n`);
    let parts: string[] = [];
    const line = new Array<number>(PIXELS + 1);
    for (let r = 0; r < rows; r++) {
      const c = rng.int(CLASSES);
      const p = protos[c]!;
      const contrast = rng.uniform(0.6, 1),
        dx = rng.int(3) - 1,
        dy = rng.int(3) - 1;
      line[0] = c;
      for (let y = 0; y < SIDE; y++)
        for (let x = 0; x < SIDE; x++) {
          const sx = x - dx,
            sy = y - dy;
          const v = sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE ? p[sy * SIDE + sx]! : 0;
          line[1 + y * SIDE + x] = v > 0.02 ? Math.max(0, Math.min(255, Math.round(255 * contrast * v + rng.normal(0, 25)))) : 0;
        }
      parts.push(`${line.join(',')}\n`);
      if (parts.length === 4096) {
        writeSync(fd, parts.join(''));
        parts = [];
      }
    }
    writeSync(fd, parts.join(''));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}
