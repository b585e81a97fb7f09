export type { Transform, TransformState } from './Transform.js';
export { SPLIT_COLUMN } from './SPLIT_COLUMN.js';
export { trainMask } from './trainMask.js';
