import fs, { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fsyncDir, fsyncFile, writeFileAtomic } from '../../src/core/index.js';

/**
 * Runs fn with fs.openSync, fs.fsyncSync and fs.renameSync recording what they do (the path
 * behind each fsync'd descriptor), in order. syncBuiltinESMExports makes the ES module bindings
 * (the `import { fsyncSync } from 'node:fs'` in src) follow the patched functions.
 */
function recordFs(fn: () => void, fsyncError?: (path: string) => NodeJS.ErrnoException | null): string[] {
  const { openSync, fsyncSync, renameSync } = fs;
  const paths = new Map<number, string>();
  const log: string[] = [];
  fs.openSync = ((path: fs.PathLike, ...rest: unknown[]) => {
    const fd = (openSync as (...a: unknown[]) => number)(path, ...rest);
    paths.set(fd, String(path));
    return fd;
  }) as typeof fs.openSync;
  fs.fsyncSync = (fd: number) => {
    const path = paths.get(fd) ?? `fd ${fd}`;
    log.push(`fsync ${path}`);
    const e = fsyncError?.(path);
    if (e) throw e;
    fsyncSync(fd);
  };
  fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    log.push(`rename ${String(from)} -> ${String(to)}`);
    renameSync(from, to);
  };
  syncBuiltinESMExports();
  try {
    fn();
  } finally {
    Object.assign(fs, { openSync, fsyncSync, renameSync });
    syncBuiltinESMExports();
  }
  return log;
}

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

test('writeFileAtomic flushes the temporary file, renames it over the path, then flushes the directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-atomic-'));
  const path = join(dir, 'a.json');
  writeFileSync(path, 'old');
  const log = recordFs(() => writeFileAtomic(path, 'new'));
  assert.is(readFileSync(path, 'utf8'), 'new');
  assert.equal(readdirSync(dir), ['a.json'], 'no temporary file is left');
  assert.is(log.length, 3, log.join('\n'));
  const tmp = /^fsync (.+\.tmp)$/.exec(log[0]!)?.[1];
  assert.ok(tmp?.startsWith(`${path}.${process.pid}.`), log[0]);
  assert.is(log[1], `rename ${tmp} -> ${path}`);
  assert.is(log[2], `fsync ${dir}`);
});

test('writeFileAtomic removes its temporary file when the rename fails, and throws', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-atomic-'));
  // A non-empty directory where the file should go: the rename fails.
  mkdirSync(join(dir, 'taken', 'inside'), { recursive: true });
  assert.throws(() => writeFileAtomic(join(dir, 'taken'), 'x'), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
  assert.equal(readdirSync(dir), ['taken']);
});

test('fsyncDir tolerates a directory flush the platform refuses (EINVAL, EPERM, EISDIR) and throws any other error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-atomic-'));
  for (const code of ['EINVAL', 'EPERM', 'EISDIR']) {
    const log = recordFs(
      () => fsyncDir(dir),
      () => errno(code),
    );
    assert.equal(log, [`fsync ${dir}`], code);
  }
  assert.throws(
    () =>
      recordFs(
        () => fsyncDir(dir),
        () => errno('EIO'),
      ),
    /EIO/,
  );
  // A file's flush is never excused.
  writeFileSync(join(dir, 'f'), 'x');
  assert.throws(
    () =>
      recordFs(
        () => fsyncFile(join(dir, 'f')),
        () => errno('EINVAL'),
      ),
    /EINVAL/,
  );
  assert.throws(() => fsyncDir(join(dir, 'missing')), /ENOENT/);
  // writeFileAtomic still writes where the directory cannot be flushed.
  recordFs(
    () => writeFileAtomic(join(dir, 'g'), 'y'),
    (p) => (p === dir ? errno('EINVAL') : null),
  );
  assert.is(readFileSync(join(dir, 'g'), 'utf8'), 'y');
});

test.run();
