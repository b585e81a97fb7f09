export { ByteStringCache } from './ByteStringCache.js';
export { CsvParser, type CsvParserOptions } from './CsvParser.js';
export { CsvParseThread } from './CsvParseThread.js';
export { type CsvBatchesOptions, csvBatches } from './csvBatches.js';
export type { CsvWorkerOptions } from './csvWorkerMain.js';
