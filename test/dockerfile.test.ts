import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

/**
 * The Dockerfile (issue #15 item 6), checked without a container engine (this machine has none).
 *
 * The build is played here, instruction by instruction, on a fresh `git clone` of HEAD (what
 * `docker build` of a clone sees), each stage in a folder of its own standing for its filesystem:
 * COPY copies from the clone, less what .dockerignore excludes (so a file the build needs and the
 * Dockerfile forgets fails the build here too), or from an earlier stage's folder; WORKDIR and ENV
 * apply; RUN runs the command itself with `sh -c`. Then the runtime stage's ENTRYPOINT and CMD run
 * in its folder, with its ENV, and `train` and `predict` run there on a small file.
 *
 * The compromises, so that the test takes well under a minute:
 * - npm runs with prefer-offline (npm_config_prefer_offline, not an edit of the command): the
 *   packages come from npm's cache, which the CI's own `npm ci` filled from the same lockfile, and
 *   `npm ci` still fails on a lockfile out of step with package.json. The image's npm is 10 (from
 *   node:20-slim), the one here may be newer.
 * - Only the RUN commands of stages before the last, which must be npm commands, are played. The
 *   runtime stage's other RUN steps need root and the network (apt-get, install -o node): they are
 *   skipped, and checked only for the cleanup of apt's lists and the Mesa packages CI installs.
 * - The image's Node, its users and their file permissions, and EXPOSE are not checked beyond
 *   their text; `docker build` itself is left to a machine that has Docker.
 */
const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'sluice-docker-'));
const context = join(work, 'context');
// No loader or flag of this process (tsx) may reach the children, nor npm's settings from `npm test`
// (but the cache it uses: that is where `npm ci` finds the packages).
const env: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && k !== 'NODE_OPTIONS' && (!k.startsWith('npm_') || k === 'npm_config_cache')),
  ),
  npm_config_prefer_offline: 'true',
  npm_config_update_notifier: 'false',
} as Record<string, string>;

interface Instruction {
  op: string;
  args: string;
  line: number;
}
interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** The stages of a Dockerfile: comments and blank lines dropped, continuation lines joined. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    while (line.endsWith('\\')) {
      line = line.slice(0, -1);
      // Comment lines inside a continued instruction are dropped, as Docker does.
      while (++i < lines.length && lines[i]!.trim().startsWith('#'));
      if (i >= lines.length) break;
      line += ` ${lines[i]!.trim()}`;
    }
    const m = /^(\S+)\s*(.*)$/s.exec(line)!;
    const ins: Instruction = { op: m[1]!.toUpperCase(), args: m[2]!.replace(/\s+/g, ' ').trim(), line: start };
    if (ins.op === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!from) throw new Error(`Dockerfile:${start}: FROM ${ins.args}: expected an image and an optional AS name`);
      stages.push({ image: from[1]!, name: from[2], instructions: [] });
    } else {
      if (stages.length === 0 && ins.op !== 'ARG') throw new Error(`Dockerfile:${start}: ${ins.op} before the first FROM`);
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return stages;
}

/**
 * Whether .dockerignore excludes a path of the context, as Docker reads it (moby's patternmatcher):
 * patterns are relative to the context root (a leading / is dropped), `*` and `?` stop at /, `**`
 * crosses folders, a pattern that matches a folder excludes what is in it, `!` lets a path back in,
 * and the last pattern that matches decides.
 */
export function dockerignore(text: string): (path: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!');
      const p = posix.normalize((negated ? l.slice(1) : l).trim().replace(/^\/+/, '')).replace(/\/+$/, '');
      if (/[[\]{}]/.test(p)) throw new Error(`.dockerignore: ${l}: character classes are not supported by this test`);
      let re = '';
      for (let i = 0; i < p.length; i++) {
        const c = p[i]!;
        if (c === '*' && p[i + 1] === '*') {
          i++;
          if (p[i + 1] === '/') i++;
          re += i + 1 >= p.length ? '.*' : '(?:.*/)?';
        } else if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else if (c === '\\' && i + 1 < p.length) re += `\\${p[++i]}`;
        else re += c.replace(/[.+^$()|]/g, '\\$&');
      }
      return { negated, re: new RegExp(`^${re}$`) };
    });
  return (path) => {
    const parts = path.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const { negated, re } of patterns) if (prefixes.some((p) => re.test(p))) excluded = !negated;
    return excluded;
  };
}

function run(cmd: string, args: string[], cwd: string, timeoutS: number, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: timeoutS * 1000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  return r;
}
function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.is(r.status, 0, `${what} exited ${r.status ?? r.signal}:\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
  return r.stdout;
}

const dockerfileText = readFileSync(join(root, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfileText);
const runtime = stages.at(-1)!;
const ignored = dockerignore(readFileSync(join(root, '.dockerignore'), 'utf8'));
/** The files of the clone, as `git ls-files` lists them: the repository at HEAD. */
let files: string[] = [];

const flagsOf = (args: string) => args.split(' ').filter((a) => a.startsWith('--'));
const operandsOf = (args: string) => args.split(' ').filter((a) => a !== '' && !a.startsWith('--'));
const fromOf = (args: string) =>
  flagsOf(args)
    .find((f) => f.startsWith('--from='))
    ?.slice('--from='.length);
const all = (op: string, stage = runtime) => stage.instructions.filter((i) => i.op === op);
const jsonArray = (ins: Instruction | undefined): string[] => {
  assert.ok(ins, 'missing instruction');
  const v = JSON.parse(ins.args) as unknown;
  assert.ok(Array.isArray(v) && v.every((x) => typeof x === 'string'), `Dockerfile:${ins.line}: ${ins.op} must be in exec form (a JSON array)`);
  return v as string[];
};

/** The repository's files a COPY source brings (a file, or every file under a folder), less those .dockerignore excludes. */
function contextFiles(src: string): string[] {
  const p = posix.normalize(src).replace(/^\.\//, '').replace(/\/+$/, '');
  if (/[*?[]/.test(p)) throw new Error(`COPY ${src}: wildcards are not supported by this test`);
  if (p === '.' || p === '') return files.filter((f) => !ignored(f));
  return files.filter((f) => (f === p || f.startsWith(`${p}/`)) && !ignored(f));
}

test.before(() => {
  rmSync(context, { recursive: true, force: true });
  ok(run('git', ['clone', '--quiet', root, context], work, 120), 'git clone');
  files = ok(run('git', ['ls-files', '-z'], context, 30), 'git ls-files')
    .split('\0')
    .filter(Boolean);
});

test.after(() => {
  rmSync(work, { recursive: true, force: true });
});

test('the Dockerfile is multi-stage on node:20-slim, and names each earlier stage it copies from', () => {
  assert.ok(stages.length >= 2, `expected a build stage and a runtime stage, got ${stages.length} stage(s)`);
  const names: string[] = [];
  for (const s of stages) {
    assert.ok(s.image === 'node:20-slim' || names.includes(s.image), `FROM ${s.image}: expected node:20-slim or an earlier stage (${names.join(', ')})`);
    for (const c of s.instructions.filter((i) => i.op === 'COPY')) {
      const from = fromOf(c.args);
      if (from !== undefined) assert.ok(names.includes(from), `Dockerfile:${c.line}: COPY --from=${from}: no earlier stage of that name`);
    }
    if (s.name) names.push(s.name);
  }
  assert.is(runtime.image, 'node:20-slim', 'the runtime stage starts again from node:20-slim');
});

test('every COPY from the build context names files of the repository at HEAD that .dockerignore lets through', () => {
  const copies = stages.flatMap((s) => s.instructions.filter((i) => i.op === 'COPY' && fromOf(i.args) === undefined));
  assert.ok(copies.length > 0);
  for (const c of copies) {
    const sources = operandsOf(c.args).slice(0, -1);
    assert.ok(sources.length > 0, `Dockerfile:${c.line}: COPY ${c.args}: expected a source and a destination`);
    for (const src of sources) {
      const p = posix.normalize(src).replace(/\/+$/, '');
      assert.ok(
        files.some((f) => f === p || f.startsWith(`${p}/`)),
        `Dockerfile:${c.line}: COPY ${src}: not in the repository at HEAD`,
      );
      assert.ok(!ignored(p), `Dockerfile:${c.line}: COPY ${src}: excluded by .dockerignore`);
      assert.ok(contextFiles(src).length > 0, `Dockerfile:${c.line}: COPY ${src}: .dockerignore excludes every file under it`);
    }
  }
  // What must never reach the context: dependencies, builds and the repository's history.
  for (const p of ['node_modules/x/index.js', 'dist/index.js', '.git/HEAD', 'examples/node_modules/x.js'])
    assert.ok(ignored(p), `.dockerignore lets ${p} through`);
});

test('the runtime stage runs as node, exposes the server port, and cleans up after apt-get', () => {
  assert.is(all('USER').at(-1)?.args, 'node', 'the runtime stage must end as USER node');
  const [node, entry] = jsonArray(all('ENTRYPOINT').at(-1));
  assert.is(node, 'node');
  assert.ok(entry?.endsWith('bin/sluice.js'), `ENTRYPOINT runs ${entry}, expected bin/sluice.js`);
  jsonArray(all('CMD').at(-1));
  assert.ok(all('EXPOSE').length > 0, 'no EXPOSE for sluice serve');
  // Everything before the runtime stage is played below, so it may only hold what can run here.
  for (const s of stages.slice(0, -1)) {
    for (const r of s.instructions.filter((i) => i.op === 'RUN'))
      assert.match(r.args, /^npm /, `Dockerfile:${r.line}: a build stage's RUN must be an npm command`);
  }
  for (const r of all('RUN').filter((i) => i.args.includes('apt-get'))) {
    assert.ok(r.args.includes('rm -rf /var/lib/apt/lists/*'), `Dockerfile:${r.line}: apt-get without removing /var/lib/apt/lists/*`);
    assert.ok(r.args.includes('--no-install-recommends'), `Dockerfile:${r.line}: apt-get install without --no-install-recommends`);
    // The Mesa packages of Dawn's software adapter: the ones CI installs (.ci/run).
    const ci = /for p in ([^;]+);/.exec(readFileSync(join(root, '.ci/run'), 'utf8'))![1]!.split(' ');
    for (const p of ci.filter((p) => p.startsWith('lib')))
      assert.ok(r.args.split(' ').includes(p), `Dockerfile:${r.line}: apt-get lacks ${p} (.ci/run installs it)`);
  }
});

/** Where each stage's filesystem lies here, and its working directory and environment when the build got to its end. */
interface Played {
  dir: string;
  workdir: string;
  env: Record<string, string>;
}
const played: Played[] = [];
const hostPath = (s: Played, p: string) => join(s.dir, posix.resolve(s.workdir, p));

test("the build plays in a fresh clone: each stage's COPY, WORKDIR, ENV and npm commands", () => {
  for (const [index, stage] of stages.entries()) {
    const s: Played = { dir: join(work, `stage-${index}`), workdir: '/', env: {} };
    mkdirSync(s.dir);
    played.push(s);
    const last = index === stages.length - 1;
    for (const ins of stage.instructions) {
      const where = `Dockerfile:${ins.line}: ${ins.op} ${ins.args}`;
      if (ins.op === 'WORKDIR') {
        s.workdir = posix.resolve(s.workdir, ins.args);
        mkdirSync(hostPath(s, '.'), { recursive: true });
      } else if (ins.op === 'ARG' || ins.op === 'ENV') {
        for (const m of ins.args.matchAll(/(\w+)(?:=(\S*))?/g)) if (m[2] !== undefined || ins.op === 'ENV') s.env[m[1]!] = m[2] ?? '';
      } else if (ins.op === 'COPY') {
        const operands = operandsOf(ins.args);
        const dest = operands.pop()!;
        const toDir = dest.endsWith('/') || operands.length > 1;
        const from = fromOf(ins.args);
        for (const src of operands) {
          if (from === undefined) {
            const p = posix.normalize(src).replace(/\/+$/, '');
            const isDir = files.some((f) => f.startsWith(`${p}/`));
            for (const f of contextFiles(src)) {
              const rel = isDir ? posix.relative(p, f) : toDir ? basename(f) : '';
              const target = rel === '' ? hostPath(s, dest) : join(hostPath(s, dest), rel);
              mkdirSync(dirname(target), { recursive: true });
              copyFileSync(join(context, f), target);
            }
          } else {
            const source = played[stages.findIndex((x) => x.name === from)]!;
            const fromPath = join(source.dir, posix.resolve('/', src));
            assert.ok(existsSync(fromPath), `${where}: ${src} is not in stage ${from} after its commands ran`);
            const target = toDir && !statSync(fromPath).isDirectory() ? join(hostPath(s, dest), basename(src)) : hostPath(s, dest);
            mkdirSync(statSync(fromPath).isDirectory() ? target : dirname(target), { recursive: true });
            // Hard links (-l): the same files as a copy, without writing node_modules' 290 MB again.
            ok(run('cp', ['-al', statSync(fromPath).isDirectory() ? `${fromPath}/.` : fromPath, target], work, 120), where);
          }
        }
      } else if (ins.op === 'RUN') {
        if (last && !ins.args.startsWith('npm ')) continue; // root's system steps (apt-get, install -o node): not played here
        // A command is run on this machine: it must stay inside its stage's folder.
        assert.not.match(ins.args, /(^|[\s=])\//, `${where}: an absolute path; the test runs this command here`);
        ok(run('sh', ['-c', ins.args], hostPath(s, '.'), 300, s.env), where);
      }
    }
  }
});

test('the runtime stage holds the build, the production dependencies only, and no sources', () => {
  const s = played.at(-1);
  assert.ok(s, 'the build did not play');
  const [, entry] = jsonArray(all('ENTRYPOINT').at(-1));
  const app = dirname(dirname(hostPath(s, entry!)));
  assert.ok(readFileSync(join(app, 'bin/sluice.js')).equals(readFileSync(join(context, 'bin/sluice.js'))), 'the ENTRYPOINT is not bin/sluice.js');
  for (const f of ['package.json', 'dist/cli.js', 'dist/index.js', 'dist/csvWorker.mjs', 'dist/wasm', 'docs/cli.md'])
    assert.ok(existsSync(join(app, f)), `${f} is not in the image`);
  // bin/sluice.js runs src/ through tsx where both are there: the image must run dist/.
  for (const f of ['src', 'node_modules/tsx', 'node_modules/typescript', 'node_modules/esbuild'])
    assert.not.ok(existsSync(join(app, f)), `${f} is in the image`);
  const lock = JSON.parse(readFileSync(join(context, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean }>;
  };
  // npm prune --omit=dev --omit=optional: what only dev or optional dependencies need is gone (gl, esbuild's binaries).
  for (const [p, info] of Object.entries(lock.packages)) {
    if (p === '') continue;
    const kind = info.dev ? 'dev' : info.optional ? 'optional' : info.devOptional ? 'dev or optional' : 'production';
    assert.is(existsSync(join(app, p)), kind === 'production', `${p} (${kind}) ${kind === 'production' ? 'is missing from' : 'is in'} the image`);
  }
});

test('the entrypoint runs in the runtime stage: --help (the CMD), serve --help, train and predict from dist/', () => {
  const s = played.at(-1);
  assert.ok(s, 'the build did not play');
  const [node, entry] = jsonArray(all('ENTRYPOINT').at(-1));
  const cmd = jsonArray(all('CMD').at(-1));
  const cwd = hostPath(s, '.');
  const sluice = (args: string[], what: string) => ok(run(node!, [hostPath(s, entry!), ...args], cwd, 120, s.env), what);
  assert.match(sluice(cmd, `ENTRYPOINT + CMD ${cmd.join(' ')}`), /Usage: sluice <command>/);
  const serveHelp = sluice(['serve', '--help'], 'serve --help');
  const port = /--port P\s.*default (\d+)/.exec(serveHelp)?.[1];
  assert.ok(port && all('EXPOSE').some((e) => e.args.split(' ').includes(port)), `EXPOSE does not name serve's default port ${port}`);
  assert.match(serveHelp, /--host H\s.*default 127\.0\.0\.1/);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = /\n## Docker\n([\s\S]*?)(?=\n## )/.exec(readme)?.[1] ?? '';
  assert.match(section, /--host 0\.0\.0\.0/, "README's Docker section: serve needs --host 0.0.0.0 in a container");
  assert.match(section, new RegExp(`-p \\d+:${port}`), `README's Docker section: publish port ${port}`);

  writeFileSync(join(cwd, 'tiny.csv'), `a,b,y\n${Array.from({ length: 300 }, (_, i) => `${i % 7},${(i * 13) % 11},${i % 7 > 3 ? 'yes' : 'no'}`).join('\n')}\n`);
  sluice(['train', 'tiny.csv', '--target', 'y', '--save', 'model/', '--no-tui'], 'train');
  const scored = sluice(['predict', 'model/', 'tiny.csv'], 'predict').trim().split('\n');
  assert.is(scored.length, 301);
  assert.match(scored[0]!, /^a,b,y,prediction/);
});

test.run();
