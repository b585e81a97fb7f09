import { parseArgs } from 'node:util';
import { SluiceError, SpecError } from '../core/index.js';
import { DRIFT_POLICIES, type DriftPolicy } from '../drift/index.js';
import { SpecErrors } from '../pipeline/index.js';
import { benchCommand } from './benchCommand.js';
import type { CliIO, Command } from './Command.js';
import { demo } from './demo.js';
import { inspectCommand } from './inspectCommand.js';
import { modelsCommand } from './modelsCommand.js';
import { predictCommand } from './predictCommand.js';
import { runCommand } from './runCommand.js';
import { serveCommand } from './serveCommand.js';
import { trainCommand } from './trainCommand.js';
import { UsageError } from './UsageError.js';

export type { CliIO } from './Command.js';

/** Exit status for a command line that cannot be understood (as sh and getopt tools use). */
const USAGE_ERROR = 2;
/** Exit status after Ctrl-C: 128 + SIGINT. */
const INTERRUPTED = 130;

const DEMO_ROWS = 10_000_000;

const COMMANDS: Record<string, Command> = {
  demo: {
    summary: 'a model learning live on a synthetic stream whose labels flip (needs no data)',
    usage: [
      'Usage: sluice demo [--rows N] [--seed S] [--batch N] [--on-drift P] [--no-tui]',
      '',
      'A logistic model learns SEA concept 1 test-then-train while its labels flip at a third of',
      'the stream and flip back at two thirds. DDM watches the errors; at its drift the policy',
      'acts (swap: a background model that started at the warning replaces the live one). Shows',
      'the dashboard in a terminal; elsewhere progress and drift lines on stderr and a summary',
      'every second on stdout, with the accuracy before, at and after each flip. Ctrl-C stops it',
      'with a final summary.',
      '',
      'Options:',
      `  --rows N       rows to stream (default ${DEMO_ROWS})`,
      '  --seed S       seed of the generators (default 1)',
      '  --batch N      rows per batch (default 10000)',
      `  --on-drift P   ${DRIFT_POLICIES.join('|')}: what a drift does (default swap; alert shows the model unadapted)`,
      '  --no-tui       plain progress lines even in a terminal (automatic when not a terminal or CI is set)',
      '  -h, --help     this help',
    ].join('\n'),
    async run(args, io) {
      const { values } = parseArgs({
        args,
        strict: true,
        allowPositionals: false,
        options: {
          rows: { type: 'string' },
          seed: { type: 'string' },
          batch: { type: 'string' },
          'on-drift': { type: 'string' },
          'no-tui': { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
      });
      if (values.help) {
        io.out(this.usage);
        return 0;
      }
      const rows = intFlag('rows', values.rows, DEMO_ROWS, 1);
      const seed = intFlag('seed', values.seed, 1, 0);
      const batchSize = intFlag('batch', values.batch, 10_000, 1);
      const onDrift = values['on-drift'] ?? 'swap';
      if (!(DRIFT_POLICIES as readonly string[]).includes(onDrift))
        throw new UsageError(`--on-drift: expected one of ${DRIFT_POLICIES.join('|')}, got "${onDrift}"`);
      const ac = new AbortController();
      const onInt = () => ac.abort();
      process.once('SIGINT', onInt);
      try {
        const r = await demo({
          rows,
          seed,
          batchSize,
          onDrift: onDrift as DriftPolicy,
          out: io.out,
          err: io.err,
          signal: ac.signal,
          ...(values['no-tui'] ? { tui: false } : {}),
        });
        return r.interrupted ? INTERRUPTED : 0;
      } finally {
        process.removeListener('SIGINT', onInt);
      }
    },
  },
  run: runCommand,
  train: trainCommand,
  predict: predictCommand,
  serve: serveCommand,
  models: modelsCommand,
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
export async function runCli(
  argv: readonly string[],
  io: CliIO = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  },
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '-h' || name === '--help' || name === 'help') {
    io.out(usage());
    return 0;
  }
  if (name === undefined) {
    io.err(usage());
    return USAGE_ERROR;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    io.err(`sluice: unknown command "${name}"\n\n${usage()}`);
    return USAGE_ERROR;
  }
  const command = COMMANDS[name]!;
  try {
    return await command.run(rest, io);
  } catch (e) {
    return reportError(e, command.usage, io);
  }
}

/** Set to 1 to print an error's stack and causes after its message. */
const DEBUG_ENV = 'SLUICE_DEBUG';

/** Classes that mean a bug in sluice rather than a problem with the input or the machine. */
const INTERNAL: ReadonlyArray<new (...args: never[]) => Error> = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];

/**
 * Prints an error once, as `sluice: <message>` (its location is part of the message), and
 * returns the exit status: 2 for usage and spec problems wherever they were found (in the flags,
 * the spec, or the stream, also as the cause of another error), 1 for anything else.
 */
function reportError(e: unknown, usageText: string, io: CliIO): number {
  const chain = causes(e);
  const debugging = process.env[DEBUG_ENV] === '1';
  const debug = () => {
    if (!debugging) return;
    for (const c of chain) io.err(c instanceof Error ? (c.stack ?? `${c.name}: ${c.message}`) : String(c));
  };
  // The outer message when it adds context to the inner one, else the inner one.
  const text = (found: Error) => (e instanceof Error && e !== found && e.message.includes(found.message) ? e.message : found.message);
  const usage = chain.find(
    (c): c is Error => c instanceof UsageError || (c instanceof Error && String((c as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')),
  );
  if (usage) {
    // parseArgs adds advice about `--` to an unknown option; the usage below says what is known.
    io.err(`sluice: ${text(usage).replace(/\. To specify a positional argument[\s\S]*$/, '')}\n\n${usageText}`);
    debug();
    return USAGE_ERROR;
  }
  // Spec problems (SpecErrors lists every one, a line each), a bad --target or --metrics found in the stream.
  const spec = chain.find((c): c is Error => c instanceof SpecErrors || c instanceof SpecError);
  if (spec) {
    io.err(`sluice: ${text(spec)}`);
    debug();
    return USAGE_ERROR;
  }
  if (!(e instanceof Error)) io.err(`sluice: ${String(e)}`);
  else if (!(e instanceof SluiceError) && INTERNAL.some((C) => e instanceof C))
    io.err(`sluice: internal error: ${e.message}${debugging ? '' : ` (${DEBUG_ENV}=1 prints the stack)`}`);
  else io.err(`sluice: ${e.message || e.name}`);
  debug();
  return 1;
}

/** The error, its `cause`s and an AggregateError's errors, outermost first. */
function causes(e: unknown): unknown[] {
  const out: unknown[] = [];
  const visit = (x: unknown) => {
    if (x === undefined || x === null || out.includes(x)) return;
    out.push(x);
    if (x instanceof AggregateError) x.errors.forEach(visit);
    if (x instanceof Error) visit(x.cause);
  };
  visit(e);
  return out;
}
