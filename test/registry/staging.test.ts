import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ModelRegistry } from '../../src/registry/index.js';
import { writeSaved } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'sluice-staging-'));
let n = 0;

function fresh(options: { staleStagingMs?: number } = {}): ModelRegistry {
  const reg = ModelRegistry.open(join(root, `reg-${n++}`), { create: true, ...options });
  reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.7, rows: 1 }));
  return reg;
}

/** A pid that ran on this host and has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/** This host's tag, as stage() names its directories. */
const ours = (() => {
  const reg = fresh();
  const dir = reg.stage();
  reg.discard(dir);
  return basename(dir).split('-').at(-1)!;
})();
const theirs = ours === '00000000' ? 'ffffffff' : '00000000';

/** A staging directory as another process left it, `ageMs` old, with a saved pipeline in it. */
function leftover(reg: ModelRegistry, name: string, ageMs = 0): string {
  const dir = join(reg.dir, name);
  writeSaved(dir, { auc: 0.5, rows: 1 });
  const t = new Date(Date.now() - ageMs);
  utimesSync(dir, t, t);
  return name;
}

const HOUR = 60 * 60 * 1000;

test('stage() names its directory with its pid, the time and a host tag; list ignores staging directories', () => {
  const reg = fresh();
  const dir = reg.stage();
  assert.match(basename(dir), new RegExp(`^v0002\\.tmp-${process.pid}-\\d+-[0-9a-f]{8}$`));
  writeSaved(dir, { auc: 0.8, rows: 1 });
  assert.equal(
    reg.versions().map((v) => v.version),
    ['v0001'],
  );
  reg.discard(dir);
  assert.not.ok(existsSync(dir));
});

test("a staging directory of this host whose pid is dead is removed by stage() and publish(), however new; a live pid's is kept, however old", () => {
  const reg = fresh();
  const dead = leftover(reg, `v0002.tmp-${deadPid()}-${Date.now()}-${ours}`);
  // The runner that started this test is alive: its directory stays even when two hours old.
  const live = leftover(reg, `v0002.tmp-${process.ppid}-${Date.now() - 2 * HOUR}-${ours}`, 2 * HOUR);
  const mine = reg.stage();
  assert.not.ok(existsSync(join(reg.dir, dead)), 'dead pid: removed by stage()');
  assert.ok(existsSync(join(reg.dir, live)), 'live pid: kept');
  assert.ok(existsSync(mine));
  const dead2 = leftover(reg, `v0002.tmp-${deadPid()}-${Date.now()}-${ours}`);
  writeSaved(mine, { auc: 0.8, rows: 1 });
  assert.is(reg.publish(mine).version, 'v0002');
  assert.not.ok(existsSync(join(reg.dir, dead2)), 'dead pid: removed by publish()');
  assert.ok(existsSync(join(reg.dir, live)));
  assert.equal(readdirSync(reg.dir).sort(), ['ACTIVE', 'v0001', 'v0002', live]);
});

test('a staging directory from another host is removed once untouched for staleStagingMs (default an hour), never before', () => {
  const reg = fresh();
  const young = leftover(reg, `v0002.tmp-1-${Date.now()}-${theirs}`, 50 * 60 * 1000);
  const old = leftover(reg, `v0002.tmp-2-${Date.now()}-${theirs}`, HOUR + 60_000);
  reg.discard(reg.stage());
  assert.ok(existsSync(join(reg.dir, young)), '50 minutes: kept');
  assert.not.ok(existsSync(join(reg.dir, old)), 'over an hour: removed');
  // Configurable: with a minute, the 50-minute one goes too.
  reg.discard(ModelRegistry.open(reg.dir, { staleStagingMs: 60_000 }).stage());
  assert.not.ok(existsSync(join(reg.dir, young)));
});

test('a staging directory named before host tags (vNNNN.tmp-<pid>-<ms>) is removed only when its pid is dead here and it is over an hour old', () => {
  const reg = fresh();
  const pid = deadPid();
  const deadOld = leftover(reg, `v0002.tmp-${pid}-1`, 2 * HOUR);
  const deadNew = leftover(reg, `v0002.tmp-${pid}-2`, 0);
  const liveOld = leftover(reg, `v0002.tmp-${process.ppid}-3`, 2 * HOUR);
  reg.discard(reg.stage());
  assert.equal(
    [deadOld, deadNew, liveOld].map((x) => existsSync(join(reg.dir, x))),
    [false, true, true],
  );
});

test('publish never removes the directory it publishes, whatever its name says; other names are left alone', () => {
  const reg = fresh();
  const staged = reg.stage();
  writeSaved(staged, { auc: 0.8, rows: 1 });
  // A directory named as a dead process's: publish sweeps the others, not this one.
  const renamed = join(reg.dir, `v0002.tmp-${deadPid()}-${Date.now()}-${ours}`);
  renameSync(staged, renamed);
  mkdirSync(join(reg.dir, 'notes.tmp-1-2'));
  assert.is(reg.publish(renamed).version, 'v0002');
  assert.ok(existsSync(join(reg.dir, 'notes.tmp-1-2')));
});

test('a live staging directory is touched every minute (the timer does not hold the process), until published or discarded', () => {
  const timers: Array<{ fn: () => void; ms: number; unref: boolean; cleared: boolean }> = [];
  const { setInterval: si, clearInterval: ci } = globalThis;
  globalThis.setInterval = ((fn: () => void, ms: number) => {
    const t = { fn, ms, unref: false, cleared: false };
    timers.push(t);
    return Object.assign(t, {
      unref() {
        t.unref = true;
        return t;
      },
    });
  }) as unknown as typeof setInterval;
  globalThis.clearInterval = ((t: { cleared: boolean } | undefined) => {
    if (t) t.cleared = true;
  }) as typeof clearInterval;
  try {
    const reg = fresh();
    const a = reg.stage();
    assert.is(timers.length, 1);
    assert.equal([timers[0]!.ms, timers[0]!.unref], [60_000, true]);
    const old = new Date(Date.now() - 2 * HOUR);
    utimesSync(a, old, old);
    timers[0]!.fn();
    assert.ok(Date.now() - statSync(a).mtimeMs < 60_000, 'touched');
    writeSaved(a, { auc: 0.8, rows: 1 });
    reg.publish(a);
    assert.ok(timers[0]!.cleared, 'published: stopped');
    const b = reg.stage();
    reg.discard(b);
    assert.ok(timers[1]!.cleared, 'discarded: stopped');
  } finally {
    globalThis.setInterval = si;
    globalThis.clearInterval = ci;
  }
});

test.run();
