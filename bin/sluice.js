#!/usr/bin/env node
// The `sluice` command. In a clone of the repository (src/ is there) it runs the TypeScript
// sources through tsx, so an edit needs no build and a stale dist/ is never run by mistake; the
// project's tsconfig is named so JSX compiles the same from any working directory. The installed
// package ships only the build (npm run build → dist/), which runs with plain Node.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

process.env.EGL_PLATFORM ??= 'surfaceless';
const source = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../dist/cli.js', import.meta.url);
// A clone installed without its dev dependencies has no tsx: its build, if any, still runs.
const tsx = existsSync(source) ? await import('tsx/esm/api').catch(() => null) : null;
if (tsx) {
  tsx.register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  await import(source.href);
} else if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write('sluice: no build to run (dist/cli.js): run `npm install` to run from the sources, or `npm run build`\n');
  process.exitCode = 1;
}
