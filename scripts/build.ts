// `npm run build` (and `npm pack`, through prepack): the package's dist/, run by plain Node.
//
//   dist/index.js, internal.js    the public entries ('sluice', 'sluice/internal')
//   dist/cli.js                   the `sluice` command (bin/sluice.js runs it in the package)
//   dist/chunk-*.js               code the entries share (esbuild code splitting)
//   dist/csvWorker.mjs            fromCsv's parse thread: one file, its dependencies inlined
//   dist/dashboardWorker.mjs      the dashboard's render thread (+ its renderer chunk)
//   dist/gemmWorker.mjs           the GEMM pool's threads
//   dist/arfWorker.mjs            the Adaptive Random Forest's threads (workers > 0)
//   dist/wgsl/, batched_linear.wgsl, wasm/   files the code reads beside itself
//   dist/types/                   declarations (tsc -p tsconfig.build.json)
//
// Every output sits in dist/ itself, not in folders mirroring src/: code that locates a file
// relative to itself (new URL('./x', import.meta.url)) lands in an entry or in a chunk, and only a
// flat layout gives them all the same folder. The threads' entries take the names of the files
// the sources start through tsx (csvWorker.mjs, dashboardWorker.mjs, gemmWorker.mjs, arfWorker.mjs), so the code
// that starts a thread is the same from the sources and from the package.
//
// Dependencies stay imports (the user's install provides them, once), except in csvWorker.mjs:
// a parse thread starts in ~0.08 s with rxjs and apache-arrow inlined and tree-shaken, against
// ~0.25 s importing them (measured here, 5 starts each), and that start-up decides which files
// are worth a thread (fromCsv's parseThread: 'auto'). That bundle takes rxjs's ES modules (its
// "node" export is CommonJS, which esbuild cannot tree-shake) and counts src/ as free of
// import-time side effects, so core's index brings only what the thread uses: no apache-arrow
// (batchFromArrow), 885 -> 101 KB, its first batch ~20 ms sooner (measured here, interleaved).
//
// The build fails when a bundle imports a package that package.json does not list in
// "dependencies", or when a file the code names beside itself is missing from dist/.

import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { wasmModules } from '../src/kernels/cpu/index.js';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
// Built aside and moved in at the end, so a failed build leaves the previous dist/ whole.
const out = join(root, `dist.tmp-${process.pid}`);

/** Thread entries: the file each becomes in dist/, the source it is built from. */
const WORKERS = {
  'csvWorker.mjs': 'src/io/csv/csvWorkerEntry.ts',
  'dashboardWorker.mjs': 'src/tui/dashboardWorkerEntry.ts',
  'gemmWorker.mjs': 'src/kernels/cpu/gemmWorker.mjs',
  'arfWorker.mjs': 'src/trees/arfWorkerEntry.ts',
} as const;

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  outdir: out,
  tsconfig: join(root, 'tsconfig.json'),
  metafile: true,
  logLevel: 'warning',
};

/**
 * Marks the modules of src/core and src/io (all the parse thread's own code) as free of
 * import-time side effects (what package.json's "sideEffects": false says of a package): a module
 * none of whose exports is used is left out, with what only it imports. True of those rooms: their
 * modules define and export, none registers anything when loaded, and nothing is imported for its
 * effects alone (no bare `import './x.js'`). (features/ is not: its transforms register themselves.)
 */
const srcWithoutSideEffects: Plugin = {
  name: 'src-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === srcWithoutSideEffects) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: srcWithoutSideEffects });
      if (r.errors.length > 0) return { errors: r.errors };
      const own = ['core', 'io'].some((room) => r.path.startsWith(join(root, 'src', room) + sep));
      return { path: r.path, namespace: r.namespace, external: r.external, suffix: r.suffix, sideEffects: own ? false : r.sideEffects };
    });
  },
};

const started = performance.now();
rmSync(out, { recursive: true, force: true });
try {
  const metas: Metafile[] = [];
  const entries: Record<string, string> = { index: 'src/index.ts', cli: 'src/cli/main.ts' };
  if (existsSync(join(root, 'src/internal.ts'))) entries.internal = 'src/internal.ts';
  metas.push((await build({ ...common, entryPoints: entries, splitting: true, packages: 'external' })).metafile!);
  metas.push(
    (
      await build({
        ...common,
        entryPoints: { csvWorker: WORKERS['csvWorker.mjs'] },
        outExtension: { '.js': '.mjs' },
        alias: { rxjs: './node_modules/rxjs/dist/esm/index.js' },
        plugins: [srcWithoutSideEffects],
      })
    ).metafile!,
  );
  // Split, so that the renderer (ink, React) loads by a dynamic import after the entry has set
  // the thread's nice value and NODE_ENV: a bundle would hoist their imports above both.
  metas.push(
    (
      await build({
        ...common,
        entryPoints: { dashboardWorker: WORKERS['dashboardWorker.mjs'] },
        outExtension: { '.js': '.mjs' },
        splitting: true,
        chunkNames: 'dashboardWorker-[hash]',
        packages: 'external',
      })
    ).metafile!,
  );
  metas.push(
    (
      await build({
        ...common,
        entryPoints: { gemmWorker: WORKERS['gemmWorker.mjs'] },
        outExtension: { '.js': '.mjs' },
        packages: 'external',
      })
    ).metafile!,
  );
  metas.push(
    (
      await build({
        ...common,
        entryPoints: { arfWorker: WORKERS['arfWorker.mjs'] },
        outExtension: { '.js': '.mjs' },
        packages: 'external',
      })
    ).metafile!,
  );

  checkDependencies(metas);
  copyBesideFiles(metas);
  for (const name of wasmModules.NAMES) {
    for (const shared of [true, false]) {
      mkdirSync(join(out, 'wasm'), { recursive: true });
      writeFileSync(join(out, 'wasm', wasmModules.file(name, shared)), wasmModules.emit(name, shared));
    }
  }

  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(out, 'types')],
    { cwd: root, stdio: 'inherit' },
  );
  if (tsc.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${tsc.status ?? tsc.signal})`);

  rmSync(dist, { recursive: true, force: true });
  renameSync(out, dist);
  console.log(`dist/ built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  rmSync(out, { recursive: true, force: true });
  console.error(`build failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}

/** Every package a bundle imports is in package.json's dependencies (a dev dependency is not installed for users). */
function checkDependencies(metas: Metafile[]): void {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const missing = new Set<string>();
  for (const meta of metas) {
    for (const [file, o] of Object.entries(meta.outputs)) {
      for (const i of o.imports) {
        if (!i.external || isBuiltin(i.path) || i.path.startsWith('.')) continue;
        const name = i.path
          .split('/')
          .slice(0, i.path.startsWith('@') ? 2 : 1)
          .join('/');
        if (!(name in (pkg.dependencies ?? {}))) missing.add(`${name} (imported by ${relative(out, join(root, file))})`);
      }
    }
  }
  if (missing.size) throw new Error(`imported at run time but not in package.json "dependencies": ${[...missing].join(', ')}`);
}

/**
 * Files the bundled sources name beside themselves — `new URL('./x', import.meta.url)`,
 * `join(import.meta.dirname, 'x')` — are copied from beside the source into dist/, unless the
 * build writes them (the thread entries); then every one must exist there.
 */
function copyBesideFiles(metas: Metafile[]): void {
  const refs = /new URL\(\s*'(\.\/[^']+)'\s*,\s*import\.meta\.url\s*\)|import\.meta\.dirname\s*,\s*'(\.\/[^']+|[^'./][^']*)'/g;
  const missing: string[] = [];
  for (const meta of metas) {
    for (const input of Object.keys(meta.inputs)) {
      if (!input.startsWith('src/')) continue;
      for (const m of readFileSync(join(root, input), 'utf8').matchAll(refs)) {
        const name = (m[1] ?? m[2])!.replace(/^\.\//, '');
        const target = join(out, name);
        if (!(name in WORKERS)) {
          const from = join(root, dirname(input), name);
          if (existsSync(from)) {
            mkdirSync(dirname(target), { recursive: true });
            if (statSync(from).isDirectory()) cpSync(from, target, { recursive: true });
            else copyFileSync(from, target);
          }
        }
        if (!existsSync(target)) missing.push(`${name} (named by ${input})`);
      }
    }
  }
  if (missing.length) throw new Error(`files the code reads beside itself are missing from dist/: ${missing.join(', ')}`);
}
