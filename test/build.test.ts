import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { wasmModules } from '../src/kernels/cpu/index.js';
import { softwareBackend } from './kernels/softwareBackend.js';

/**
 * The package as users get it (issue #11 item 3): `npm run build`, `npm pack`, then an install of
 * the tarball into an empty project, where sluice must run on plain Node — no tsx, no esbuild, no
 * TypeScript — as a library (its threads included), as the `sluice` command and for tsc.
 */
const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'sluice-pack-'));
const project = join(work, 'project');
// No loader or flag of this process (tsx) may reach the children.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('npm_')));
let packed: string[] = [];
// Whether this machine has the software WebGPU adapter (with CI set, the test below fails without it).
const gpu = await softwareBackend();
await gpu.dispose();

function run(cmd: string, args: string[], cwd: string, timeoutS: number): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: timeoutS * 1000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  return r;
}
function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.is(r.status, 0, `${what} exited ${r.status ?? r.signal}:\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
  return r.stdout;
}

test.before(() => {
  ok(run('npm', ['run', 'build'], root, 180), 'npm run build');
  // The build just ran; prepack would run it again.
  const out = ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root, 60), 'npm pack');
  const [info] = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packed = info!.files.map((f) => f.path);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'empty-project', private: true, type: 'module' }));
  // --omit=optional: gpu.js's optional headless GL compiles native code; this repository's own
  // install runs without it as well. --prefer-offline: npm's cache holds what `npm ci` fetched.
  ok(
    run('npm', ['install', join(work, info!.filename), '--prefer-offline', '--omit=optional', '--no-audit', '--no-fund'], project, 240),
    'npm install <tarball>',
  );
});

test.after(() => {
  rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the built entries, the thread entries, the wasm and the types, and no TypeScript source', () => {
  for (const f of [
    'dist/index.js',
    'dist/internal.js',
    'dist/cli.js',
    'dist/csvWorker.mjs',
    'dist/dashboardWorker.mjs',
    'dist/gemmWorker.mjs',
    'dist/arfWorker.mjs',
    'dist/wgsl/gemm.wgsl',
    'dist/batched_linear.wgsl',
    'dist/wasm/gemm.shared.wasm',
    'dist/types/index.d.ts',
    'dist/types/internal.d.ts',
    'bin/sluice.js',
    'package.json',
  ]) {
    assert.ok(packed.includes(f), `${f} is not in the tarball`);
  }
  assert.equal(
    packed.filter((f) => f.startsWith('src/') || f.startsWith('test/') || (/\.tsx?$/.test(f) && !f.endsWith('.d.ts'))),
    [],
  );
});

test('the built wasm modules are byte for byte what the emitters give', () => {
  for (const name of wasmModules.NAMES) {
    for (const shared of [true, false]) {
      const built = readFileSync(join(root, 'dist/wasm', wasmModules.file(name, shared)));
      assert.ok(Buffer.from(wasmModules.emit(name, shared)).equals(built), `dist/wasm/${wasmModules.file(name, shared)} differs from the emitter's bytes`);
    }
  }
});

test('the installed package brings no tsx, esbuild or TypeScript', () => {
  assert.ok(existsSync(join(project, 'node_modules/sluice/dist/index.js')));
  const req = createRequire(join(project, 'package.json'));
  for (const dev of ['tsx', 'esbuild', 'typescript']) {
    assert.throws(() => req.resolve(`${dev}/package.json`), /Cannot find module/, `${dev} resolves from the project`);
  }
});

test('import { fromCsv, progressive } from sluice runs a pipeline on plain Node: parse thread, GEMM threads, dashboard thread', () => {
  writeFileSync(join(project, 'data.csv'), `x,z,y\n${Array.from({ length: 400 }, (_, i) => `${i % 7},${(i * 13) % 11},${i % 7 > 3 ? 1 : 0}`).join('\n')}\n`);
  writeFileSync(
    join(project, 'main.mjs'),
    `
    import { closeSync, openSync, readFileSync } from 'node:fs';
    import { fromCsv, progressive, vectorize, dashboard } from 'sluice';
    import { CpuBackend } from 'sluice/internal';
    const fd = openSync('frames.txt', 'w');
    const board = dashboard({ fd, width: 80, height: 24, nice: 0 });
    await board.ready;
    const report = await new Promise((done, fail) => {
      let last;
      fromCsv('data.csv', { parseThread: true }).pipe(
        vectorize({ target: 'y' }),
        progressive({ kind: 'logistic', backend: 'cpu' }, { metrics: ['accuracy'] }),
      ).subscribe({ next: (r) => { last = r; }, error: fail, complete: () => done(last) });
    });
    await board.stop();
    closeSync(fd);
    const be = new CpuBackend({ threads: 2, gemmThreadMin: 0 });
    const n = 300, ones = new Float32Array(n * n).fill(1);
    const C = be.upload(new Float32Array(n * n), [n, n]);
    be.gemm(be.upload(ones, [n, n]), be.upload(ones, [n, n]), C, { m: n, n, k: n });
    const c = be.data(C);
    await be.dispose();
    console.log(JSON.stringify({ rows: report.rows, accuracy: report.metrics.accuracy, adapter: be.adapter, c: [c[0], c[n * n - 1]],
      frames: board.output, drawn: readFileSync('frames.txt', 'utf8').includes('data.csv'),
      tsx: Object.keys(process.env).filter((k) => k.startsWith('TSX')), loaders: process.execArgv }));
  `,
  );
  const out = JSON.parse(ok(run(process.execPath, ['main.mjs'], project, 60), 'node main.mjs')) as {
    rows: number;
    accuracy: number;
    adapter: string;
    c: number[];
    frames: { bytes: number } | null;
    drawn: boolean;
    loaders: string[];
  };
  assert.is(out.rows, 400);
  assert.ok(out.accuracy >= 0 && out.accuracy <= 1, `accuracy ${out.accuracy}`);
  assert.match(out.adapter, /WebAssembly SIMD GEMM, 2 threads/);
  assert.equal(out.c, [300, 300]);
  assert.ok(out.frames !== null && out.frames.bytes > 0 && out.drawn, 'the dashboard thread drew no frame');
  assert.equal(out.loaders, []);
});

gpu.test(test, 'the installed package runs the WebGPU backend on its WGSL from dist/ (software adapter)', () => {
  writeFileSync(
    join(project, 'gpu.mjs'),
    `
    import { createBackend } from 'sluice';
    const be = await createBackend('webgpu', { software: true });
    const n = 20, ones = new Float32Array(n * n).fill(1);
    const C = be.upload(new Float32Array(n * n), [n, n]);
    be.gemm(be.upload(ones, [n, n]), be.upload(ones, [n, n]), C, { m: n, n, k: n });
    const c = await be.read(C);
    await be.dispose();
    console.log(JSON.stringify([c[0], c[n * n - 1]]));
  `,
  );
  const out = ok(run(process.execPath, ['gpu.mjs'], project, 60), 'node gpu.mjs');
  assert.equal(JSON.parse(out.trim().split('\n').pop()!), [20, 20]);
});

test('the installed sluice command runs from dist: --help, and bench says it needs a clone', () => {
  const bin = join(project, 'node_modules/.bin/sluice');
  assert.match(ok(run(bin, ['--help'], project, 30), 'sluice --help'), /^Usage: sluice <command>/);
  const bench = run(bin, ['bench'], project, 30);
  assert.is(bench.status, 2, bench.stderr);
  assert.match(bench.stderr, /sluice bench runs the suites of bench\/ in a clone/);
});

test('a TypeScript project type-checks against the declarations', () => {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      files: ['use.ts'],
    }),
  );
  writeFileSync(
    join(project, 'use.ts'),
    [
      "import { fromCsv, progressive, vectorize, type FromCsvOptions } from 'sluice';",
      "import { CpuBackend } from 'sluice/internal';",
      'const options: FromCsvOptions = { parseThread: true, capacity: 4 };',
      "export const rows = fromCsv('data.csv', options).pipe(vectorize({ target: 'y' }), progressive({ kind: 'logistic' }, { metrics: ['accuracy'] }));",
      'export const be = new CpuBackend({ threads: 1 });',
      '// @ts-expect-error a path is a string (were the declarations missing, everything would be any and this line an error)',
      'fromCsv(42);',
    ].join('\n'),
  );
  ok(run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], project, 60), 'tsc');
});

test.run();
