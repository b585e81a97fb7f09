import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES } from '../kernels/index.js';
import type { Command } from './Command.js';
import { enumFlag, intFlag, listFlag } from './commonFlags.js';
import { UsageError } from './UsageError.js';

/** The clone of the repository this runs from (src/cli/ → its root); null in the package, which ships neither bench/ nor tsx. */
const ROOT = existsSync(resolve(import.meta.dirname, '../../bench/main.ts')) ? resolve(import.meta.dirname, '../..') : null;

/** bench/main.ts's suites (all but tui and quality run when none is named) and flags; it checks them again for `npm run bench`. */
const SUITES = ['ingest', 'kernels', 'features', 'train', 'online', 'drift', 'tui', 'quality', 'serve'];

/** `sluice bench [suite...]`: the benchmark suites of bench/ (bench/main.ts), in a child process. */
export const benchCommand: Command = {
  summary: 'run the benchmark suites (bench/): sluice bench [suite...] [--json]',
  usage: [
    'Usage: sluice bench [suite...] [options]',
    '',
    'Runs bench/main.ts with the given suites (each bench/<suite>.ts: ingest, kernels, features,',
    'train, online, drift, tui, quality, serve), in a child Node process with --expose-gc. Without a suite, runs all but',
    'tui and quality (quality installs python3-sklearn when missing and compares with scikit-learn; serve',
    'runs `sluice serve` from the build, dist/, in a process of its own).',
    '',
    'Options:',
    '  --json             one JSON result per line',
    '  --quick            smaller sizes (kernels, features, train, online, drift)',
    '  --rows N           rows to generate (ingest, train, tui)',
    '  --reps N           alternating runs (tui)',
    '  --render W         worker|main: where the dashboard draws (tui)',
    `  --backends a,b     ${BACKEND_NAMES.join(',')} (train)`,
    '  -h, --help         this help',
  ].join('\n'),
  async run(args, io) {
    // Checked here before a child starts, so a typo never starts a run of every suite.
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        quick: { type: 'boolean' },
        rows: { type: 'string' },
        reps: { type: 'string' },
        render: { type: 'string' },
        backends: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(this.usage);
      return 0;
    }
    if (ROOT === null)
      throw new UsageError(
        'sluice bench runs the suites of bench/ in a clone of the sluice repository (`npm run bench` there); the installed package does not include them',
      );
    const available = SUITES.filter((s) => existsSync(resolve(ROOT, 'bench', `${s}.ts`)));
    const unknown = positionals.find((s) => !available.includes(s));
    if (unknown !== undefined) throw new UsageError(`unknown bench suite "${unknown}"; available: ${available.join(', ')}`);
    intFlag('rows', values.rows, undefined, 1);
    intFlag('reps', values.reps, undefined, 1);
    enumFlag('render', values.render, ['worker', 'main'] as const);
    for (const b of listFlag(values.backends) ?? []) enumFlag('backends', b, BACKEND_NAMES);
    return new Promise<number>((done, fail) => {
      const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/main.ts', ...args], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, EGL_PLATFORM: process.env.EGL_PLATFORM ?? 'surfaceless' },
      });
      const lines = (write: (l: string) => void) => {
        let rest = '';
        return {
          data: (d: Buffer) => {
            rest += d;
            const parts = rest.split('\n');
            rest = parts.pop()!;
            parts.forEach(write);
          },
          end: () => {
            if (rest) write(rest);
          },
        };
      };
      const out = lines(io.out),
        err = lines(io.err);
      child.stdout!.on('data', out.data);
      child.stderr!.on('data', err.data);
      child.on('error', fail);
      child.on('close', (code, signal) => {
        out.end();
        err.end();
        done(code ?? (signal === 'SIGINT' ? 130 : 1));
      });
    });
  },
};
