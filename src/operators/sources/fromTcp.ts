import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import type { Observable } from 'rxjs';
import { type Batch, fromPull, SourceError, SpecError, Telemetry } from '../../core/index.js';
import {
  Backoff,
  type BackoffOptions,
  BatchUnifier,
  checkPositiveInt,
  PullMerger,
  retryAfter,
  type SocketEnd,
  type SocketFormatOptions,
  SocketParser,
  socketChunks,
} from '../../io/index.js';
import { deferSource } from './deferSource.js';

/**
 * Options of `fromTcp`: give `listen` (server mode) or `connect` (client mode). Lines are NDJSON
 * or CSV (`format`); see SocketFormatOptions for parsing and bad rows.
 */
export interface TcpOptions extends SocketFormatOptions {
  /** Server mode: port to listen on (0 = an ephemeral port, reported through `onListening`). */
  listen?: number;
  /** Server mode: address to bind (default `127.0.0.1`). */
  host?: string;
  /** Server mode: accept this many connections, then stop listening; the stream completes when they have all closed. Default: unlimited (runs until unsubscribed). */
  maxConnections?: number;
  /** Server mode: called once the port is bound, with the actual address. */
  onListening?: (address: { host: string; port: number }) => void;
  /** Client mode: `host:port` to connect to. */
  connect?: string;
  /**
   * Client mode: reconnect after a failed connect or a dropped connection, with this timing (`true`:
   * Backoff's defaults). Default false: a refused first connect fails at once, and a connection
   * dropped after rows were read ends the stream normally (with a `disconnect` event and a warning).
   */
  reconnect?: BackoffOptions | boolean;
  /** Client mode, with `reconnect`: reconnect also after the server ends the connection cleanly (default false: a clean end completes the stream). */
  reconnectOnEnd?: boolean;
  /** Batches in flight before the sockets stop being read (default 4). */
  capacity?: number;
}

/**
 * Rows from TCP sockets as one bounded stream of Batches. Sockets are read pull-style: while the
 * pipeline's queue is full no socket is read, Node stops at the socket's highWaterMark, the TCP
 * window closes, and producers see `socket.write` return false. Rows from all connections merge
 * into one stream (rowIds renumbered, category codes shared); line numbers are per connection,
 * named `tcp://host:port#<n>` in errors. A connection that ends in an error (a reset, a timeout)
 * emits a `disconnect` event and a `warn` log with the errno and the rows read so far; its rows end
 * there. Client mode with `reconnect` then reconnects with exponential backoff (a `log` event per
 * retry); without it, or once retries are spent, the stream completes normally if rows were read
 * and fails (SourceError naming the address) if none were. A port in use is a SourceError naming
 * the port.
 */
export function fromTcp(options: TcpOptions): Observable<Batch> {
  const server = options.listen !== undefined;
  if (server === (options.connect !== undefined))
    throw new SpecError(server ? 'connect' : 'listen', 'give exactly one of listen (server mode) or connect (client mode)');
  SocketParser.validate(options);
  checkPositiveInt('capacity', options.capacity);
  checkPositiveInt('maxConnections', options.maxConnections);
  if (server) {
    if (!Number.isInteger(options.listen) || options.listen! < 0 || options.listen! > 65535)
      throw new SpecError('listen', `expected a port number 0-65535, got ${String(options.listen)}`);
    if (options.reconnect || options.reconnectOnEnd)
      throw new SpecError(options.reconnect ? 'reconnect' : 'reconnectOnEnd', 'a server (listen) does not reconnect; it applies to connect (client mode)');
    return serve(options);
  }
  const m = /^(.*):(\d+)$/.exec(options.connect!);
  if (!m?.[1] || Number(m[2]) > 65535) throw new SpecError('connect', `expected host:port, got ${JSON.stringify(options.connect)}`);
  backoffOf(options.reconnect);
  if (options.reconnectOnEnd && !options.reconnect) throw new SpecError('reconnectOnEnd', 'needs reconnect (the retry timing)');
  return client(m[1].replace(/^\[(.*)\]$/, '$1'), Number(m[2]), options);
}

interface Listening {
  server: Server;
  name: string;
  merger: PullMerger;
  parser: SocketParser;
  sockets: Set<Socket>;
}

function serve(options: TcpOptions): Observable<Batch> {
  const host = options.host ?? '127.0.0.1';
  const telemetry = options.telemetry ?? Telemetry.global;
  const label = `tcp://${host}:${options.listen}`;
  return deferSource(
    label,
    telemetry,
    () => listen(host, options),
    (l) =>
      fromPull(
        async function* (signal) {
          const unifier = new BatchUnifier();
          const stop = () => {
            l.server.close();
            l.merger.close();
            for (const s of l.sockets) s.destroy();
          };
          signal.addEventListener('abort', stop);
          let ok = false;
          try {
            for (;;) {
              const r = await l.merger.next();
              if (r.done) break;
              yield { batch: unifier.unify(r.value.batch), ...(r.value.bytes !== undefined ? { bytes: r.value.bytes } : {}) };
            }
            ok = true;
          } finally {
            signal.removeEventListener('abort', stop);
            stop();
            l.parser.close();
            l.parser.publish(ok);
          }
        },
        { name: l.name, ...(options.capacity ? { capacity: options.capacity } : {}), telemetry },
      ),
    (l) => {
      l.server.close();
      l.merger.close();
    },
  );
}

/** Binds the port and starts accepting at once (connections wait, paused, in the merger). */
function listen(host: string, options: TcpOptions): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = createServer({ pauseOnConnect: true });
    const merger = new PullMerger();
    const sockets = new Set<Socket>();
    const drops = { count: 0 };
    let count = 0;
    let l: Listening | null = null;
    server.on('connection', (socket) => {
      if (!l || (options.maxConnections !== undefined && count >= options.maxConnections)) {
        socket.destroy();
        return;
      }
      // Errors surface through the read loop (socketChunks); this keeps an unread socket's reset from being an uncaught 'error'.
      socket.on('error', () => {});
      const n = ++count;
      const name = `${l.name}#${n}`;
      sockets.add(socket);
      const end: SocketEnd = { error: null };
      const parsed = l.parser.parse(socketChunks(socket, end), name, n);
      const telemetry = options.telemetry ?? Telemetry.global;
      const parser = l.parser;
      // A dropped client ends its own rows only; say so, the others go on.
      const watched = (async function* () {
        try {
          yield* parsed;
        } finally {
          sockets.delete(socket);
          if (end.error) {
            const rows = parser.account().read;
            const code = errnoOf(end.error);
            telemetry.emit({
              type: 'disconnect',
              source: parser.source,
              connection: n,
              code,
              message: end.error.message,
              rows,
              count: ++drops.count,
              reconnecting: false,
            });
            telemetry.emit({
              type: 'log',
              level: 'warn',
              message: `${name}: connection dropped (${code}) after ${rows} row${rows === 1 ? '' : 's'}; its rows end here`,
            });
          }
        }
      })();
      merger.add(watched, () => socket.destroy());
      if (options.maxConnections !== undefined && count >= options.maxConnections) {
        server.close();
        merger.end();
      }
    });
    server.once('error', (err: NodeJS.ErrnoException) => {
      const label = `tcp://${host}:${options.listen}`;
      reject(
        new SourceError(
          label,
          err.code === 'EADDRINUSE'
            ? `port ${options.listen} is already in use`
            : err.code === 'EACCES'
              ? `no permission to listen on port ${options.listen}`
              : `cannot listen: ${err.message}`,
          { cause: err },
        ),
      );
    });
    server.listen(options.listen, host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : options.listen!;
      const name = `tcp://${host}:${port}`;
      l = { server, name, merger, parser: new SocketParser(name, options), sockets };
      server.on('error', (err) => (options.telemetry ?? Telemetry.global).emit({ type: 'error', source: name, message: err.message, error: err }));
      options.onListening?.({ host, port });
      resolve(l);
    });
  });
}

function client(host: string, port: number, options: TcpOptions): Observable<Batch> {
  const name = `tcp://${host}:${port}`;
  const telemetry = options.telemetry ?? Telemetry.global;
  return fromPull(
    async function* (signal) {
      const parser = new SocketParser(name, options);
      const backoff = backoffOf(options.reconnect);
      const unifier = new BatchUnifier();
      let socket: Socket | null = null;
      const onAbort = () => socket?.destroy();
      signal.addEventListener('abort', onAbort);
      let connection = 0;
      let drops = 0;
      let ok = false;
      /** Waits before the next attempt (true), or ends the stream (false); throws when no row was read. */
      const retry = (source: string, why: string, cause: unknown) => retryAfter(backoff, source, why, cause, telemetry, signal, parser.account().read);
      try {
        while (!signal.aborted) {
          try {
            socket = await connectTo(host, port, signal);
          } catch (err) {
            if (signal.aborted || !(await retry(name, `cannot connect: ${(err as Error).message}`, err))) break;
            continue;
          }
          backoff?.reset();
          connection++;
          const end: SocketEnd = { error: null };
          for await (const c of parser.parse(socketChunks(socket, end), `${name}#${connection}`, connection)) {
            yield { batch: unifier.unify(c.batch), ...(c.bytes !== undefined ? { bytes: c.bytes } : {}) };
          }
          if (signal.aborted) break;
          if (end.error) {
            const rows = parser.account().read;
            const code = errnoOf(end.error);
            telemetry.emit({
              type: 'disconnect',
              source: name,
              connection,
              code,
              message: end.error.message,
              rows,
              count: ++drops,
              reconnecting: backoff !== null && backoff.maxRetries > 0,
            });
            if (!(await retry(`${name}#${connection}`, `connection dropped (${code}) after ${rows} row${rows === 1 ? '' : 's'}`, end.error))) break;
          } else if (options.reconnectOnEnd && backoff) {
            if (!(await retry(`${name}#${connection}`, 'connection ended', null))) break;
          } else break;
        }
        ok = !signal.aborted;
      } finally {
        signal.removeEventListener('abort', onAbort);
        (socket as Socket | null)?.destroy();
        parser.close();
        parser.publish(ok);
      }
    },
    { name, ...(options.capacity ? { capacity: options.capacity } : {}), telemetry },
  );
}

/** The retry timing of `reconnect` (checked: SpecError naming the key), or null without reconnection. */
function backoffOf(reconnect: TcpOptions['reconnect']): Backoff | null {
  return reconnect ? new Backoff(reconnect === true ? {} : reconnect) : null;
}

/** `ECONNRESET` for a reset socket; the message when the error has no errno. */
function errnoOf(err: Error): string {
  return (err as NodeJS.ErrnoException).code ?? err.message;
}

function connectTo(host: string, port: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = netConnect({ host, port });
    s.pause();
    const onAbort = () => {
      s.destroy();
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    s.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      s.removeAllListeners('error');
      s.on('error', () => {});
      resolve(s);
    });
    s.once('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      s.destroy();
      reject(err);
    });
  });
}
