import { KernelError } from '../../core/index.js';

/**
 * Spreads `groups` workgroups over x (at most `maxPerDim`) and y; kernels recover the linear
 * group index as wid.y·nwg.x + wid.x and ignore the overshoot.
 */
export function gridFor(kernel: string, groups: number, maxPerDim: number): [number, number] {
  if (groups <= maxPerDim) return [Math.max(groups, 1), 1];
  const y = Math.ceil(groups / maxPerDim);
  if (y > maxPerDim) throw new KernelError(kernel, { groups: [groups] }, `needs more than ${maxPerDim}² workgroups`);
  return [Math.ceil(groups / y), y];
}
