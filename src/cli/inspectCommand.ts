import { parseArgs } from 'node:util';
import { lastValueFrom, of, tap } from 'rxjs';
import { type Batch, Telemetry, textLogger } from '../core/index.js';
import { ColumnStats } from '../features/index.js';
import { explore } from '../operators/index.js';
import { buildPipeline } from '../pipeline/index.js';
import { autoSteps } from './autoSteps.js';
import type { Command } from './Command.js';
import { chooseTask, describeChoice } from './chooseTask.js';
import { INPUT_FLAGS, INPUT_USAGE, inputFlags, intFlag } from './commonFlags.js';
import { formatStatsTable } from './formatStatsTable.js';
import { sourceFromPath } from './sourceFromPath.js';
import { UsageError } from './UsageError.js';

/**
 * Top-value counters per category column. More than ColumnStats' default: inspect reads a file
 * once for a person, so exact counts up to 4096 distinct values (and tight ranges beyond, e.g.
 * ±7 for the 18,931 cities of vega's zipcodes) are worth ~0.5 MB per column.
 */
const TOP_CAPACITY = 4096;

/** `sluice inspect <file>`: inferred column types and streaming statistics. */
export const inspectCommand: Command = {
  summary: 'column types and streaming statistics of a file, as a table',
  usage: [
    'Usage: sluice inspect <file> [options]',
    '',
    'Reads a CSV, Arrow, Parquet, NDJSON or JSON file (by extension; - is CSV on stdin) and prints',
    "each column's type, count, missing values, mean, std, min, median, p99, max and top values.",
    'Top counts are exact up to 4096 distinct values; beyond, each shows lo–hi, the range of its',
    'true count. Skipped bad rows are counted on stderr. Below the table, what `sluice train`',
    'would do with each column on its quick path, from the first batch; with --target, also the',
    'task, the classes and the positive class it would choose.',
    '',
    'Options:',
    '  --target T        the column or expression train would learn: states its task choice',
    '  --positive V      the positive class of a binary target (as train --positive)',
    '  --max-rows N      read at most N rows',
    ...INPUT_USAGE,
    '  --json            print the statistics object instead of the table (with --target:',
    '                    { columns: statistics, choices: { task …, columns, interactions } })',
    '  -q, --quiet       no progress lines',
    '  -h, --help        this help',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        'max-rows': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
        'no-tui': { type: 'boolean' },
        target: { type: 'string' },
        positive: { type: 'string' },
        ...INPUT_FLAGS,
      },
    });
    if (values.help) {
      io.out(this.usage);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'expected a file' : `expected one file, got ${positionals.join(' ')}`);
    const file = positionals[0]!;
    const source = sourceFromPath(file);
    if (source.tcp || source.websocket) throw new UsageError(`${file}: inspect reads files; use train or run for streams`);
    const maxRows = intFlag('max-rows', values['max-rows'], undefined, 1);
    const input = inputFlags(values, source, file);
    const telemetry = new Telemetry();
    const target = values.target?.trim() || undefined;
    if (values.positive !== undefined && !target) throw new UsageError('--positive needs --target');
    const built = buildPipeline(
      {
        source: { ...source, ...input, ...(maxRows !== undefined ? { maxRows } : {}) },
        ...(target ? { target } : {}),
        ...(values.positive !== undefined ? { positive: values.positive } : {}),
      },
      { telemetry, targetPath: '--target' },
    );
    let first: Batch | null = null;
    const stats = new ColumnStats({ topCapacity: TOP_CAPACITY });
    const log = values.quiet ? null : textLogger({ telemetry, write: io.err });
    // The source's books: skipped rows are reported even with --quiet (nothing lost silently).
    const seen: { account: { read: number; skipped: number; skippedByReason: Record<string, number | undefined> } | null } = { account: null };
    const books = telemetry.on('account').subscribe((e) => {
      seen.account = e;
    });
    try {
      await lastValueFrom(
        built.source().pipe(
          explore({ stats, telemetry, source: file, intervalMs: 60_000 }),
          tap((b) => {
            first ??= b;
          }),
        ),
        { defaultValue: null },
      );
    } finally {
      log?.unsubscribe();
      books.unsubscribe();
    }
    const summaries = stats.summaries();
    const choices = first ? await quickPath(built, first) : null;
    if (values.json) io.out(JSON.stringify(target ? { columns: summaries, choices } : summaries));
    else io.out(formatStatsTable(summaries) + (choices ? `\n\n${formatChoices(choices, (first as Batch | null)?.length ?? 0)}` : ''));
    const a = seen.account;
    if (a && a.skipped > 0) {
      const reasons = Object.entries(a.skippedByReason)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ');
      io.err(`sluice inspect: ${file}: skipped ${a.skipped} of ${a.read} rows (${reasons})${input.deadLetter ? `; written to ${input.deadLetter}` : ''}`);
    }
    return 0;
  },
};

type Built = ReturnType<typeof buildPipeline>;
type Choices = Partial<ReturnType<typeof chooseTask>> & { columns: Record<string, string>; interactions: string[]; line?: string };

/** What `sluice train` would decide from this first batch: each column's treatment and, with a target, the task. */
async function quickPath(built: Built, raw: Batch): Promise<Choices> {
  const t = built.target;
  // The target expression is derived as train derives it.
  const batch = t ? ((await lastValueFrom(of(raw).pipe(built.steps), { defaultValue: null })) ?? raw) : raw;
  const plan = autoSteps(batch, { exclude: new Set(t ? [t.column, ...t.reads] : []) });
  if (!t) return { columns: plan.columns, interactions: plan.interactions };
  const choice = chooseTask(batch.column(t.column), batch.length, {
    column: t.expression ?? t.column,
    positive: built.positive ?? undefined,
    taskPath: '--task',
    positivePath: '--positive',
    lines: batch.lines,
  });
  return { ...choice, columns: plan.columns, interactions: plan.interactions, line: describeChoice(choice) };
}

function formatChoices(c: Choices, rows: number): string {
  const width = Math.max(...Object.keys(c.columns).map((k) => k.length), 6);
  return [
    `sluice train's quick path, from the first batch (${rows} rows):`,
    ...(c.line ? [`  ${c.line}`] : []),
    ...Object.entries(c.columns).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
  ].join('\n');
}
