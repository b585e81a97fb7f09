/** Tokens read as missing by every text source unless a source's `nullValues` says otherwise. */
export const DEFAULT_NULL_VALUES: readonly string[] = ['', 'NA', 'N/A', 'null', 'NULL', 'None'];
