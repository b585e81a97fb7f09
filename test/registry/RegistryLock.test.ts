import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs, {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpecError } from '../../src/core/index.js';
import { ModelRegistry, RegistryLockedError } from '../../src/registry/index.js';
import { writeSaved } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'sluice-lock-'));
const repo = resolve(import.meta.dirname, '../..');
let n = 0;

function fresh(options: { lockTimeoutMs?: number } = {}): ModelRegistry {
  return ModelRegistry.open(join(root, `reg-${n++}`), { create: true, ...options });
}

/** A pid that ran on this host and has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/** The pid namespace as RegistryLock records it (Linux), so a hand-written lock counts as this host's. */
const ownPidns = existsSync('/proc/self/ns/pid') ? readlinkSync('/proc/self/ns/pid') : null;

/** A lock file as another process would leave it. */
function lockAs(reg: ModelRegistry, holder: Record<string, unknown>): string {
  const file = join(reg.dir, '.lock');
  writeFileSync(file, JSON.stringify({ since: '2024-01-02T03:04:05.000Z', purpose: 'publish', token: `t${n++}`, pidns: ownPidns, ...holder }));
  return file;
}

test('publish, activate and rollback hold REG/.lock (pid, host, time, purpose) and remove it after, even when they fail', () => {
  const reg = fresh();
  reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.7, rows: 1 }));
  // Inside the lock: a failing activate (unknown version) still releases it.
  assert.throws(() => reg.activate('v0009'), /unknown version/);
  assert.not.ok(existsSync(join(reg.dir, '.lock')));
  // Read the lock while publish holds it: when it renames the staged directory to the version.
  const file = join(reg.dir, '.lock');
  const stage = reg.stage();
  writeSaved(stage, { auc: 0.8, rows: 2 });
  const seen: string[] = [];
  const { renameSync } = fs;
  fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    if (String(from) === stage) seen.push(readFileSync(file, 'utf8'));
    renameSync(from, to);
  };
  syncBuiltinESMExports();
  try {
    reg.publish(stage);
  } finally {
    fs.renameSync = renameSync;
    syncBuiltinESMExports();
  }
  assert.is(seen.length, 1, 'the lock was held during the rename');
  const holder = JSON.parse(seen[0]!) as Record<string, unknown>;
  assert.is(holder.pid, process.pid);
  assert.is(holder.host, hostname());
  assert.is(holder.pidns, ownPidns);
  assert.is(holder.purpose, 'publish');
  assert.ok(Math.abs(Date.parse(String(holder.since)) - Date.now()) < 60_000);
  assert.not.ok(existsSync(file));
  assert.equal(readdirSync(reg.dir).sort(), ['ACTIVE', 'v0001', 'v0002']);
});

test('a lock held by a live process makes activate wait, then fail with RegistryLockedError naming the holder and how to remove it; ACTIVE is unchanged', () => {
  const reg = fresh({ lockTimeoutMs: 300 });
  reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.7, rows: 1 }));
  reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.8, rows: 1 }));
  // The parent of this process (the test runner) is alive on this host.
  const file = lockAs(reg, { pid: process.ppid, host: hostname() });
  const t0 = Date.now();
  try {
    reg.activate('v0001');
    assert.unreachable('locked');
  } catch (e) {
    assert.instance(e, RegistryLockedError);
    const err = e as RegistryLockedError;
    assert.is(err.code, 'REGISTRY_LOCKED');
    assert.is(err.holder?.pid, process.ppid);
    assert.ok(Date.now() - t0 >= 300, 'it waited the timeout');
    assert.ok(
      err.message.startsWith(
        `${file}: another process is changing this registry: locked by pid ${process.ppid} on this host (publish) since 2024-01-02T03:04:05.000Z`,
      ),
      err.message,
    );
    assert.match(err.message, `remove the lock: rm ${file}`);
    assert.match(err.message, /waited 0\.[3-9] s|waited \d+\.\d s/);
  }
  assert.is(reg.active(), 'v0002');
  const locked = (e: Error) => e instanceof RegistryLockedError;
  assert.throws(() => reg.rollback(), locked);
  assert.throws(() => reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.9, rows: 1 })), locked);
  assert.equal(
    reg.versions().map((v) => v.version),
    ['v0001', 'v0002'],
  );
  assert.ok(existsSync(file), 'a live holder keeps its lock');
  assert.throws(
    () => ModelRegistry.open(reg.dir, { lockTimeoutMs: -1 }),
    (e: Error) => e instanceof SpecError && /lockTimeoutMs: expected a number of milliseconds >= 0, got -1/.test(e.message),
  );
});

test('a lock from another host is never taken over: the error says to remove it if no process uses the registry', () => {
  const reg = fresh({ lockTimeoutMs: 50 });
  reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.7, rows: 1 }));
  const file = lockAs(reg, { pid: deadPid(), host: 'elsewhere.example' });
  assert.throws(
    () => reg.activate('v0001'),
    (e: Error) =>
      e instanceof RegistryLockedError &&
      e.message.includes('on host elsewhere.example') &&
      e.message.includes(`if no sluice process on any machine is using this registry (its holder crashed), remove the lock: rm ${file}`),
  );
  assert.ok(existsSync(file));
});

test('a stale lock (its pid is dead on this host) is taken over at once and removed after; so is an empty lock file older than 10 s, not a fresh one', () => {
  const reg = fresh({ lockTimeoutMs: 200 });
  reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.7, rows: 1 }));
  reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.8, rows: 1 }));
  const file = lockAs(reg, { pid: deadPid(), host: hostname() });
  const t0 = Date.now();
  assert.is(reg.activate('v0001').version, 'v0001');
  assert.ok(Date.now() - t0 < 200, 'no wait for a dead holder');
  assert.is(reg.active(), 'v0001');
  assert.not.ok(existsSync(file));
  assert.equal(
    readdirSync(reg.dir).filter((x) => x.startsWith('.lock')),
    [],
    'no .lock.broken-* link is left',
  );
  // An empty lock file: its holder died between creating and writing it, or is writing it now.
  writeFileSync(file, '');
  assert.throws(
    () => reg.activate('v0002'),
    (e: Error) => e instanceof RegistryLockedError && /lock file is empty or unreadable/.test(e.message),
  );
  const old = new Date(Date.now() - 60_000);
  utimesSync(file, old, old);
  assert.is(reg.activate('v0002').version, 'v0002');
  assert.not.ok(existsSync(file));
});

test('a stale lock another process is taking over (its .lock.broken-<id> link exists) is waited for; the error lists both files to remove', () => {
  const reg = fresh({ lockTimeoutMs: 100 });
  reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.7, rows: 1 }));
  const file = lockAs(reg, { pid: deadPid(), host: hostname() });
  // The link a taker-over makes: named from the stale lock's inode, mtime and bytes.
  const st = statSync(file);
  const id = createHash('sha256')
    .update(`${st.ino}\0${st.mtimeMs}\0${readFileSync(file, 'utf8')}`)
    .digest('hex')
    .slice(0, 16);
  linkSync(file, `${file}.broken-${id}`);
  assert.throws(
    () => reg.activate('v0001'),
    (e: Error) =>
      e instanceof RegistryLockedError &&
      e.message.includes('it is stale (pid ') &&
      e.message.includes(`is not running on this host) but could not be taken over: rm ${file} ${file}.broken-${id}`),
  );
  // Once the taker-over is gone and its link removed, the stale lock is taken over.
  unlinkSync(`${file}.broken-${id}`);
  assert.is(reg.activate('v0001').version, 'v0001');
  assert.not.ok(existsSync(file));
});

/** Starts the racer script; resolves with its stdout lines when it exits 0. */
function racer(args: string[]): { child: ChildProcess; ready: Promise<void>; done: Promise<string[]> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'test/registry/racer.ts'), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '',
    err = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    onReady = r;
  });
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const done = new Promise<string[]>((ok, fail) => {
    child.on('exit', (code) => {
      onReady();
      if (code === 0) ok(out.split('\n').filter((l) => l !== '' && l !== 'ready'));
      else fail(new Error(`racer ${args.join(' ')} exited ${code}: ${err}`));
    });
  });
  return { child, ready, done };
}

test('two processes publishing 8 versions each into one registry at once: 16 distinct versions, each the child of the one before, ACTIVE the last', async () => {
  const reg = fresh();
  const go = join(root, `go-${n++}`),
    stop = join(root, `stop-${n++}`);
  const a = racer([reg.dir, go, stop, 'publish', '8', 'a']);
  const b = racer([reg.dir, go, stop, 'publish', '8', 'b']);
  await Promise.all([a.ready, b.ready]);
  writeFileSync(go, '');
  const [va, vb] = await Promise.all([a.done, b.done]);
  const all = [...va, ...vb].sort();
  assert.equal(
    all,
    Array.from({ length: 16 }, (_, i) => `v${String(i + 1).padStart(4, '0')}`),
  );
  const versions = ModelRegistry.open(reg.dir).versions();
  // Under the lock each publish reads ACTIVE and writes it: the parents form one chain.
  assert.equal(
    versions.map((v) => v.meta.parent),
    [null, ...all.slice(0, -1)],
  );
  assert.is(reg.active(), 'v0016');
  for (const v of versions) reg.verify(v.version);
  // Each process's versions are its own runs (the source it gave), in its order.
  const sources = (xs: string[]) => xs.map((v) => versions.find((x) => x.version === v)!.meta.data.source);
  assert.equal(
    sources(va),
    Array.from({ length: 8 }, (_, i) => `a-${i}`),
  );
  assert.equal(
    sources(vb),
    Array.from({ length: 8 }, (_, i) => `b-${i}`),
  );
  assert.equal(readdirSync(reg.dir).sort(), ['ACTIVE', ...all]);
});

test('activate racing two publishers: every version complete and verified, ACTIVE names one of them', async () => {
  const reg = fresh();
  const go = join(root, `go-${n++}`),
    stop = join(root, `stop-${n++}`);
  mkdirSync(reg.dir, { recursive: true });
  const a = racer([reg.dir, go, stop, 'publish', '6', 'a']);
  const b = racer([reg.dir, go, stop, 'publish', '6', 'b']);
  const c = racer([reg.dir, go, stop, 'activate']);
  await Promise.all([a.ready, b.ready, c.ready]);
  writeFileSync(go, '');
  const [va, vb] = await Promise.all([a.done, b.done]);
  writeFileSync(stop, '');
  const [activated] = await c.done;
  assert.match(activated!, /^activated \d+$/);
  assert.equal(
    [...va, ...vb].sort(),
    Array.from({ length: 12 }, (_, i) => `v${String(i + 1).padStart(4, '0')}`),
  );
  const names = reg.versions().map((v) => v.version);
  assert.is(names.length, 12);
  for (const v of names) reg.verify(v);
  const active = reg.active();
  assert.ok(active !== null && names.includes(active), String(active));
  // Every parent is a version published before it.
  for (const v of reg.versions()) assert.ok(v.meta.parent === null || v.meta.parent < v.version, `${v.version} <- ${v.meta.parent}`);
  assert.equal(
    readdirSync(reg.dir).filter((x) => !names.includes(x)),
    ['ACTIVE'],
  );
});

test.run();
