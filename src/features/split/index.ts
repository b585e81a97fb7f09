export { FOLD_COLUMN } from './FOLD_COLUMN.js';
export { rowKeyHashes } from './rowKeyHashes.js';
export { Splitter, type SplitOptions, type SplitState } from './Splitter.js';
export { KFold, type KFoldState } from './KFold.js';
