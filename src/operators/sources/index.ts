export type { SourceOptions } from './SourceOptions.js';
export { fromCsv, type FromCsvOptions } from './fromCsv.js';
export { fromNdjson, type NdjsonOptions } from './fromNdjson.js';
export { fromJson, type JsonOptions } from './fromJson.js';
export { fromArrowIpc, type ArrowIpcOptions } from './fromArrowIpc.js';
export { fromParquet, type ParquetOptions } from './fromParquet.js';
export { fromTcp, type TcpOptions } from './fromTcp.js';
export { fromWebSocket, type WebSocketOptions } from './fromWebSocket.js';
