/** Name of the integer column `kfold` adds: the row's fold, 0..k-1. */
export const FOLD_COLUMN = '__fold';
