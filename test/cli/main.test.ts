import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = resolve(import.meta.dirname, '../..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/sluice.js ...args`; `onStderr` may act on the child while it runs. */
function sluice(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/sluice.js', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

test('unknown command: usage on stderr, exit 2', async () => {
  const r = await sluice(['frobnicate']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  assert.match(r.stderr, /Usage: sluice <command>/);
  assert.is(r.stdout, '');
});

test('help and bad flags', async () => {
  const help = await sluice(['--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /Usage: sluice <command>[\s\S]*demo/);
  const demoHelp = await sluice(['demo', '--help']);
  assert.is(demoHelp.code, 0);
  assert.match(demoHelp.stdout, /--rows N[\s\S]*--seed S[\s\S]*--batch N/);
  const bad = await sluice(['demo', '--rows', 'many']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--rows: expected an integer ≥ 1, got "many"/);
  const unknown = await sluice(['demo', '--speed', '3']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /--speed/);
});

// The demo's own runs: test/cli/demo.test.ts.

test.run();
