export { CsvParser, type CsvParserOptions } from './CsvParser.js';
export { csvBatches, type CsvBatchesOptions } from './csvBatches.js';
export { fromCsv, type FromCsvOptions } from './fromCsv.js';
export { CsvParseThread } from './CsvParseThread.js';
