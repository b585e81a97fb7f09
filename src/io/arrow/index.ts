export { ArrowBatchDecoder } from './ArrowBatchDecoder.js';
export { ArrowIpcReader, type IpcMessage } from './ArrowIpcReader.js';
export { arrowDictionaryColumn } from './arrowDictionaryColumn.js';
export { arrowTimeColumn } from './arrowTimeColumn.js';
