import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { lastValueFrom, of, tap } from 'rxjs';
import { type Batch, formatCount, SchemaError, SourceError, Telemetry, textLogger } from '../core/index.js';
import { DATA_DRIFT_THRESHOLDS, type DataDriftReport, type DriftMeasure, dataDrift } from '../drift/index.js';
import { ColumnStats } from '../features/index.js';
import { explore } from '../operators/index.js';
import { buildPipeline } from '../pipeline/index.js';
import { autoSteps } from './autoSteps.js';
import type { CliIO, Command } from './Command.js';
import { chooseTask, describeChoice } from './chooseTask.js';
import { INPUT_FLAGS, INPUT_USAGE, inputFlags, intFlag } from './commonFlags.js';
import { formatStatsTable } from './formatStatsTable.js';
import { inspectModel } from './inspectModel.js';
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
    '       sluice inspect <file> --compare <other> [options]',
    '       sluice inspect <model-dir> [--json]',
    '',
    'Reads a CSV, Arrow, Parquet, NDJSON or JSON file (by extension; - is CSV on stdin) and prints',
    "each column's type, count, missing values, mean, std, min, median, p99, max and top values.",
    'Top counts are exact up to 4096 distinct values; beyond, each shows lo–hi, the range of its',
    'true count. Skipped bad rows are counted on stderr. Below the table, what `sluice train`',
    'would do with each column on its quick path, from the first batch; with --target, also the',
    'task, the classes and the positive class it would choose.',
    '',
    'With --compare, reads both files and prints, per shared column, how far <other> moved from',
    '<file> (the reference): PSI and KS for numbers, Jensen–Shannon for categories and booleans,',
    'and a verdict (none, moderate, major); columns only in one file are listed below.',
    '',
    'Given a saved model (a directory written by train --save, a registry or one of its versions,',
    'or a pipeline.json), prints its kind, task, inputs, options and rows learned; for trees and',
    'forests also their size, drift resets and feature importances (top 20; all with --json).',
    '',
    'Options:',
    '  --compare F       the data drift of F against <file>, per column (not with --target)',
    '  --target T        the column or expression train would learn: states its task choice',
    '  --positive V      the positive class of a binary target (as train --positive)',
    '  --max-rows N      read at most N rows',
    ...INPUT_USAGE,
    '  --json            print the statistics object instead of the table (with --target:',
    '                    { columns: statistics, choices: { task …, columns, interactions } };',
    '                    with --compare: { reference, compared, columns: drift, drifted, … })',
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
        compare: { type: 'string' },
        ...INPUT_FLAGS,
      },
    });
    if (values.help) {
      io.out(this.usage);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'expected a file' : `expected one file, got ${positionals.join(' ')}`);
    const file = positionals[0]!;
    if ((existsSync(file) && statSync(file).isDirectory()) || file.endsWith('pipeline.json')) {
      const extra = (['target', 'compare', 'positive', 'max-rows'] as const).find((k) => values[k] !== undefined);
      if (extra) throw new UsageError(`--${extra}: applies to data files, not to a saved model (${file})`);
      return inspectModel(file, values.json === true, io);
    }
    const target = values.target?.trim() || undefined;
    if (values.positive !== undefined && !target) throw new UsageError('--positive needs --target');
    const other = values.compare;
    if (other !== undefined) {
      if (target) throw new UsageError('--compare: compares the columns of two files; --target does not apply');
      return compare(file, other, values, io);
    }
    const { stats, first, built } = await readStats(file, values, io, target);
    const summaries = stats.summaries();
    const choices = first ? await quickPath(built, first) : null;
    if (values.json) io.out(JSON.stringify(target ? { columns: summaries, choices } : summaries));
    else io.out(formatStatsTable(summaries) + (choices ? `\n\n${formatChoices(choices, (first as Batch | null)?.length ?? 0)}` : ''));
    return 0;
  },
};

/** The flags readStats and compare read. */
interface Flags {
  json?: boolean | undefined;
  'max-rows'?: string | undefined;
  quiet?: boolean | undefined;
  positive?: string | undefined;
  delimiter?: string | undefined;
  'null-values'?: string | undefined;
  'bad-rows'?: string | undefined;
  'dead-letter'?: string | undefined;
}

/** Streams a file once into ColumnStats; reports its skipped rows on stderr (even with --quiet). */
async function readStats(file: string, values: Flags, io: CliIO, target?: string): Promise<{ stats: ColumnStats; first: Batch | null; built: Built }> {
  const source = sourceFromPath(file);
  if (source.tcp || source.websocket) throw new UsageError(`${file}: inspect reads files; use train or run for streams`);
  const maxRows = intFlag('max-rows', values['max-rows'], undefined, 1);
  const input = inputFlags(values, source, file);
  const telemetry = new Telemetry();
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
  const a = seen.account;
  if (a && a.skipped > 0) {
    const reasons = Object.entries(a.skippedByReason)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ');
    io.err(`sluice inspect: ${file}: skipped ${a.skipped} of ${a.read} rows (${reasons})${input.deadLetter ? `; written to ${input.deadLetter}` : ''}`);
  }
  return { stats, first, built };
}

/** `inspect A --compare B`: the data drift of B against A, per shared column. */
async function compare(reference: string, compared: string, values: Flags, io: CliIO): Promise<number> {
  if (values['dead-letter'] !== undefined) throw new UsageError('--compare: --dead-letter would mix the bad rows of both files; inspect each file alone');
  // Both files are checked before either is read, so a typo in the second costs no wait.
  for (const f of [reference, compared]) {
    const s = sourceFromPath(f);
    if (s.tcp || s.websocket) throw new UsageError(`${f}: inspect --compare reads files; use train or run for streams`);
    if (f !== '-' && !existsSync(f)) throw new SourceError(f, `no such file${f === compared ? ' (--compare)' : ''}`);
  }
  if (reference === '-' && compared === '-') throw new UsageError('--compare: stdin (-) can be only one of the two files');
  const a = await readStats(reference, values, io);
  const b = await readStats(compared, values, io);
  const report = dataDrift(a.stats, b.stats);
  if (Object.keys(report.columns).length === 0 && Object.keys(report.notCompared).length === 0) {
    throw new SchemaError(`${reference} and ${compared} share no column (${reference}: ${list(a.stats.names)}; ${compared}: ${list(b.stats.names)})`);
  }
  if (values.json) io.out(JSON.stringify({ reference, compared, ...report }));
  else io.out(formatDriftTable(report, reference, compared));
  return 0;
}

const pct = (share: number) => `${(100 * share).toFixed(1)}%`;

const list = (names: readonly string[]) => (names.length === 0 ? 'no columns' : names.join(', '));

/** Widths of column, type, rows A, rows B, psi, ks, js, verdict: 80 columns with the separators. */
const DW = [16, 8, 8, 8, 8, 8, 8, 8];

/**
 * The drift table: a row per shared column with PSI, KS and JS where they apply (a `*` marks a
 * value the sample sizes cannot tell from chance at 5%), the column's verdict, a legend, then the
 * columns only one file has and those whose types differ.
 */
function formatDriftTable(r: DataDriftReport, reference: string, compared: string): string {
  const cell = (cells: readonly string[]) =>
    cells
      .map((c, i) => {
        const w = DW[i]!;
        const s = c.length > w ? `${c.slice(0, w - 1)}…` : c;
        return i < 2 ? s.padEnd(w) : s.padStart(w);
      })
      .join(' ')
      .trimEnd();
  const lines = [
    `${compared} against ${reference} (the reference), per column:`,
    '',
    cell(['column', 'type', 'rows A', 'rows B', 'psi', 'ks', 'js', 'verdict']),
    cell(DW.map((w) => '-'.repeat(w))),
  ];
  let unsure = false;
  for (const [name, c] of Object.entries(r.columns)) {
    const v = (kind: DriftMeasure['measure']) => {
      const m = c.measures.find((x) => x.measure === kind);
      if (!m || !Number.isFinite(m.value)) return '- ';
      if (!m.significant) unsure = true;
      return `${m.value.toFixed(3)}${m.significant ? ' ' : '*'}`;
    };
    lines.push(
      cell([name, c.type, formatCount(c.referenceRows), formatCount(c.liveRows), v('psi'), v('ks'), v('js'), c.note && c.verdict === 'none' ? '-' : c.verdict]),
    );
    if (c.note) lines.push(`  ${c.note}`);
    const miss = c.measures.find((m) => m.measure === 'missing');
    if (miss && miss.verdict !== 'none')
      lines.push(`  missing ${pct(c.referenceMissing!)} → ${pct(c.liveMissing!)} of cells (psi ${miss.value.toFixed(3)}: ${miss.verdict})`);
  }
  const t = DATA_DRIFT_THRESHOLDS;
  lines.push(
    '',
    'rows A, B: values in the reference and in the compared file (missing left out; a',
    'missing share that moved is a measure of its own, shown under its column).',
    `verdicts: psi moderate from ${t.psi.moderate}, major from ${t.psi.major}; js (bits) from ${t.js.moderate.toFixed(3)}, ${t.js.major.toFixed(3)};`,
    `ks moderate past the 5% critical value (less the sketch error), major from ${t.ks.major}.`,
  );
  if (unsure) lines.push('*: not significant at 5% for these sample sizes, so verdict none.');
  const drifted = r.drifted.map((n) => `${n} (${r.columns[n]!.verdict})`);
  lines.push('', drifted.length === 0 ? 'No column drifted.' : `Drifted: ${drifted.join(', ')}.`);
  if (r.onlyReference.length > 0) lines.push(`Only in ${reference}: ${r.onlyReference.join(', ')}.`);
  if (r.onlyLive.length > 0) lines.push(`Only in ${compared}: ${r.onlyLive.join(', ')}.`);
  const nc = Object.entries(r.notCompared);
  if (nc.length > 0) lines.push(`Not compared (types differ): ${nc.map(([n, why]) => `${n}, ${why}`).join('; ')}.`);
  return lines.join('\n');
}

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
