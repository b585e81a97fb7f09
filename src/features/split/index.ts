export { FOLD_COLUMN } from './FOLD_COLUMN.js';
export { KFold, type KFoldState } from './KFold.js';
export { rowKeyHashes } from './rowKeyHashes.js';
export { type SplitOptions, type SplitState, Splitter } from './Splitter.js';
