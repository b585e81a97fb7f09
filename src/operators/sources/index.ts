export type { SourceOptions } from './SourceOptions.js';
export { ndjsonBatches, type NdjsonBatchOptions } from './ndjsonBatches.js';
export { fromNdjson, type NdjsonOptions } from './fromNdjson.js';
export { fromArrowIpc, type ArrowIpcOptions } from './fromArrowIpc.js';
export { fromParquet, type ParquetOptions } from './fromParquet.js';
export { Backoff, type BackoffOptions } from './Backoff.js';
export type { SocketFormatOptions } from './SocketParser.js';
export { fromTcp, type TcpOptions } from './fromTcp.js';
export { fromWebSocket, type WebSocketOptions } from './fromWebSocket.js';
