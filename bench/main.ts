/**
 * `npm run bench -- [suite ...] [--json] [--quick] [--rows N] [--reps N] [--render worker|main]
 * [--backends a,b]`. Each suite is `bench/<suite>.ts` exporting `run(reporter, args)`. With no
 * suite named, runs the default suites in order. Arguments are checked before anything runs: an
 * unknown flag or suite, or a bad value, exits 2 (`sluice bench` checks the same in-process).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES } from '../src/kernels/index.js';
import { Reporter } from './Reporter.js';

/** Run when no suite is named. */
export const SUITES = ['ingest', 'kernels', 'features', 'train', 'online', 'drift', 'serve'] as const;
/** Run only when named (tui: minutes of dashboard rendering; quality: installs scikit-learn, runs minutes of per-row Python; trees: 10M-row RSS runs and 1M-row ARF streams, tens of minutes; tune: a 100 MB candidate block and 1M rows raced twice). */
const NAMED_ONLY = ['tui', 'quality', 'trees', 'tune'] as const;

process.env.EGL_PLATFORM ??= 'surfaceless';
const usage = `Usage: npm run bench -- [suite ...] [--json] [--quick] [--rows N] [--reps N] [--render worker|main] [--backends ${BACKEND_NAMES.join(',')}]`;
const available: string[] = [...SUITES, ...NAMED_ONLY].filter((s) => existsSync(resolve(import.meta.dirname, `${s}.ts`)));
const refuse = (message: string): never => {
  process.stderr.write(`bench: ${message}\n${usage}\n`);
  process.exit(2);
};
const OPTIONS = {
  json: { type: 'boolean' },
  quick: { type: 'boolean' },
  rows: { type: 'string' },
  reps: { type: 'string' },
  render: { type: 'string' },
  backends: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
const parse = () => {
  try {
    return parseArgs({ args: process.argv.slice(2), strict: true, allowPositionals: true, options: OPTIONS });
  } catch (e) {
    return refuse((e as Error).message.replace(/\. To specify a positional argument[\s\S]*$/, ''));
  }
};
const { values, positionals } = parse();
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
for (const name of ['rows', 'reps'] as const) {
  const raw = values[name];
  const v = Number(raw?.replace(/_/g, ''));
  if (raw !== undefined && (raw.trim() === '' || !Number.isSafeInteger(v) || v < 1)) refuse(`--${name}: expected an integer ≥ 1, got "${raw}"`);
}
if (values.render !== undefined && values.render !== 'worker' && values.render !== 'main') refuse(`--render: expected worker or main, got "${values.render}"`);
const badBackend = values.backends?.split(',').find((b) => !(BACKEND_NAMES as readonly string[]).includes(b));
if (badBackend !== undefined) refuse(`--backends: expected a list of ${BACKEND_NAMES.join(', ')}, got "${badBackend}"`);
const unknown = positionals.find((s) => !available.includes(s));
if (unknown !== undefined) refuse(`unknown bench suite "${unknown}"; available: ${available.join(', ')}`);
const json = values.json === true;
const suites = positionals.length ? positionals : SUITES.filter((s) => available.includes(s));
// What each suite reads: ingest takes `--rows N`, train and tui `--rows=N`; both forms are passed.
const argv = [
  ...(json ? ['--json'] : []),
  ...(values.quick ? ['--quick'] : []),
  ...(['rows', 'reps', 'render', 'backends'] as const).flatMap((k) => {
    const v = values[k] === undefined ? undefined : k === 'rows' || k === 'reps' ? String(Number(values[k]!.replace(/_/g, ''))) : values[k]!;
    return v === undefined ? [] : [`--${k}=${v}`, `--${k}`, v];
  }),
];
const reporter = new Reporter(json);
for (const suite of suites) {
  const file = resolve(import.meta.dirname, `${suite}.ts`);
  const mod = (await import(pathToFileURL(file).href)) as { run(r: Reporter, args: string[]): Promise<void> };
  await mod.run(reporter, argv);
}
process.exit(0);
