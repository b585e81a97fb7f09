import { readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hereTag, pidAlive } from './RegistryLock.js';

/**
 * Staging directories: a run saves into REG/vNNNN.tmp-<pid>-<ms>-<tag> (tag: 8 hex digits naming
 * the machine and pid namespace, RegistryLock's hereTag), which publish renames to a version.
 * Directories named before the tag existed (`vNNNN.tmp-<pid>-<ms>`) are recognised too.
 */
const STAGING = /^v\d{4,}\.tmp-(\d+)-(\d+)(?:-([0-9a-f]{8}))?$/;

/** How often a live run touches its staging directory (its mtime says it is alive). */
export const HEARTBEAT_MS = 60_000;

/** A staging directory untouched for this long, whose owner cannot be checked, is abandoned. */
export const STALE_STAGING_MS = 60 * 60 * 1000;

const beats = new Map<string, NodeJS.Timeout>();

/** The name of a new staging directory for `version`, owned by this process. */
export function stagingName(version: string): string {
  return `${version}.tmp-${process.pid}-${Date.now()}-${hereTag}`;
}

export function isStaging(name: string): boolean {
  return STAGING.test(name);
}

/**
 * Touches the staging directory every HEARTBEAT_MS while this process lives (the timer does not
 * keep the process alive), so another machine sharing the registry sees it is in use.
 */
export function startHeartbeat(dir: string): void {
  const key = resolve(dir);
  stopHeartbeat(key);
  const timer = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(key, now, now);
    } catch {
      stopHeartbeat(key); // published or removed
    }
  }, HEARTBEAT_MS);
  timer.unref();
  beats.set(key, timer);
}

export function stopHeartbeat(dir: string): void {
  const key = resolve(dir);
  clearInterval(beats.get(key));
  beats.delete(key);
}

/**
 * Why a staging directory is abandoned (its run crashed or was killed before publishing), or null
 * while its owner may still be running. The rule never removes the directory of a live process:
 *
 * - made on this machine and pid namespace (its tag is ours): abandoned when its pid no longer
 *   runs, however old or new. A live owner keeps it however long it trains (a stream can train for
 *   days, and a run paused with Ctrl-Z is alive too). A dead pid reused by another process keeps
 *   the directory (a leak, never a loss).
 * - made elsewhere (another machine, or a container with its own pids: its pid means nothing
 *   here): abandoned when untouched for `maxAgeMs` (default an hour). Its owner, while it lives,
 *   touches it every minute (startHeartbeat), so an hour of silence means the owner is gone (or
 *   its event loop was blocked, or the machine asleep, for an hour).
 * - named before the tag and heartbeats existed: no heartbeat to trust, so abandoned only when
 *   both its pid does not run here and it is older than `maxAgeMs`.
 */
export function abandoned(name: string, mtimeMs: number, maxAgeMs: number, now = Date.now()): string | null {
  const m = STAGING.exec(name);
  if (!m) return null;
  const pid = Number(m[1]),
    tag = m[3];
  const age = now - mtimeMs;
  if (tag === hereTag) return pidAlive(pid) ? null : `pid ${pid} is not running`;
  if (tag !== undefined) return age > maxAgeMs ? `made on another host, untouched for ${Math.round(age / 60_000)} min` : null;
  return !pidAlive(pid) && age > maxAgeMs ? `pid ${pid} is not running and it is ${Math.round(age / 60_000)} min old` : null;
}

/**
 * Removes the abandoned staging directories of a registry (but never `keep`, the one being
 * published); returns their names. A directory that cannot be removed (permissions, a race with
 * another sweeper) is skipped: cleaning up must never fail a publish.
 */
export function sweepStaging(dir: string, maxAgeMs: number, keep: string | null = null): string[] {
  const removed: string[] = [];
  const kept = keep === null ? null : resolve(keep);
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!STAGING.test(name)) continue;
    const path = join(dir, name);
    if (path === kept || resolve(path) === kept) continue;
    try {
      const st = statSync(path);
      if (!st.isDirectory() || abandoned(name, st.mtimeMs, maxAgeMs, now) === null) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // gone already, or not ours to remove: leave it
    }
  }
  return removed;
}
