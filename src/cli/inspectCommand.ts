import { parseArgs } from 'node:util';
import { lastValueFrom } from 'rxjs';
import { Telemetry, textLogger } from '../core/index.js';
import { ColumnStats } from '../features/index.js';
import { explore } from '../operators/index.js';
import { buildPipeline } from '../spec/index.js';
import type { Command } from './Command.js';
import { intFlag } from './commonFlags.js';
import { formatStatsTable } from './formatStatsTable.js';
import { sourceFromPath } from './sourceFromPath.js';
import { UsageError } from './UsageError.js';

/** `sluice inspect <file>`: inferred column types and streaming statistics. */
export const inspectCommand: Command = {
  summary: 'column types and streaming statistics of a file, as a table',
  usage: [
    'Usage: sluice inspect <file> [options]',
    '',
    'Reads a CSV, Arrow, Parquet or NDJSON file (by extension; - is CSV on stdin) and prints each',
    'column\'s type, count, missing values, mean, std, min, median, p99, max and top categories.',
    '',
    'Options:',
    '  --max-rows N  read at most N rows',
    '  --json        print the statistics object instead of the table',
    '  -q, --quiet   no progress lines',
    '  -h, --help    this help',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: {
      json: { type: 'boolean' }, 'max-rows': { type: 'string' }, quiet: { type: 'boolean', short: 'q' }, help: { type: 'boolean', short: 'h' },
      'no-tui': { type: 'boolean' },
    } });
    if (values.help) { io.out(this.usage); return 0; }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'expected a file' : `expected one file, got ${positionals.join(' ')}`);
    const file = positionals[0]!;
    const source = sourceFromPath(file);
    if (source.tcp || source.websocket) throw new UsageError(`${file}: inspect reads files; use train or run for streams`);
    const maxRows = intFlag('max-rows', values['max-rows'], undefined, 1);
    const telemetry = new Telemetry();
    const built = buildPipeline({ source: { ...source, ...(maxRows !== undefined ? { maxRows } : {}) } }, { telemetry });
    const stats = new ColumnStats();
    const log = values.quiet ? null : textLogger({ telemetry, write: io.err });
    try {
      await lastValueFrom(built.source().pipe(explore({ stats, telemetry, source: file, intervalMs: 60_000 })), { defaultValue: null });
    } finally {
      log?.unsubscribe();
    }
    const summaries = stats.summaries();
    io.out(values.json ? JSON.stringify(summaries) : formatStatsTable(summaries));
    return 0;
  },
};
