import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/**
 * Builds dist/ when its CSV thread bundle is missing or older than a source file, so that the
 * suites parsing on a thread (ingest's csv-thread, train's logistic-e2e) measure the thread as the
 * package starts it (src/io/csv/csvWorker.mjs picks a fresh bundle), not through tsx.
 */
export function ensureBuilt(log: (line: string) => void): void {
  if (isFresh(join(root, 'dist/csvWorker.mjs'), join(root, 'src'))) return;
  log('building dist/ first (npm run build), so the parse thread starts from its bundle');
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

function isFresh(file: string, dir: string): boolean {
  let built: number;
  try {
    built = statSync(file).mtimeMs;
  } catch {
    return false;
  }
  const newer = (d: string): boolean =>
    readdirSync(d, { withFileTypes: true }).some((e) => (e.isDirectory() ? newer(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs > built));
  return !newer(dir);
}
