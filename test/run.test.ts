/**
 * The test runner itself (test/run.ts), on small test files written to a temp dir
 * (SLUICE_TEST_ROOT): counts, crashes, hangs, files that cannot load, hooks, skips, filters, and
 * many files sharing one worker process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const runner = join(import.meta.dirname, 'run.ts');

function fixtures(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-run-test-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n'); // ESM, as in this repository
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), `import { test } from 'uvu';\n${body}\ntest.run();\n`);
  return dir;
}

// 8 s per file: the hang fixture's limit, and room for a fresh worker to start on a loaded machine.
// TMPDIR: the runner's times file goes with the fixtures.
function run(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', runner, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, SLUICE_TEST_ROOT: dir, SLUICE_TEST_FILE_TIMEOUT_S: '8', SLUICE_TEST_WORKERS: '2', TMPDIR: dir, ...env },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('a crash, a hang, a load error and a failing hook each cost one file; the rest run and are counted', () => {
  const dir = fixtures({
    'a.test.ts': `test('a1', () => {}); test('a2', () => {}); test('a3', () => { throw new Error('boom-a'); });`,
    'b.test.ts': `test('b1', () => {});`,
    'crash.test.ts': `test('dies', () => { process.kill(process.pid, 'SIGKILL'); });`,
    'flaky.test.ts': `import { existsSync, writeFileSync } from 'node:fs';
test('dies once', () => { const mark = process.env.FLAKY_MARK!; if (!existsSync(mark)) { writeFileSync(mark, ''); process.kill(process.pid, 'SIGKILL'); } });`,
    'hang.test.ts': `test('spins', () => { for (;;) {} });`,
    'load.test.ts': `throw new Error('cannot even load');`,
    'hook.test.ts': `test.before(() => { throw new Error('hook-broke'); }); test('h1', () => {}); test('h2', () => {});`,
    'skip.test.ts': `test('s1', () => {}); test.skip('s2', () => {});`,
  });
  try {
    const r = run(dir, [], { FLAKY_MARK: join(dir, 'flaky.mark') });
    assert.is(r.status, 1, r.out);
    assert.match(r.out, /\n5 passed, 6 failed, 1 skipped\n$/);
    assert.match(r.out, /✘ a\.test\.ts {2}2\/3/);
    assert.match(r.out, /FAIL "a3"\n {4}boom-a/);
    assert.match(r.out, /✔ b\.test\.ts {2}1\/1/);
    assert.match(r.out, /! crash\.test\.ts: worker killed by SIGKILL in "dies"; retrying once in a fresh process/);
    assert.match(r.out, /✘ crash\.test\.ts {2}0\/1/);
    assert.match(r.out, /! flaky\.test\.ts: worker killed by SIGKILL in "dies once"; retrying once/);
    assert.match(r.out, /✔ flaky\.test\.ts {2}1\/1/);
    assert.match(r.out, /hang\.test\.ts: timed out after 8s in "spins"/);
    assert.match(r.out, /✘ hang\.test\.ts {2}0\/1/);
    assert.match(r.out, /cannot even load/);
    assert.match(r.out, /✘ load\.test\.ts {2}0\/1/);
    assert.match(r.out, /hook-broke/);
    assert.match(r.out, /✘ hook\.test\.ts {2}0\/2/);
    assert.match(r.out, /✔ skip\.test\.ts {2}1\/1/);
    assert.match(r.out, /8 files, [\d.]+s, 2 workers; failing: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('files share one worker process until it outgrows its memory cap; a filter picks files by path part; no match means no test ran', () => {
  const pid = `import { appendFileSync } from 'node:fs';\ntest('pid', () => { appendFileSync(process.env.PID_LOG!, process.pid + '\\n'); });`;
  const dir = fixtures({ 'p1.test.ts': pid, 'p2.test.ts': pid, 'p3.test.ts': pid, 'other.test.ts': `test('o', () => {});` });
  const log = join(dir, 'pids.log');
  try {
    const r = run(dir, ['p'], { SLUICE_TEST_WORKERS: '1', PID_LOG: log });
    assert.is(r.status, 0, r.out);
    assert.match(r.out, /\n3 passed, 0 failed, 0 skipped\n$/);
    assert.not.match(r.out, /other\.test\.ts/);
    assert.not.match(r.out, /^! /m, 'no worker died or was retried');
    const pids = readFileSync(log, 'utf8').trim().split('\n');
    assert.is(pids.length, 3);
    assert.is(new Set(pids).size, 1, `one worker ran all three files: ${pids.join(', ')}`);

    // Past SLUICE_TEST_WORKER_MAX_RSS_MB a worker is replaced after its file: a new process each time.
    rmSync(log);
    const small = run(dir, ['p'], { SLUICE_TEST_WORKERS: '1', SLUICE_TEST_WORKER_MAX_RSS_MB: '1', PID_LOG: log });
    assert.is(small.status, 0, small.out);
    assert.match(small.out, /\n3 passed, 0 failed, 0 skipped\n$/);
    assert.is(new Set(readFileSync(log, 'utf8').trim().split('\n')).size, 3);
    assert.not.match(small.out, /^! /m, 'no worker died or was retried');

    const none = run(dir, ['nothing-matches']);
    assert.is(none.status, 1, none.out);
    assert.match(none.out, /no test ran\n0 passed, 0 failed, 0 skipped\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad SLUICE_TEST_WORKERS is refused with its name and value', () => {
  const dir = fixtures({ 'x.test.ts': `test('x', () => {});` });
  try {
    const r = run(dir, [], { SLUICE_TEST_WORKERS: 'two' });
    assert.is(r.status, 2, r.out);
    assert.match(r.out, /SLUICE_TEST_WORKERS="two" must be a positive integer/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
