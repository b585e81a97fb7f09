export { LineReader, type LineSink } from './LineReader.js';
export { ndjsonBatches, type NdjsonBatchOptions } from './ndjsonBatches.js';
export { JsonArrayReader } from './JsonArrayReader.js';
