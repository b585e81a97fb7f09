/**
 * What a numeric step does with a present NaN or ±Infinity value: treat it as missing, or stop
 * with a BadInputError naming the row and column. Never passed on silently.
 */
export type NonFinitePolicy = 'missing' | 'error';
