/**
 * Test runner: loads every `*.test.ts` under test/ (or those whose path contains one of the
 * arguments), runs them with uvu, and ends with `N passed, N failed, N skipped`.
 * Exits non-zero when a test fails, when no test ran, or when one file outruns its time limit.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Dawn's OpenGL ES backend needs a surfaceless EGL platform when there is no display.
process.env.EGL_PLATFORM ??= 'surfaceless';

const root = resolve(import.meta.dirname);
const filters = process.argv.slice(2);
const fileTimeoutMs = Number(process.env.SLUICE_TEST_FILE_TIMEOUT_S ?? 600) * 1000;

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : name.endsWith('.test.ts') || name.endsWith('.test.tsx') ? [p] : [];
  });
}

const files = walk(root).filter((f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x)));

type Run = () => Promise<[string, number, number, number]>;
const g = globalThis as unknown as { UVU_DEFER: number; UVU_INDEX: number; UVU_QUEUE: Array<Array<string | null | Run>> };
g.UVU_DEFER = 1;
g.UVU_QUEUE = [];

let passed = 0, total = 0, skipped = 0;
const failedFiles: string[] = [];
const started = performance.now();
for (const [idx, file] of files.entries()) {
  const name = relative(root, file);
  g.UVU_INDEX = idx;
  g.UVU_QUEUE[idx] = [name];
  try {
    await import(pathToFileURL(file).href);
  } catch (err) {
    // A file that cannot load counts as one failed test, and the run goes on.
    process.stdout.write(`\n  FAIL ${name}: cannot load: ${(err as Error).stack ?? String(err)}\n`);
    total += 1;
    failedFiles.push(name);
    process.stdout.write(`✘ ${name}  0/1  load error\n`);
    continue;
  }
  const group = g.UVU_QUEUE[idx]!;
  group.shift();
  const t0 = performance.now();
  let fileTotal = 0, filePassed = 0;
  for (const run of group as Run[]) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${fileTimeoutMs / 1000}s`)), fileTimeoutMs - (performance.now() - t0)); });
    try {
      const [errs, ran, skip, max] = await Promise.race([run(), timeout]);
      fileTotal += max; filePassed += ran; skipped += skip;
      if (typeof errs === 'string' && errs) process.stdout.write('\n' + errs + '\n');
    } catch (err) {
      fileTotal += 1;
      process.stdout.write(`\n  FAIL ${name}: ${(err as Error).message}\n`);
      clearTimeout(timer);
      break;
    }
    clearTimeout(timer);
  }
  total += fileTotal; passed += filePassed;
  if (filePassed < fileTotal) failedFiles.push(name);
  process.stdout.write(`${filePassed < fileTotal ? '✘' : '✔'} ${name}  ${filePassed}/${fileTotal}  ${((performance.now() - t0) / 1000).toFixed(1)}s\n`);
}

const failed = total - passed;
process.stdout.write(`\n${files.length} files, ${((performance.now() - started) / 1000).toFixed(1)}s${failedFiles.length ? '; failing: ' + failedFiles.join(', ') : ''}\n`);
if (total === 0) process.stdout.write('no test ran\n');
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
// Exit explicitly: a WebGPU instance or socket left open by a failed test must not hang CI.
process.exit(failed > 0 || total === 0 ? 1 : 0);
