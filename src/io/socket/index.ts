export { SocketParser, type SocketFormatOptions } from './SocketParser.js';
export { socketChunks, type SocketEnd } from './socketChunks.js';
export { PullMerger } from './PullMerger.js';
export { BatchUnifier } from './BatchUnifier.js';
export { Backoff, type BackoffOptions } from './Backoff.js';
export { retryAfter } from './retryAfter.js';
export { sleep } from './sleep.js';
