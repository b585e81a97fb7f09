export { CsvParser, type CsvParserOptions } from './CsvParser.js';
export { csvBatches, type CsvBatchesOptions } from './csvBatches.js';
export { CsvParseThread } from './CsvParseThread.js';
export type { CsvWorkerOptions } from './csvWorkerMain.js';
export { ByteStringCache } from './ByteStringCache.js';
