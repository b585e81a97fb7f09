export { cleanString, type CleanStringOptions } from './cleanString.js';
export { ENGLISH_STOPWORDS } from './ENGLISH_STOPWORDS.js';
export { tokenize, type TokenizeOptions } from './tokenize.js';
export { wordNgrams } from './wordNgrams.js';
export { charNgrams } from './charNgrams.js';
export { TextCleaner, type TextCleanerState } from './TextCleaner.js';
export { HashedTfidf, type HashedTfidfOptions, type HashedTfidfState } from './HashedTfidf.js';
