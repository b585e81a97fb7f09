import type { Duplex } from 'node:stream';

/** How a socket's byte stream ended: cleanly (`error` null) or dropped. */
export interface SocketEnd {
  error: Error | null;
}

/**
 * A socket's bytes as a pull-based iterable: the socket is read only when the consumer asks, so
 * while it does not, Node stops reading at the stream's highWaterMark and the kernel's TCP window
 * closes on the peer. Read errors (reset, timeout) end the iteration and are recorded in `end`
 * rather than thrown: a dropped peer is the socket source's business, not a parse error.
 */
export async function* socketChunks(socket: Duplex, end: SocketEnd): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of socket) yield chunk as Uint8Array;
  } catch (err) {
    end.error = err instanceof Error ? err : new Error(String(err));
  } finally {
    socket.destroy();
  }
}
