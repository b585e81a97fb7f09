import { parseArgs } from 'node:util';
import { SpecError } from '../core/index.js';
import { SpecErrors } from '../spec/index.js';
import { benchCommand } from './benchCommand.js';
import type { CliIO, Command } from './Command.js';
import { demo } from './demo.js';
import { inspectCommand } from './inspectCommand.js';
import { runCommand } from './runCommand.js';
import { trainCommand } from './trainCommand.js';
import { UsageError } from './UsageError.js';

export type { CliIO } from './Command.js';

/** Exit status for a command line that cannot be understood (as sh and getopt tools use). */
const USAGE_ERROR = 2;
/** Exit status after Ctrl-C: 128 + SIGINT. */
const INTERRUPTED = 130;


const DEMO_ROWS = 30_000_000;

const COMMANDS: Record<string, Command> = {
  demo: {
    summary: 'a live run on a synthetic stream with concept drift (needs no data)',
    usage: [
      'Usage: sluice demo [--rows N] [--seed S] [--batch N] [--no-tui]',
      '',
      'Streams SEA concepts drifting gradually from concept 1 to concept 3 at mid-stream,',
      'with progress on stderr and a summary line every second on stdout. Ctrl-C stops it',
      'with a final summary.',
      '',
      'Options:',
      `  --rows N    rows to stream (default ${DEMO_ROWS})`,
      '  --seed S    seed of the generators (default 1)',
      '  --batch N   rows per batch (default 10000)',
      '  --no-tui    plain progress lines even in a terminal (automatic when not a terminal or CI is set)',
      '  -h, --help  this help',
    ].join('\n'),
    async run(args, io) {
      const { values } = parseArgs({ args, strict: true, allowPositionals: false, options: {
        rows: { type: 'string' }, seed: { type: 'string' }, batch: { type: 'string' }, 'no-tui': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      } });
      if (values.help) { io.out(this.usage); return 0; }
      const rows = intFlag('rows', values.rows, DEMO_ROWS, 1);
      const seed = intFlag('seed', values.seed, 1, 0);
      const batchSize = intFlag('batch', values.batch, 10_000, 1);
      const ac = new AbortController();
      const onInt = () => ac.abort();
      process.once('SIGINT', onInt);
      try {
        const r = await demo({ rows, seed, batchSize, out: io.out, err: io.err, signal: ac.signal, ...(values['no-tui'] ? { tui: false } : {}) });
        return r.interrupted ? INTERRUPTED : 0;
      } finally {
        process.removeListener('SIGINT', onInt);
      }
    },
  },
  run: runCommand,
  train: trainCommand,
  inspect: inspectCommand,
  bench: benchCommand,
};

function intFlag(name: string, raw: string | undefined, def: number, min: number): number {
  if (raw === undefined) return def;
  const v = Number(raw.replace(/_/g, ''));
  if (raw.trim() === '' || !Number.isSafeInteger(v) || v < min) throw new UsageError(`--${name}: expected an integer ≥ ${min}, got "${raw}"`);
  return v;
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'Usage: sluice <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `sluice <command> --help` for its options.',
  ].join('\n');
}

/**
 * The `sluice` command line: dispatches `argv` (without node and the script) to a command and
 * resolves to the exit status. New commands are entries in COMMANDS.
 */
export async function runCli(argv: readonly string[], io: CliIO = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '-h' || name === '--help' || name === 'help') { io.out(usage()); return 0; }
  if (name === undefined) { io.err(usage()); return USAGE_ERROR; }
  const command = COMMANDS[name];
  if (!command) { io.err(`sluice: unknown command "${name}"\n\n${usage()}`); return USAGE_ERROR; }
  try {
    return await command.run(rest, io);
  } catch (e) {
    // parseArgs reports unknown or malformed flags with ERR_PARSE_ARGS_* codes.
    const code = (e as { code?: string }).code;
    if (e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`sluice ${name}: ${(e as Error).message}\n\n${command.usage}`);
      return USAGE_ERROR;
    }
    // Spec problems, a bad --target: usage errors too, one line per problem.
    if (e instanceof SpecErrors) {
      io.err(`sluice ${name}: ${e.file}: ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}`);
      for (const p of e.problems) io.err(`  ${p.message}`);
      return USAGE_ERROR;
    }
    if (e instanceof SpecError) { io.err(`sluice ${name}: ${e.message}`); return USAGE_ERROR; }
    io.err(`sluice ${name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return 1;
  }
}
