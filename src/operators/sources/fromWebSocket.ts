import type { Observable } from 'rxjs';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { SpecError, Telemetry, fromPull, type Batch } from '../../core/index.js';
import { Backoff, type BackoffOptions } from './Backoff.js';
import { BatchUnifier } from './BatchUnifier.js';
import { SocketParser, type SocketFormatOptions } from './SocketParser.js';
import { checkPositiveInt } from './checkPositiveInt.js';
import { retryAfter } from './retryAfter.js';

/** Options of `fromWebSocket`. Parsing and bad rows: see SocketFormatOptions. */
export interface WebSocketOptions extends SocketFormatOptions {
  /** Batches in flight before messages stop being taken (default 4). */
  capacity?: number;
  /** Bytes of received, untaken messages at which the socket is paused (default 1 MiB). */
  highWaterMark?: number;
  /** Retry timing for failed connects and abnormal closes; default `false`: such a failure errors the stream. */
  reconnect?: BackoffOptions | false;
  /** Reconnect also after a normal close (codes 1000/1001); default false: a normal close completes the stream. */
  reconnectOnClose?: boolean;
  /** Passed to the `ws` client (headers, TLS, handshake timeout). */
  client?: ClientOptions;
}

const NEWLINE = new Uint8Array([10]);

interface Closed { code: number; reason: string; error: Error | null }

/**
 * Rows from a WebSocket server (client side, `ws` package). Each message carries one or more
 * NDJSON or CSV lines; a message always ends a line. Messages are taken pull-style: when more
 * than `highWaterMark` bytes wait untaken (the pipeline's queue is full), the underlying socket
 * is paused, so the server sees TCP backpressure; it resumes when the reader takes them. Line
 * numbers are per connection (`ws://…#<n>` in errors). Optional reconnection with backoff emits
 * a `log` event per retry.
 */
export function fromWebSocket(url: string, options: WebSocketOptions = {}): Observable<Batch> {
  let parsed: URL;
  try { parsed = new URL(url); } catch { throw new SpecError('url', `not a URL: ${JSON.stringify(url)}`); }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new SpecError('url', `expected a ws:// or wss:// URL, got ${JSON.stringify(url)}`);
  SocketParser.validate(options);
  checkPositiveInt('capacity', options.capacity);
  checkPositiveInt('highWaterMark', options.highWaterMark);
  if (options.reconnect) new Backoff(options.reconnect);
  const highWater = options.highWaterMark ?? 1 << 20;
  const telemetry = options.telemetry ?? Telemetry.global;
  return fromPull(async function* (signal) {
    const parser = new SocketParser(url, options);
    const backoff = options.reconnect ? new Backoff(options.reconnect) : null;
    const unifier = new BatchUnifier();
    let ws: WebSocket | null = null;
    const onAbort = () => ws?.terminate();
    signal.addEventListener('abort', onAbort);
    let connection = 0;
    let ok = false;
    const retry = (why: string, cause: unknown) => retryAfter(backoff, url, why, cause, telemetry, signal);
    try {
      while (!signal.aborted) {
        const closed: Closed = { code: 0, reason: '', error: null };
        let chunks: AsyncGenerator<Uint8Array>;
        try {
          ({ ws, chunks } = await openSocket(url, options.client, closed, highWater));
        } catch (err) {
          if (signal.aborted) break;
          await retry(`cannot connect: ${(err as Error).message}`, err);
          continue;
        }
        backoff?.reset();
        connection++;
        for await (const c of parser.parse(chunks, `${url}#${connection}`, connection)) {
          yield { batch: unifier.unify(c.batch), ...(c.bytes !== undefined ? { bytes: c.bytes } : {}) };
        }
        if (signal.aborted) break;
        const normal = closed.code === 1000 || closed.code === 1001;
        if (!normal) await retry(`connection ${connection} closed abnormally (code ${closed.code}${closed.error ? ', ' + closed.error.message : ''})`, closed.error);
        else if (options.reconnectOnClose && backoff) await retry(`connection ${connection} closed`, null);
        else break;
      }
      ok = !signal.aborted;
    } finally {
      signal.removeEventListener('abort', onAbort);
      (ws as WebSocket | null)?.terminate();
      parser.close();
      parser.publish(ok);
    }
  }, { name: url, ...(options.capacity ? { capacity: options.capacity } : {}), telemetry });
}

/** Connects; the message collector is attached before 'open', since messages can follow it in the same tick. */
function openSocket(url: string, client: ClientOptions | undefined, closed: Closed, highWater: number): Promise<{ ws: WebSocket; chunks: AsyncGenerator<Uint8Array> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, client);
    const chunks = messageChunks(ws, closed, highWater);
    const fail = (err: Error) => { ws.removeAllListeners(); ws.on('error', () => {}); ws.terminate(); reject(err); };
    const onUnexpected = (_req: unknown, res: { statusCode?: number }) => fail(new Error(`server answered HTTP ${res.statusCode}`));
    ws.once('error', fail);
    ws.once('unexpected-response', onUnexpected);
    ws.once('open', () => { ws.off('error', fail); ws.off('unexpected-response', onUnexpected); resolve({ ws, chunks }); });
  });
}

/**
 * A WebSocket's messages as byte chunks, taken pull-style. Untaken messages are buffered up to
 * `highWater` bytes; past that the socket is paused until the reader takes them.
 */
function messageChunks(ws: WebSocket, closed: Closed, highWater: number): AsyncGenerator<Uint8Array> {
  // Listeners go on now, not at the first pull: a message emitted with no listener is lost.
  let buffered: Uint8Array[] = [];
  let bytes = 0;
  let finished = ws.readyState === WebSocket.CLOSED;
  let wake: (() => void) | null = null;
  ws.on('message', (data: RawData) => {
    const parts = Array.isArray(data) ? data : [data instanceof ArrayBuffer ? new Uint8Array(data) : data];
    let n = 0;
    for (const p of parts) { if (p.length > 0) { buffered.push(p); n += p.length; } }
    if (n === 0) return;
    const last = parts[parts.length - 1]!;
    if (last.length === 0 || last[last.length - 1] !== 10) { buffered.push(NEWLINE); n++; }
    bytes += n;
    if (bytes >= highWater && !ws.isPaused) ws.pause();
    wake?.();
  });
  ws.on('error', (err) => { closed.error = err; });
  ws.on('close', (code, reason) => { closed.code = code; closed.reason = reason.toString(); finished = true; wake?.(); });
  return (async function* () {
    try {
      for (;;) {
        if (buffered.length > 0) {
          const chunk = buffered.length === 1 ? buffered[0]! : Buffer.concat(buffered, bytes);
          buffered = [];
          bytes = 0;
          if (ws.isPaused) ws.resume();
          yield chunk;
          continue;
        }
        if (finished) return;
        await new Promise<void>((r) => { wake = r; });
        wake = null;
      }
    } finally {
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
    }
  })();
}
