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

test('sluice demo --rows 50000 streams, logs progress and ends with a summary', async () => {
  const r = await sluice(['demo', '--rows', '50000', '--seed', '3', '--batch', '5000']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /sea-drift read=5000 10\.0%/);
  assert.match(r.stderr, /sea-drift read=50000 100\.0%.* done/);
  assert.match(r.stdout, /around row 25000 \(width 5000\).*50000 rows, seed 3/);
  // The final window's summary, then the final line, with the concept-3 share near a half.
  assert.match(r.stdout, /rows=50\.0k 100% .*class1 \d+\.\d%, from concept 3 \d+\.\d%, labels agree c1 \d+\.\d% c3 \d+\.\d% → concept [13]/);
  const done = /^done: 50000 rows in [\d.]+ s \([\d.]+[kM]? rows\/s\); class1 [\d.]+%; (\d+) rows \([\d.]+%\) from concept 3$/m.exec(r.stdout);
  assert.ok(done, r.stdout);
  const fromB = Number(done![1]);
  assert.ok(fromB > 20_000 && fromB < 30_000, `rows from concept 3: ${fromB}`);
});

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

test('Ctrl-C ends the demo cleanly with a final summary', async () => {
  let sent = false;
  const r = await sluice(['demo', '--rows', '2000000000', '--batch', '1000'], (text, child) => {
    // The first progress line means the stream is flowing.
    if (!sent && /sea-drift read=/.test(text)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  assert.ok(sent, 'never saw progress');
  assert.is(r.code, 130);
  assert.match(r.stdout, /^interrupted: \d+ rows in [\d.]+ s/m);
  assert.not.match(r.stderr, /Error|at .*\.ts/);
});

test.run();
