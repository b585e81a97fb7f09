export { charNgrams } from './charNgrams.js';
export { type CleanStringOptions, cleanString } from './cleanString.js';
export { ENGLISH_STOPWORDS } from './ENGLISH_STOPWORDS.js';
export { HashedTfidf, type HashedTfidfOptions, type HashedTfidfState } from './HashedTfidf.js';
export { TextCleaner, type TextCleanerState } from './TextCleaner.js';
export { type TokenizeOptions, tokenize } from './tokenize.js';
export { wordNgrams } from './wordNgrams.js';
