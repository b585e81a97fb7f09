export { type ArrowIpcOptions, fromArrowIpc } from './fromArrowIpc.js';
export { type FromCsvOptions, fromCsv } from './fromCsv.js';
export { fromJson, type JsonOptions } from './fromJson.js';
export { fromNdjson, type NdjsonOptions } from './fromNdjson.js';
export { fromParquet, type ParquetOptions } from './fromParquet.js';
export { fromTcp, type TcpOptions } from './fromTcp.js';
export { fromWebSocket, type WebSocketOptions } from './fromWebSocket.js';
export type { SourceOptions } from './SourceOptions.js';
