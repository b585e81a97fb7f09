import { ENGLISH_STOPWORDS } from './ENGLISH_STOPWORDS.js';

export interface TokenizeOptions {
  /** Drop stopwords: true for the English list, or a set of your own (default false). */
  stopwords?: boolean | ReadonlySet<string>;
  /** Drop tokens shorter than this many characters (default 1). */
  minLength?: number;
}

const WORD = /[\p{L}\p{N}_]+/gu;

/** Splits text into runs of letters, digits and underscores; anything else separates tokens. */
export function tokenize(s: string, options: TokenizeOptions = {}): string[] {
  const stop = options.stopwords === true ? ENGLISH_STOPWORDS : options.stopwords || null;
  const min = options.minLength ?? 1;
  const out: string[] = [];
  for (const m of s.matchAll(WORD)) {
    const w = m[0];
    if (w.length >= min && !stop?.has(w)) out.push(w);
  }
  return out;
}
