export { Backoff, type BackoffOptions } from './Backoff.js';
export { BatchUnifier } from './BatchUnifier.js';
export { PullMerger } from './PullMerger.js';
export { retryAfter } from './retryAfter.js';
export { type SocketFormatOptions, SocketParser } from './SocketParser.js';
export { sleep } from './sleep.js';
export { type SocketEnd, socketChunks } from './socketChunks.js';
