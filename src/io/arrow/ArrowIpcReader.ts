import type { FileHandle } from 'node:fs/promises';
import { type Schema as ArrowSchema, Message, MessageHeader } from 'apache-arrow';
import { type FileBlock, Footer } from 'apache-arrow/ipc/metadata/file';
import type { DictionaryBatch, RecordBatch } from 'apache-arrow/ipc/metadata/message';

/** A record batch or dictionary batch: its decoded header and its body, 8-byte aligned. */
export type IpcMessage =
  | { kind: 'dictionary'; header: DictionaryBatch; body: Uint8Array; bytes: number }
  | { kind: 'batch'; header: RecordBatch; body: Uint8Array; bytes: number };

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // ARROW1
/** A metadata flatbuffer larger than this means the bytes are not an IPC stream (guards stdin against buffering junk). */
const MAX_METADATA = 64 << 20;
/** Blocks read ahead in the file format: enough to keep the thread pool busy, few enough to bound memory (each is one record batch). */
const READ_AHEAD = 3;
/** Read size of a stream-format file. */
const STREAM_CHUNK = 4 << 20;

/**
 * Minimal Arrow IPC reader: frames the messages of the file format (random access through the
 * footer's blocks: one exact read per message, straight into a fresh buffer, so fixed-width
 * buffers can be viewed in place) or of the stream format (from byte chunks; bodies are copied
 * once into fresh aligned buffers). Flatbuffer headers are decoded by apache-arrow's `Message`
 * and `Footer`; the bodies are left to the caller (ArrowBatchDecoder), which is where
 * apache-arrow's own reader spends its time. Holds one message at a time (plus one read ahead
 * in the file format), so memory is bounded by the largest record batch, not the file.
 */
export class ArrowIpcReader {
  private constructor(
    readonly schema: ArrowSchema,
    /** `file` or `stream`. */
    readonly format: 'file' | 'stream',
    private readonly pull: () => Promise<IpcMessage | null>,
    /** Stream format only: the bytes consumed so far followed by the rest of the input (for a fallback reader). */
    readonly rest: (() => AsyncIterable<Uint8Array>) | null,
  ) {}

  /** The next dictionary or record batch, or null at the end. */
  next(): Promise<IpcMessage | null> {
    return this.pull();
  }

  /** Opens a file: the file format (`ARROW1` magic) through its footer, anything else as a stream. */
  static async fromFile(fh: FileHandle, size: number): Promise<ArrowIpcReader> {
    const head = new Uint8Array(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    if (bytesRead >= 6 && MAGIC.every((b, i) => head[i] === b)) return ArrowIpcReader.openFileFormat(fh, size);
    return ArrowIpcReader.fromStream(fileChunks(fh, size));
  }

  private static async openFileFormat(fh: FileHandle, size: number): Promise<ArrowIpcReader> {
    // Layout: magic (padded to 8), stream messages, footer flatbuffer, int32 footer length, magic.
    if (size < 8 + 10) throw new Error('file too short for the Arrow file format');
    const tail = await readExact(fh, size - 10, 10);
    if (!MAGIC.every((b, i) => tail[4 + i] === b)) throw new Error('Arrow file magic missing at the end (truncated file?)');
    const footerLength = new DataView(tail.buffer, tail.byteOffset, 4).getInt32(0, true);
    if (footerLength <= 0 || footerLength > size - 18) throw new Error(`bad footer length ${footerLength}`);
    const footer = Footer.decode(await readExact(fh, size - 10 - footerLength, footerLength));
    const blocks: Array<{ block: FileBlock; dictionary: boolean }> = [];
    for (const block of footer.dictionaryBatches()) blocks.push({ block, dictionary: true });
    for (const block of footer.recordBatches()) blocks.push({ block, dictionary: false });
    // A few block reads ahead: they run on the libuv thread pool while the caller converts.
    const ahead: Array<Promise<IpcMessage>> = [];
    let next = 0;
    const pull = async (): Promise<IpcMessage | null> => {
      while (ahead.length < READ_AHEAD && next < blocks.length) {
        const { block, dictionary } = blocks[next++]!;
        const p = readBlock(fh, size, block, dictionary);
        // A failed read ahead is reported when its turn comes, not as an unhandled rejection.
        p.catch(() => {});
        ahead.push(p);
      }
      const p = ahead.shift();
      return p === undefined ? null : p;
    };
    return new ArrowIpcReader(footer.schema, 'file', pull, null);
  }

  /** Reads the stream format from byte chunks (stdin, a socket, a stream-format file). */
  static async fromStream(chunks: AsyncIterable<Uint8Array>): Promise<ArrowIpcReader> {
    const q = new ChunkQueue(chunks[Symbol.asyncIterator]());
    q.record = [];
    const first = await readMessage(q);
    if (first === null) throw new Error('empty input: no Arrow schema message');
    if (first.message.headerType !== MessageHeader.Schema) throw new Error('the first message is not a schema');
    const schema = first.message.header() as ArrowSchema;
    const consumed = q.record;
    q.record = null;
    let ended = false;
    const pull = async (): Promise<IpcMessage | null> => {
      if (ended) return null;
      const r = await readMessage(q);
      if (r === null) {
        ended = true;
        return null;
      }
      const { message, body, bytes } = r;
      if (message.headerType === MessageHeader.RecordBatch) return { kind: 'batch', header: message.header() as RecordBatch, body, bytes };
      if (message.headerType === MessageHeader.DictionaryBatch) return { kind: 'dictionary', header: message.header() as DictionaryBatch, body, bytes };
      throw new Error(`unexpected ${MessageHeader[message.headerType]} message in the stream`);
    };
    return new ArrowIpcReader(schema, 'stream', pull, () => q.rest(consumed));
  }
}

async function readExact(fh: FileHandle, position: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
  const buf = into ?? new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position + done}`);
    done += bytesRead;
  }
  return buf;
}

async function readBlock(fh: FileHandle, size: number, block: FileBlock, dictionary: boolean): Promise<IpcMessage> {
  const { offset, metaDataLength, bodyLength } = block;
  const total = metaDataLength + bodyLength;
  if (offset < 8 || offset + total > size || metaDataLength < 8) throw new Error(`block at byte ${offset} lies outside the file`);
  // One read for metadata and body; a fresh ArrayBuffer starts 8-byte aligned, and the metadata
  // length is a multiple of 8, so the body's buffers can be viewed as typed arrays in place.
  // allocUnsafeSlow: not pooled (offset 0) and not zero-filled, since the read overwrites it all;
  // wrapped as a plain Uint8Array so that slice() keeps copying semantics downstream.
  const buf = await readExact(fh, offset, total, new Uint8Array(Buffer.allocUnsafeSlow(total).buffer, 0, total));
  const message = decodePrefixed(buf, metaDataLength);
  const want = dictionary ? MessageHeader.DictionaryBatch : MessageHeader.RecordBatch;
  if (message.headerType !== want)
    throw new Error(`block at byte ${offset} holds a ${MessageHeader[message.headerType]} message, expected ${MessageHeader[want]}`);
  if (message.bodyLength > bodyLength) throw new Error(`block at byte ${offset}: body of ${message.bodyLength} bytes, block has ${bodyLength}`);
  let body = buf.subarray(metaDataLength, metaDataLength + message.bodyLength);
  if (body.byteOffset % 8 !== 0) body = body.slice();
  return dictionary
    ? { kind: 'dictionary', header: message.header() as DictionaryBatch, body, bytes: total }
    : { kind: 'batch', header: message.header() as RecordBatch, body, bytes: total };
}

/** Decodes a message framed as [0xFFFFFFFF] int32 length, flatbuffer, within `limit` bytes. */
function decodePrefixed(buf: Uint8Array, limit: number): Message {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = 0;
  let len = dv.getInt32(0, true);
  if (len === -1) {
    len = dv.getInt32(4, true);
    at = 8;
  } else at = 4;
  if (len <= 0 || at + len > limit) throw new Error(`bad message length ${len}`);
  return Message.decode(buf.subarray(at, at + len));
}

/** The next message of a stream, or null at the end-of-stream marker or the end of the input. */
async function readMessage(q: ChunkQueue): Promise<{ message: Message; body: Uint8Array; bytes: number } | null> {
  if (!(await q.fill(4))) {
    if (q.available > 0) throw new Error('truncated message length at the end of the input');
    return null;
  }
  let len = q.int32();
  let bytes = 4;
  if (len === -1) {
    if (!(await q.fill(4))) throw new Error('truncated message length at the end of the input');
    len = q.int32();
    bytes += 4;
  }
  if (len === 0) return null;
  if (len < 0 || len > MAX_METADATA) throw new Error(`bad message length ${len}`);
  if (!(await q.fill(len))) throw new Error(`truncated message: expected ${len} metadata bytes`);
  const message = Message.decode(q.take(len));
  const bodyLength = message.bodyLength;
  if (!(await q.fill(bodyLength))) throw new Error(`truncated message body: expected ${bodyLength} bytes`);
  return { message, body: q.take(bodyLength), bytes: bytes + len + bodyLength };
}

/** Byte chunks of a file from its start, read sequentially. */
async function* fileChunks(fh: FileHandle, size: number): AsyncIterable<Uint8Array> {
  for (let pos = 0; pos < size; ) {
    const n = Math.min(STREAM_CHUNK, size - pos);
    yield await readExact(fh, pos, n);
    pos += n;
  }
}

/** FIFO of byte chunks with exact-length takes; taken bytes are fresh copies (aligned, detached from pooled chunks). */
class ChunkQueue {
  private readonly chunks: Uint8Array[] = [];
  private head = 0;
  available = 0;
  private done = false;
  /** When set, every taken byte range is also appended here (the schema message, for a fallback reader). */
  record: Uint8Array[] | null = null;

  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  async fill(n: number): Promise<boolean> {
    while (this.available < n && !this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      if (r.value.length > 0) {
        this.chunks.push(r.value);
        this.available += r.value.length;
      }
    }
    return this.available >= n;
  }

  take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0]!;
      const k = Math.min(n - o, c.length - this.head);
      out.set(c.subarray(this.head, this.head + k), o);
      o += k;
      this.head += k;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.available -= n;
    this.record?.push(out);
    return out;
  }

  int32(): number {
    const b = this.take(4);
    return b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24);
  }

  /** `prefix`, then the unread buffered bytes, then the rest of the input. */
  async *rest(prefix: Uint8Array[]): AsyncIterable<Uint8Array> {
    yield* prefix;
    if (this.chunks.length > 0) {
      yield this.chunks[0]!.subarray(this.head);
      for (let i = 1; i < this.chunks.length; i++) yield this.chunks[i]!;
      this.chunks.length = 0;
      this.available = 0;
    }
    for (;;) {
      const r = await this.it.next();
      if (r.done) return;
      yield r.value;
    }
  }
}
