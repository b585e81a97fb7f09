import type { SourceSpec } from '../pipeline/index.js';
import { UsageError } from './UsageError.js';

/**
 * A source spec for a command-line input: a file by its extension (`.csv`/`.tsv`/`.gz`, `.arrow`/
 * `.feather`/`.ipc`, `.parquet`, `.ndjson`/`.jsonl`, `.json`: an array of objects or NDJSON), `-`
 * for stdin (CSV, or NDJSON with `format`), or `tcp://host:port`:
 * listen there for producers (`connect` makes sluice the client instead). `reconnect` (with
 * `backoff`, `maxRetries`) applies to client sockets only: `--connect` and `ws://`.
 */
export function sourceFromPath(input: string, options: SourceFlags = {}): SourceSpec {
  const source = fromPath(input, options);
  const client = source.websocket !== undefined || source.tcp?.connect !== undefined;
  for (const [flag, v] of [
    ['backoff', options.backoff],
    ['max-retries', options.maxRetries],
  ] as const) {
    if (v !== undefined && !options.reconnect) throw new UsageError(`--${flag}: needs --reconnect`);
  }
  if (!options.reconnect) return source;
  if (!client) throw new UsageError('--reconnect: applies to a client socket (tcp://host:port with --connect, or ws://...)');
  return {
    ...source,
    reconnect: true,
    ...(options.backoff !== undefined ? { backoff: options.backoff } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
  };
}

/** The input flags of a data command. */
export interface SourceFlags {
  connect?: boolean;
  format?: 'csv' | 'ndjson';
  reconnect?: boolean;
  backoff?: number;
  maxRetries?: number;
}

function fromPath(input: string, options: SourceFlags): SourceSpec {
  // Stdin is CSV unless the format says NDJSON (JSON lines piped in).
  if (input === '-') return options.format === 'ndjson' ? { ndjson: '-' } : { csv: '-' };
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]*):(\d+)\/?$/.exec(input);
  if (tcp) {
    const host = tcp[1] || '127.0.0.1',
      port = Number(tcp[2]);
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
