import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, linkSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '../core/index.js';

/** The lock file of a registry: REG/.lock. */
export const LOCK = '.lock';

/** What REG/.lock says about the process holding it (JSON). */
export interface LockHolder {
  pid: number;
  host: string;
  /** The pid namespace (Linux: /proc/self/ns/pid), so two containers with one hostname are told apart; null elsewhere. */
  pidns: string | null;
  /** ISO time the lock was taken. */
  since: string;
  /** What the holder is doing: publish, activate, rollback. */
  purpose: string;
  /** Random: tells this holding of the lock from any later one by the same pid. */
  token: string;
}

/**
 * The registry is locked by another process and stayed locked for as long as we waited. The
 * message names the lock file, the holder (pid, host, since when, doing what) and how to remove
 * the lock when its holder is gone.
 */
export class RegistryLockedError extends SourceError {
  readonly holder: LockHolder | null;
  constructor(lockFile: string, holder: LockHolder | null, waitedMs: number, why: string) {
    super(lockFile, `${why}; waited ${(waitedMs / 1000).toFixed(1)} s`, { code: 'REGISTRY_LOCKED' });
    this.holder = holder;
  }
}

/** This machine and pid namespace: a pid means the same process only where both match. */
export const here = Object.freeze({ host: hostname(), pidns: pidNamespace() });

/** A short tag for `here` (staging directory names carry it): 8 hex digits of its sha256. */
export const hereTag = createHash('sha256')
  .update(`${here.host}\0${here.pidns ?? ''}`)
  .digest('hex')
  .slice(0, 8);

/** Whether a process with this pid runs on this machine (in this pid namespace). EPERM: it runs, as another user. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock file left empty or unreadable (its holder died between creating it and writing it, or a
 * power cut lost the write) is abandoned once it is this old: a live holder writes it at once.
 */
const UNREADABLE_STALE_MS = 10_000;

/**
 * Runs `fn` holding REG/.lock: the lock is a file created with O_EXCL (`wx`), which one process at
 * a time can create, holding the holder's pid, host, pid namespace, time, purpose and a random
 * token; it is removed after `fn`, thrown or not. While another process holds it we retry with
 * growing sleeps (5 ms up to 100 ms) until `timeoutMs`, then throw RegistryLockedError naming the
 * holder. The lock is held for milliseconds (a rename and two small writes), so a long wait means
 * a stuck or dead holder.
 *
 * A stale lock is taken over: one whose holder ran on this machine and pid namespace and whose pid
 * no longer runs (the process died holding it; a pid cannot be checked from another machine, so a
 * lock from elsewhere is never taken over, only reported), or one left empty or unreadable for
 * UNREADABLE_STALE_MS. Taking over must not remove a live lock that replaced the stale one between
 * our read and our removal, so it goes through a hard link: `link(.lock, .lock.broken-<id>)`,
 * where <id> is derived from the stale lock's bytes, inode and mtime, succeeds for one process
 * only; that process checks that the linked file still has the stale bytes and inode (else it
 * linked a newer lock, and only unlinks its own link), then unlinks .lock and its link, and
 * competes for the lock like everyone else. Nobody else unlinks .lock while it is the stale one.
 * Where hard links are not supported the stale lock is only reported.
 *
 * Synchronous (the registry's operations are): the waits block the thread, which is fine for the
 * CLI and, the lock being held for milliseconds, for the server's activate.
 */
export function withRegistryLock<T>(dir: string, purpose: string, timeoutMs: number, fn: () => T): T {
  const file = join(dir, LOCK);
  const me: LockHolder = { pid: process.pid, host: here.host, pidns: here.pidns, since: new Date().toISOString(), purpose, token: randomUUID() };
  const mine = JSON.stringify(me);
  const start = Date.now();
  let sleep = 5;
  for (;;) {
    if (tryCreate(file, mine)) break;
    const seen = readLock(file);
    if (seen === null) continue; // released between our create and our read: try again at once
    const why = staleness(seen);
    if (why !== null && breakStale(file, seen)) continue;
    const waited = Date.now() - start;
    if (waited >= timeoutMs) throw new RegistryLockedError(file, seen.holder, waited, lockedMessage(file, dir, seen, why));
    sleepSync(Math.min(sleep * (0.5 + Math.random()), timeoutMs - waited));
    sleep = Math.min(sleep * 2, 100);
  }
  try {
    return fn();
  } finally {
    release(file, mine);
  }
}

function tryCreate(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new SourceError(file, `cannot create the registry's lock file: ${(e as Error).message}`, { cause: e });
  }
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes the lock if it is still ours (a lock taken over from us, wrongly judged stale, is left to its new holder). */
function release(file: string, mine: string): void {
  try {
    if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
  } catch {
    // already gone
  }
}

interface Seen {
  raw: string;
  holder: LockHolder | null;
  ino: number;
  mtimeMs: number;
}

/** The lock file's bytes, parsed holder and identity; null when there is no lock file now. */
function readLock(file: string): Seen | null {
  try {
    const st = statSync(file);
    const raw = readFileSync(file, 'utf8');
    return { raw, holder: parseHolder(raw), ino: st.ino, mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function parseHolder(raw: string): LockHolder | null {
  try {
    const h = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof h !== 'object' || h === null || !Number.isInteger(h.pid) || typeof h.host !== 'string' || typeof h.token !== 'string') return null;
    return {
      pid: h.pid!,
      host: h.host,
      pidns: typeof h.pidns === 'string' ? h.pidns : null,
      since: String(h.since),
      purpose: String(h.purpose),
      token: h.token,
    };
  } catch {
    return null;
  }
}

/** Why the lock is stale (its holder is gone), or null while it may be held. */
function staleness(seen: Seen): string | null {
  const h = seen.holder;
  if (h === null) return Date.now() - seen.mtimeMs > UNREADABLE_STALE_MS ? 'the lock file is unreadable and old' : null;
  if (h.host === here.host && h.pidns === here.pidns && !pidAlive(h.pid)) return `pid ${h.pid} is not running on this host`;
  return null;
}

/** Removes a stale lock if it is still the one we saw; true when the caller should retry at once. */
function breakStale(file: string, seen: Seen): boolean {
  const id = createHash('sha256').update(`${seen.ino}\0${seen.mtimeMs}\0${seen.raw}`).digest('hex').slice(0, 16);
  const broken = `${file}.broken-${id}`;
  try {
    linkSync(file, broken);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOENT: the lock went away; EEXIST: another process is taking this stale lock over.
    if (code === 'ENOENT' || code === 'EEXIST') return code === 'ENOENT';
    return false; // no hard links here: the stale lock is reported when the wait ends
  }
  try {
    const st = statSync(broken);
    if (st.ino !== seen.ino || readFileSync(broken, 'utf8') !== seen.raw) return true; // we linked a newer lock: leave it
    unlinkSync(file);
    return true;
  } finally {
    try {
      unlinkSync(broken);
    } catch {
      // gone already
    }
  }
}

function lockedMessage(file: string, dir: string, seen: Seen, stale: string | null): string {
  const h = seen.holder;
  const local = h !== null && h.host === here.host && h.pidns === here.pidns;
  const where = local ? 'this host' : h && h.host === here.host ? `host ${h.host} (another pid namespace)` : `host ${h?.host}`;
  const who = h
    ? `locked by pid ${h.pid} on ${where} (${h.purpose}) since ${h.since}`
    : `locked, but the lock file is empty or unreadable (${JSON.stringify(seen.raw.slice(0, 80))})`;
  const leftovers = readdirSync(dir).filter((n) => n.startsWith(`${LOCK}.broken-`));
  const remove = `rm ${file}${leftovers.map((n) => ` ${join(dir, n)}`).join('')}`;
  if (stale !== null) return `${who}; it is stale (${stale}) but could not be taken over: ${remove}`;
  const check = local
    ? `pid ${h!.pid} is running: wait for it, or if it is not sluice (the pid was reused),`
    : 'if no sluice process on any machine is using this registry (its holder crashed),';
  return `another process is changing this registry: ${who}; ${check} remove the lock: ${remove}`;
}

function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidNamespace(): string | null {
  try {
    return existsSync('/proc/self/ns/pid') ? readlinkSync('/proc/self/ns/pid') : null;
  } catch {
    return null;
  }
}
