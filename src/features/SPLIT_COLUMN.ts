/**
 * Name of the integer column that the split operators add: 0 = train, 1 = validation, 2 = test.
 * Transforms learn only from rows where it is 0 (or from all rows when it is absent).
 */
export const SPLIT_COLUMN = '__split';
