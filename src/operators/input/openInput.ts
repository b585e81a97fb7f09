import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { SourceError } from '../../core/index.js';

export interface InputOptions {
  /** Read size in bytes (default 1 MiB). */
  chunkSize?: number;
  /** Decompress gzip: `auto` (default) sniffs the magic bytes 1f 8b. */
  gzip?: boolean | 'auto';
}

export interface ByteInput {
  /** The path, or `-` for stdin. */
  name: string;
  /** File size when known and not compressed (progress and ETA). */
  totalBytes: number | undefined;
  /** Byte chunks in order. Iterating is pull-based: an unread stream is paused. */
  chunks: AsyncIterable<Uint8Array>;
  /** Stops reading and frees the file handle. */
  close(): void;
}

/**
 * Opens a file or stdin (`-`) as byte chunks, gunzipping when asked or when the data starts
 * with the gzip magic. Fails with SourceError naming the path for a missing or unreadable file.
 */
export async function openInput(path: string, options: InputOptions = {}): Promise<ByteInput> {
  const chunkSize = options.chunkSize ?? 1 << 20;
  let raw: Readable;
  let totalBytes: number | undefined;
  if (path === '-') {
    raw = process.stdin;
  } else {
    try {
      const st = await fs.stat(path);
      if (st.isDirectory()) throw new SourceError(path, 'is a directory, expected a file');
      totalBytes = st.size;
    } catch (err) {
      if (err instanceof SourceError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new SourceError(path, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String((err as Error).message), { cause: err });
    }
    raw = createReadStream(path, { highWaterMark: chunkSize });
  }
  const first = await firstChunk(raw);
  const gz = options.gzip === 'auto' || options.gzip === undefined ? first !== null && first[0] === 0x1f && first[1] === 0x8b : options.gzip;
  let stream: Readable = raw;
  if (first !== null) raw.unshift(first);
  if (gz) {
    stream = raw.pipe(createGunzip({ chunkSize: Math.min(chunkSize, 1 << 20) }));
    raw.on('error', (e) => stream.destroy(e));
    totalBytes = undefined;
  }
  return {
    name: path,
    totalBytes,
    chunks: wrap(stream, path),
    close: () => { if (raw !== process.stdin) raw.destroy(); stream.destroy(); },
  };
}

async function* wrap(stream: Readable, name: string): AsyncIterable<Uint8Array> {
  try {
    for await (const c of stream) yield c as Uint8Array;
  } catch (err) {
    throw new SourceError(name, `read failed: ${(err as Error).message}`, { cause: err });
  }
}

function firstChunk(stream: Readable): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const done = () => { stream.off('readable', onReadable); stream.off('end', onEnd); stream.off('error', onError); };
    const onReadable = () => { const c = stream.read() as Uint8Array | null; if (c !== null) { done(); resolve(c); } };
    const onEnd = () => { done(); resolve(null); };
    const onError = (e: Error) => { done(); reject(e); };
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}
