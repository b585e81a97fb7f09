import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Folders whose sources make up the parse thread (csvWorkerMain's imports). */
const SOURCES = ['../../core', '../input', '.'];

let script: Promise<URL> | null = null;

/**
 * The file the CSV parse thread runs. Loading the parser through tsx in a fresh thread costs
 * ~0.65 s of CPU and ~1 s of wall time here (tsx's hooks, then rxjs and apache-arrow), which is
 * about what the overlap saves on a 3M-row file. So the thread runs one plain-JavaScript bundle of
 * csvWorkerEntry.ts instead, made with esbuild (tsx's own compiler) on first use and cached in
 * the temp directory under a hash of the sources (~0.1 s to start, 80 ms of CPU). The bundle stubs
 * apache-arrow: core's index imports it, the parser never converts Arrow, and loading it is
 * ~0.3 s. Without esbuild, or if the build fails, the tsx entry (csvWorker.mjs) is used.
 * Built once per process; concurrent processes write the cache atomically.
 */
export function csvWorkerScript(): Promise<URL> {
  script ??= build().catch(() => new URL('./csvWorker.mjs', import.meta.url));
  return script;
}

async function build(): Promise<URL> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const esbuild = await import('esbuild');
  const hash = createHash('sha256');
  hash.update(`esbuild ${esbuild.version}\0${process.version}\0`);
  const rxjs = fileURLToPath(import.meta.resolve('rxjs'));
  hash.update(rxjs + '\0');
  for (const rel of SOURCES) {
    const dir = join(here, rel);
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(ts|mjs)$/.test(name)) continue;
      hash.update(name + '\0');
      hash.update(readFileSync(join(dir, name)));
    }
  }
  const dir = join(tmpdir(), 'sluice-csv-worker');
  const out = join(dir, `${hash.digest('hex').slice(0, 24)}.mjs`);
  try {
    if (statSync(out).size > 0) return pathToFileURL(out);
  } catch { /* not built yet */ }
  const r = await esbuild.build({
    entryPoints: [join(here, 'csvWorkerEntry.ts')],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent',
    plugins: [{
      name: 'arrow-stub',
      setup(b) {
        b.onResolve({ filter: /^apache-arrow$/ }, () => ({ path: 'apache-arrow', namespace: 'arrow-stub' }));
        // Only what core evaluates at load time (batchFromArrow's unit table); nothing else runs.
        b.onLoad({ filter: /.*/, namespace: 'arrow-stub' }, () => ({ contents: 'export const TimeUnit = { SECOND: 0, MILLISECOND: 1, MICROSECOND: 2, NANOSECOND: 3 };', loader: 'js' }));
      },
    }],
  });
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, r.outputFiles[0]!.contents);
  renameSync(tmp, out);
  return pathToFileURL(out);
}
