/**
 * Pull-based readers and parsers, with no RxJS: byte inputs (files, gzip, stdin), the CSV parser
 * and its parse thread, Arrow IPC, NDJSON and JSON arrays, socket framing and reconnection. Each
 * yields PullChunks or Batches when asked; the RxJS sources in operators/ are thin wrappers.
 */

export * from './arrow/index.js';
export { checkPositiveInt } from './checkPositiveInt.js';
export * from './csv/index.js';
export * from './input/index.js';
export * from './json/index.js';
export * from './socket/index.js';
export * from './writers/index.js';
