import fs, { mkdirSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';

/** Writes a directory as `train --save` does (pipeline.json, report.json), with made-up contents. */
export function writeSaved(dir: string, o: { auc: number; rows: number; tag?: string }): string {
  mkdirSync(dir, { recursive: true });
  const report = { rows: { read: o.rows, trained: o.rows }, metrics: { rocAuc: o.auc } };
  const lineage = { command: 'train', args: [o.tag ?? 'a.csv'] };
  writeFileSync(join(dir, 'pipeline.json'), JSON.stringify({ version: 1, task: 'binary', lineage, input: { types: { x: 'number' } }, report }));
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
  return dir;
}

/**
 * Runs fn with fs.openSync, fs.fsyncSync and fs.renameSync recording, in order, each fsync (with
 * the path behind its descriptor) and each rename. syncBuiltinESMExports makes the ES module
 * bindings in src (`import { fsyncSync } from 'node:fs'`) follow the patched functions.
 */
export function recordFs<T>(fn: () => T): { result: T; log: string[] } {
  const { openSync, fsyncSync, renameSync } = fs;
  const paths = new Map<number, string>();
  const log: string[] = [];
  fs.openSync = ((path: fs.PathLike, ...rest: unknown[]) => {
    const fd = (openSync as (...a: unknown[]) => number)(path, ...rest);
    paths.set(fd, String(path));
    return fd;
  }) as typeof fs.openSync;
  fs.fsyncSync = (fd: number) => {
    log.push(`fsync ${paths.get(fd) ?? `fd ${fd}`}`);
    fsyncSync(fd);
  };
  fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    log.push(`rename ${String(from)} -> ${String(to)}`);
    renameSync(from, to);
  };
  syncBuiltinESMExports();
  try {
    return { result: fn(), log };
  } finally {
    Object.assign(fs, { openSync, fsyncSync, renameSync });
    syncBuiltinESMExports();
  }
}
