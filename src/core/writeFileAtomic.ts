import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

let serial = 0;

/**
 * Writes to a temporary sibling, flushes it to disk, renames it over `path`, then flushes the
 * directory: readers see the old file or the new, never half, and once this returns the new file
 * survives a crash or a power cut (the rename is on disk, not only in the page cache). Two fsyncs
 * per file: meant for files written once per run or per user action, not once per row.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.${serial++}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(path));
}

/** Flushes a file's bytes to disk (a file written by other means before it is sealed or renamed). */
export function fsyncFile(path: string): void {
  // r+: Windows refuses to flush a handle opened read-only.
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Flushes a directory's entries to disk, so a file created or renamed in it stays after a crash.
 * Not every platform can: Windows cannot open a directory (EISDIR) or flush one (EPERM), and some
 * filesystems refuse fsync on a directory (EINVAL, ENOTSUP), and a directory we may write in but
 * not list cannot be opened (EACCES). There the rename is as durable as the filesystem makes it by
 * itself, and this is a no-op; any other error is thrown.
 */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (e) {
    if (tolerated(e)) return;
    throw e;
  }
  try {
    fsyncSync(fd);
  } catch (e) {
    if (!tolerated(e)) throw e;
  } finally {
    closeSync(fd);
  }
}

function tolerated(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EINVAL' || code === 'EPERM' || code === 'EISDIR' || code === 'ENOTSUP' || code === 'EACCES';
}
