import type { Observable } from 'rxjs';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { type Batch, fromPull, SpecError, Telemetry } from '../../core/index.js';
import { Backoff, type BackoffOptions, BatchUnifier, checkPositiveInt, retryAfter, type SocketFormatOptions, SocketParser } from '../../io/index.js';

/** Options of `fromWebSocket`. Parsing and bad rows: see SocketFormatOptions. */
export interface WebSocketOptions extends SocketFormatOptions {
  /** Batches in flight before messages stop being taken (default 4). */
  capacity?: number;
  /** Bytes of received, untaken messages at which the socket is paused (default 1 MiB). */
  highWaterMark?: number;
  /**
   * Reconnect after a failed connect or an abnormal close, with this timing (`true`: Backoff's
   * defaults). Default false: a refused first connect fails at once, and an abnormal close after
   * rows were read ends the stream normally (with a `disconnect` event and a warning).
   */
  reconnect?: BackoffOptions | boolean;
  /** With `reconnect`: reconnect also after a normal close (codes 1000, 1001, 1005); default false: a normal close completes the stream. */
  reconnectOnClose?: boolean;
  /** Passed to the `ws` client (headers, TLS, handshake timeout). */
  client?: ClientOptions;
}

const NEWLINE = new Uint8Array([10]);
/** Close codes of a clean end: normal, going away, and a close frame without a code (a producer's plain `close()`). */
const NORMAL_CLOSE = new Set([1000, 1001, 1005]);

/** The retry timing of `reconnect` (checked: SpecError naming the key), or null without reconnection. */
function backoffOf(reconnect: WebSocketOptions['reconnect']): Backoff | null {
  return reconnect ? new Backoff(reconnect === true ? {} : reconnect) : null;
}

interface Closed {
  code: number;
  reason: string;
  error: Error | null;
}

/**
 * Rows from a WebSocket server (client side, `ws` package). Each message carries one or more
 * NDJSON or CSV lines; a message always ends a line. Messages are taken pull-style: when more
 * than `highWaterMark` bytes wait untaken (the pipeline's queue is full), the underlying socket
 * is paused, so the server sees TCP backpressure; it resumes when the reader takes them. Line
 * numbers are per connection (`ws://…#<n>` in errors). A close with a code other than 1000, 1001
 * or 1005 (a close frame without a code), or a dropped socket (1006), emits a `disconnect` event
 * and a `warn` log with the code and the rows read so far. With `reconnect` the source then
 * reconnects with backoff (a `log` event per retry); without it, or once retries are spent, the
 * stream completes normally if rows were read and fails (SourceError naming the URL) if none were.
 */
export function fromWebSocket(url: string, options: WebSocketOptions = {}): Observable<Batch> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SpecError('url', `not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new SpecError('url', `expected a ws:// or wss:// URL, got ${JSON.stringify(url)}`);
  SocketParser.validate(options);
  checkPositiveInt('capacity', options.capacity);
  checkPositiveInt('highWaterMark', options.highWaterMark);
  backoffOf(options.reconnect);
  if (options.reconnectOnClose && !options.reconnect) throw new SpecError('reconnectOnClose', 'needs reconnect (the retry timing)');
  const highWater = options.highWaterMark ?? 1 << 20;
  const telemetry = options.telemetry ?? Telemetry.global;
  return fromPull(
    async function* (signal) {
      const parser = new SocketParser(url, options);
      const backoff = backoffOf(options.reconnect);
      const unifier = new BatchUnifier();
      let ws: WebSocket | null = null;
      const onAbort = () => ws?.terminate();
      signal.addEventListener('abort', onAbort);
      let connection = 0;
      let drops = 0;
      let ok = false;
      /** Waits before the next attempt (true), or ends the stream (false); throws when no row was read. */
      const retry = (source: string, why: string, cause: unknown) => retryAfter(backoff, source, why, cause, telemetry, signal, parser.account().read);
      try {
        while (!signal.aborted) {
          const closed: Closed = { code: 0, reason: '', error: null };
          let chunks: AsyncGenerator<Uint8Array>;
          try {
            ({ ws, chunks } = await openSocket(url, options.client, closed, highWater));
          } catch (err) {
            if (signal.aborted || !(await retry(url, `cannot connect: ${(err as Error).message}`, err))) break;
            continue;
          }
          backoff?.reset();
          connection++;
          for await (const c of parser.parse(chunks, `${url}#${connection}`, connection)) {
            yield { batch: unifier.unify(c.batch), ...(c.bytes !== undefined ? { bytes: c.bytes } : {}) };
          }
          if (signal.aborted) break;
          if (!NORMAL_CLOSE.has(closed.code)) {
            const rows = parser.account().read;
            const detail = [`code ${closed.code}`, closed.reason, closed.error?.message].filter((x) => x).join(', ');
            telemetry.emit({
              type: 'disconnect',
              source: url,
              connection,
              code: closed.code,
              message: detail,
              rows,
              count: ++drops,
              reconnecting: backoff !== null && backoff.maxRetries > 0,
            });
            if (!(await retry(`${url}#${connection}`, `connection closed abnormally (${detail}) after ${rows} row${rows === 1 ? '' : 's'}`, closed.error)))
              break;
          } else if (options.reconnectOnClose && backoff) {
            if (!(await retry(`${url}#${connection}`, `connection closed (code ${closed.code})`, null))) break;
          } else break;
        }
        ok = !signal.aborted;
      } finally {
        signal.removeEventListener('abort', onAbort);
        (ws as WebSocket | null)?.terminate();
        parser.close();
        parser.publish(ok);
      }
    },
    { name: url, ...(options.capacity ? { capacity: options.capacity } : {}), telemetry },
  );
}

/** Connects; the message collector is attached before 'open', since messages can follow it in the same tick. */
function openSocket(
  url: string,
  client: ClientOptions | undefined,
  closed: Closed,
  highWater: number,
): Promise<{ ws: WebSocket; chunks: AsyncGenerator<Uint8Array> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, client);
    const chunks = messageChunks(ws, closed, highWater);
    const fail = (err: Error) => {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      reject(err);
    };
    const onUnexpected = (_req: unknown, res: { statusCode?: number }) => fail(new Error(`server answered HTTP ${res.statusCode}`));
    ws.once('error', fail);
    ws.once('unexpected-response', onUnexpected);
    ws.once('open', () => {
      ws.off('error', fail);
      ws.off('unexpected-response', onUnexpected);
      resolve({ ws, chunks });
    });
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
    for (const p of parts) {
      if (p.length > 0) {
        buffered.push(p);
        n += p.length;
      }
    }
    if (n === 0) return;
    const last = parts[parts.length - 1]!;
    if (last.length === 0 || last[last.length - 1] !== 10) {
      buffered.push(NEWLINE);
      n++;
    }
    bytes += n;
    if (bytes >= highWater && !ws.isPaused) ws.pause();
    wake?.();
  });
  ws.on('error', (err) => {
    closed.error = err;
  });
  ws.on('close', (code, reason) => {
    closed.code = code;
    closed.reason = reason.toString();
    finished = true;
    wake?.();
  });
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
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = null;
      }
    } finally {
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
    }
  })();
}
