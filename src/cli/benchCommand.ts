import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Command } from './Command.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** `sluice bench [suite...]`: the benchmark suites of bench/ (bench/main.ts), in a child process. */
export const benchCommand: Command = {
  summary: 'run the benchmark suites (bench/): sluice bench [suite...] [--json]',
  usage: [
    'Usage: sluice bench [suite...] [--json]',
    '',
    'Runs bench/main.ts with the given suites (each bench/<suite>.ts), in a child Node process',
    'with --expose-gc. Without a suite, bench/main.ts lists or runs its defaults.',
    '',
    'Options:',
    '  --json      one JSON result per line',
    '  -h, --help  this help',
  ].join('\n'),
  async run(args, io) {
    if (args.includes('-h') || args.includes('--help')) { io.out(this.usage); return 0; }
    return new Promise<number>((done, fail) => {
      const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/main.ts', ...args], {
        cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EGL_PLATFORM: process.env.EGL_PLATFORM ?? 'surfaceless' },
      });
      const lines = (write: (l: string) => void) => {
        let rest = '';
        return { data: (d: Buffer) => { rest += d; const parts = rest.split('\n'); rest = parts.pop()!; parts.forEach(write); }, end: () => { if (rest) write(rest); } };
      };
      const out = lines(io.out), err = lines(io.err);
      child.stdout!.on('data', out.data);
      child.stderr!.on('data', err.data);
      child.on('error', fail);
      child.on('close', (code, signal) => { out.end(); err.end(); done(code ?? (signal === 'SIGINT' ? 130 : 1)); });
    });
  },
};
