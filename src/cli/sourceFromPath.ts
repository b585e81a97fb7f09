import type { SourceSpec } from '../spec/index.js';
import { UsageError } from './UsageError.js';

/**
 * A source spec for a command-line input: a file by its extension (`.csv`/`.tsv`/`.gz`, `.arrow`/
 * `.feather`/`.ipc`, `.parquet`, `.ndjson`/`.jsonl`, `.json`: an array of objects or NDJSON), `-`
 * for CSV on stdin, or `tcp://host:port`:
 * listen there for producers (`connect` makes sluice the client instead).
 */
export function sourceFromPath(input: string, options: { connect?: boolean; format?: 'csv' | 'ndjson' } = {}): SourceSpec {
  if (input === '-') return { csv: '-' };
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]*):(\d+)\/?$/.exec(input);
  if (tcp) {
    const host = tcp[1] || '127.0.0.1', port = Number(tcp[2]);
    if (port > 65535) throw new UsageError(`${input}: port ${port} is out of range`);
    const format = options.format ? { format: options.format } : {};
    return options.connect ? { tcp: { connect: `${host}:${port}` }, ...format } : { tcp: { listen: port, host, maxConnections: 1 }, ...format };
  }
  if (/^wss?:\/\//.test(input)) return { websocket: input, ...(options.format ? { format: options.format } : {}) };
  if (/^[a-z]+:\/\//i.test(input)) throw new UsageError(`${input}: unsupported URL; expected a file, -, tcp://host:port or ws://...`);
  const name = input.toLowerCase().replace(/\.gz$/, '');
  if (/\.(arrow|feather|ipc|arrows)$/.test(name)) return { arrow: input };
  if (/\.parquet$/.test(name)) return { parquet: input };
  if (/\.(ndjson|jsonl)$/.test(name)) return { ndjson: input };
  if (/\.json$/.test(name)) return { json: input };
  if (/\.tsv$/.test(name)) return { csv: input, delimiter: '\t' };
  return { csv: input };
}
