import { activateBackwardCpu } from './activateBackwardCpu.js';
import { activateCpu } from './activateCpu.js';

/**
 * An activation applied to C after alpha/beta, in the same pass: 'relu' (activateCpu's relu) or
 * 'reluBackward' (activateBackwardCpu's relu with y, shaped like C, as the forward output: C stays
 * where y > 0, else +0). Exactly the separate kernel's result.
 */
export interface GemmAfter {
  act: 'relu' | 'reluBackward';
  y?: Float32Array;
}

/** The separate-kernel form of GemmAfter over c[off, off + len). */
export function gemmAfterCpu(after: GemmAfter, c: Float32Array, off: number, len: number): void {
  const part = c.subarray(off, off + len);
  if (after.act === 'relu') activateCpu('relu', part, part);
  else activateBackwardCpu('relu', after.y!.subarray(off, off + len), part, part);
}
