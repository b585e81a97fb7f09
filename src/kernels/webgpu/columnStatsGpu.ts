import { KernelError } from '../../core/index.js';
import type { GpuContext } from '../GpuContext.js';
import type { Tensor } from '../Tensor.js';

// Invocations per workgroup: within the 128 that compatibility-level devices grant by default.
const THREADS = 64;
const MAX_GROUPS = 65535;

/**
 * Records column statistics (column_stats.wgsl) of a rows×cols f32 matrix into the 6×cols
 * `out` (count, sum, mean, M2, min, max; NaN ignored); semantics of columnStatsCpu, in f32.
 * Narrow matrices get more row stripes per column so a single column still uses the whole
 * workgroup. One workgroup reduces all rows of its columns: parallelism is cols/TC groups.
 */
export function columnStatsGpu(ctx: GpuContext, x: Tensor, out: Tensor, rows: number, cols: number): void {
  const shapes = { x: [...x.shape], out: [...out.shape], rowsCols: [rows, cols] };
  if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows >= 0 && cols >= 0) || x.length < rows * cols || out.length < 6 * cols) {
    throw new KernelError('columnStats', shapes, 'x must hold rows×cols and out 6×cols elements');
  }
  if (x.dtype !== 'f32' || out.dtype !== 'f32') throw new KernelError('columnStats', shapes, 'x and out must be f32');
  if (cols === 0) return;
  const tc = cols >= 16 ? 16 : cols >= 4 ? 4 : 1;
  const rs = THREADS / tc;
  const buf = new Uint32Array([rows, cols, 0, 0]).buffer;
  const pipeline = ctx.pipeline('column_stats.wgsl', 'column_stats', { TC: tc, RS: rs });
  ctx.dispatch(pipeline, [ctx.uniform(buf), ctx.buffer(x), ctx.buffer(out)], [Math.min(Math.ceil(cols / tc), MAX_GROUPS)]);
}
