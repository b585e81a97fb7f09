import { createReadStream, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SourceError } from '../../core/index.js';

export interface InputOptions {
  /** Read size in bytes (default 1 MiB). */
  chunkSize?: number;
  /** Decompress gzip: `auto` (default) sniffs the magic bytes 1f 8b. */
  gzip?: boolean | 'auto';
  /**
   * For consumers that copy each chunk before pulling the next (the CSV parser): a plain file is
   * then read into two alternating buffers (the next read runs while the current chunk is
   * parsed), each chunk valid only until the next one is pulled. Saves allocating and
   * page-faulting in a fresh buffer per chunk. Default false.
   */
  reuseBuffers?: boolean;
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
      throw new SourceError(path, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String((err as Error).message), {
        cause: err,
      });
    }
    if (options.reuseBuffers && options.gzip !== true) {
      const direct = await openDirect(path, chunkSize, totalBytes!, options.gzip === false);
      if (direct !== null) return direct;
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
    close: () => {
      if (raw !== process.stdin) raw.destroy();
      stream.destroy();
    },
  };
}

/**
 * A plain file read with positional reads into two alternating buffers, the next read running
 * while the consumer handles the current chunk. Null when the file starts with the gzip magic
 * (and gzip is not ruled out): the caller takes the stream path that gunzips.
 */
async function openDirect(path: string, chunkSize: number, size: number, plain: boolean): Promise<ByteInput | null> {
  let fh: FileHandle;
  try {
    fh = await fs.open(path, 'r');
  } catch (err) {
    throw new SourceError(path, `cannot open: ${(err as Error).message}`, { cause: err });
  }
  const size2 = Math.max(1, Math.min(chunkSize, size));
  const bufs = [new Uint8Array(size2), new Uint8Array(size2)];
  const read = (k: number, pos: number) => fh.read(bufs[k]!, 0, size2, pos).then((r) => r.bytesRead);
  let first: number;
  try {
    first = await read(0, 0);
  } catch (err) {
    await fh.close();
    throw new SourceError(path, `read failed: ${(err as Error).message}`, { cause: err });
  }
  if (!plain && first >= 2 && bufs[0]![0] === 0x1f && bufs[0]![1] === 0x8b) {
    await fh.close();
    return null;
  }
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      void fh.close().catch(() => {});
    }
  };
  async function* chunks(): AsyncIterable<Uint8Array> {
    try {
      let k = 0,
        pos = 0,
        n = first;
      while (n > 0) {
        pos += n;
        // Read ahead into the other buffer; the consumer has finished with it (it pulled this chunk).
        const next = read(1 - k, pos);
        next.catch(() => {});
        yield bufs[k]!.subarray(0, n);
        n = await next;
        k = 1 - k;
      }
    } catch (err) {
      throw new SourceError(path, `read failed: ${(err as Error).message}`, { cause: err });
    } finally {
      close();
    }
  }
  return { name: path, totalBytes: size, chunks: chunks(), close };
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
    const done = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onReadable = () => {
      const c = stream.read() as Uint8Array | null;
      if (c !== null) {
        done();
        resolve(c);
      }
    };
    const onEnd = () => {
      done();
      resolve(null);
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}
