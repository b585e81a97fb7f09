import { closeSync, createWriteStream, openSync, statSync, unlinkSync, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { extname } from 'node:path';
import { type Batch, SpecError } from '../../core/index.js';
import { ArrowBatchWriter } from './ArrowBatchWriter.js';
import type { BatchWriter, BatchWriterOptions, OutputFormat } from './BatchWriter.js';
import { CsvBatchWriter } from './CsvBatchWriter.js';
import { NdjsonBatchWriter } from './NdjsonBatchWriter.js';

const FORMATS: readonly OutputFormat[] = ['csv', 'ndjson', 'arrow'];

/** Output format by file extension (lower-cased). */
const BY_EXTENSION: Readonly<Record<string, OutputFormat>> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.arrow': 'arrow',
  '.arrows': 'arrow',
  '.ipc': 'arrow',
  '.feather': 'arrow',
};

/**
 * A writer for a path or a stream. A path's format is `format`, else its extension's (`.tsv`
 * also sets a tab delimiter). The file is written as `<path>.tmp-<pid>` and renamed over `path`
 * on close, so a failed or interrupted run never leaves a half file under the final name (nor
 * replaces a good one); `discard`, or a failed close, deletes the temporary file. A stream
 * (stdout) is written as given, CSV by default, and never ended.
 */
export function openBatchWriter(target: string | NodeJS.WritableStream, format?: OutputFormat, options: BatchWriterOptions = {}): BatchWriter {
  if (format !== undefined && !FORMATS.includes(format))
    throw new SpecError('--format', `expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  if (typeof target !== 'string') return makeWriter(format ?? 'csv', target, options);
  const ext = extname(target).toLowerCase();
  const fmt = format ?? BY_EXTENSION[ext];
  if (fmt === undefined)
    throw new SpecError(
      '--out',
      `cannot tell the output format of ${JSON.stringify(target)} from its extension; known extensions are ${Object.keys(BY_EXTENSION).join(', ')} (or give the format)`,
    );
  const delimiter = options.delimiter ?? (fmt === 'csv' && ext === '.tsv' ? '\t' : undefined);
  let isDirectory = false;
  try {
    isDirectory = statSync(target).isDirectory();
  } catch {
    /* absent: the usual case */
  }
  if (isDirectory) throw new SpecError('--out', `${target} is a directory, expected a file path`);
  const tmp = `${target}.tmp-${process.pid}`;
  // Opened here, synchronously, so that a missing directory or a denied permission is reported now, not as a stream 'error' later.
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (err) {
    throw new SpecError('--out', `cannot create ${tmp}: ${(err as Error).message}`);
  }
  const stream = createWriteStream(tmp, { fd });
  let inner: BatchWriter;
  try {
    inner = makeWriter(fmt, stream, delimiter === undefined ? {} : { delimiter });
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  return new FileBatchWriter(inner, stream, tmp, target);
}

function makeWriter(format: OutputFormat, out: NodeJS.WritableStream, options: BatchWriterOptions): BatchWriter {
  switch (format) {
    case 'csv':
      return new CsvBatchWriter(out, options);
    case 'ndjson':
      return new NdjsonBatchWriter(out);
    case 'arrow':
      return new ArrowBatchWriter(out);
  }
}

/** A writer over a temporary file that it owns: close ends the file and renames it into place. */
class FileBatchWriter implements BatchWriter {
  private closing: Promise<void> | null = null;
  private discarding: Promise<void> | null = null;
  private error: Error | null = null;

  constructor(
    private readonly inner: BatchWriter,
    private readonly stream: WriteStream,
    private readonly tmp: string,
    private readonly path: string,
  ) {
    // Kept for close to report: an unheard 'error' would crash the process.
    stream.on('error', (err) => {
      this.error ??= err;
    });
  }

  get format(): OutputFormat {
    return this.inner.format;
  }

  get rows(): number {
    return this.inner.rows;
  }

  write(batch: Batch): Promise<void> {
    return this.inner.write(batch);
  }

  close(): Promise<void> {
    this.closing ??= this.discarding !== null ? this.discarding : this.finish();
    return this.closing;
  }

  discard(): Promise<void> {
    if (this.closing !== null) return this.closing.catch(() => {});
    this.discarding ??= this.remove();
    return this.discarding;
  }

  private async finish(): Promise<void> {
    try {
      await this.inner.close();
      await this.ended();
      if (this.error) throw this.error;
      await rename(this.tmp, this.path);
    } catch (err) {
      await this.remove();
      throw err;
    }
  }

  /** Ends the file stream and waits until its descriptor is closed. */
  private ended(): Promise<void> {
    const s = this.stream;
    return new Promise<void>((resolve) => {
      if (s.closed) return resolve();
      s.once('close', () => resolve());
      s.end();
    });
  }

  private async remove(): Promise<void> {
    await this.inner.discard();
    const s = this.stream;
    if (!s.closed) {
      await new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        s.destroy();
      });
    }
    try {
      await unlink(this.tmp);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
