export { ArrowBatchWriter } from './ArrowBatchWriter.js';
export type { BatchWriter, BatchWriterOptions, OutputFormat } from './BatchWriter.js';
export { CsvBatchWriter } from './CsvBatchWriter.js';
export { NdjsonBatchWriter } from './NdjsonBatchWriter.js';
export { openBatchWriter } from './openBatchWriter.js';
