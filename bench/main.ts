/**
 * `npm run bench -- [suite ...] [--json]`. Each suite is `bench/<suite>.ts` exporting
 * `run(reporter, args)`. With no suite named, runs them all in order.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Reporter } from './Reporter.js';

export const SUITES = ['ingest', 'kernels', 'features', 'train'] as const;

process.env.EGL_PLATFORM ??= 'surfaceless';
const argv = process.argv.slice(2);
const json = argv.includes('--json');
const named = argv.filter((a) => !a.startsWith('--'));
const suites = named.length ? named : SUITES.filter((s) => existsSync(resolve(import.meta.dirname, `${s}.ts`)));
const reporter = new Reporter(json);
let code = 0;
for (const suite of suites) {
  const file = resolve(import.meta.dirname, `${suite}.ts`);
  if (!existsSync(file)) {
    process.stderr.write(`unknown bench suite "${suite}"; available: ${SUITES.filter((s) => existsSync(resolve(import.meta.dirname, `${s}.ts`))).join(', ')}\n`);
    code = 2;
    continue;
  }
  const mod = (await import(pathToFileURL(file).href)) as { run(r: Reporter, args: string[]): Promise<void> };
  await mod.run(reporter, argv);
}
process.exit(code);
