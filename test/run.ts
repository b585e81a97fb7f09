/**
 * Test runner: loads every `*.test.ts` under test/ (or those whose path contains one of the
 * arguments), runs them with uvu, and ends with `N passed, N failed, N skipped`.
 * Exits non-zero when a test fails, when no test ran, or when one file outruns its time limit.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// A child process (SLUICE_TEST_RESULT set) gets one exact file; people filter by substring.
const files = walk(root).filter((f) => filters.length === 0 || filters.some((x) => process.env.SLUICE_TEST_RESULT ? relative(root, f) === x : relative(root, f).includes(x)));


// Each file runs in its own process, so a native crash (Dawn aborting, a segfault in a native
// module) costs one file, not the whole run. A file whose process dies from a signal is retried
// once and the crash is reported; a second crash counts as a failure. Assertion failures are
// never retried.
const resultFile = process.env.SLUICE_TEST_RESULT;
if (resultFile === undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-test-'));
  let passed = 0, failed = 0, skipped = 0;
  const failing: string[] = [];
  const started = performance.now();
  for (const [i, file] of files.entries()) {
    const name = relative(root, file);
    let result: { passed: number; total: number; skipped: number } | null = null;
    for (let attempt = 1; attempt <= 2 && result === null; attempt++) {
      const out = join(dir, `${i}-${attempt}.json`);
      const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, name], {
        stdio: 'inherit', env: { ...process.env, SLUICE_TEST_RESULT: out }, timeout: fileTimeoutMs + 30_000,
      });
      try { result = JSON.parse(readFileSync(out, 'utf8')); } catch { result = null; }
      if (result === null) {
        const why = r.signal ? `killed by ${r.signal}` : `exited ${r.status} without a result`;
        process.stdout.write(`! ${name}: process ${why}${attempt === 1 && r.signal ? '; retrying once' : ''}\n`);
        if (!r.signal) break;
      }
    }
    if (result === null) result = { passed: 0, total: 1, skipped: 0 };
    passed += result.passed; failed += result.total - result.passed; skipped += result.skipped;
    if (result.passed < result.total) failing.push(name);
  }
  rmSync(dir, { recursive: true, force: true });
  const total = passed + failed;
  process.stdout.write(`\n${files.length} files, ${((performance.now() - started) / 1000).toFixed(1)}s${failing.length ? '; failing: ' + failing.join(', ') : ''}\n`);
  if (total === 0) process.stdout.write('no test ran\n');
  process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  process.exit(failed > 0 || total === 0 ? 1 : 0);
}

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

writeFileSync(resultFile!, JSON.stringify({ passed, total, skipped }));
// Exit explicitly: a WebGPU instance or socket left open by a failed test must not hang CI.
process.exit(passed < total || total === 0 ? 1 : 0);
