export { JsonArrayReader } from './JsonArrayReader.js';
export { LineReader, type LineSink } from './LineReader.js';
export { type NdjsonBatchOptions, ndjsonBatches } from './ndjsonBatches.js';
