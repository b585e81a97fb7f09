import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { modelsCommand } from '../../src/cli/modelsCommand.js';
import { checksums } from '../../src/core/index.js';
import { loadPipeline, ModelRegistry, SourceError } from '../../src/index.js';
import { recordFs, writeSaved } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'sluice-corrupt-'));
let n = 0;

/** A registry with v0001 and v0002 (active). */
function twoVersions(): ModelRegistry {
  const reg = ModelRegistry.open(join(root, `reg-${n++}`), { create: true });
  reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.7, rows: 10 }), { source: 'a.csv' });
  reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.8, rows: 20 }), { source: 'b.csv' });
  return reg;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Flips one bit of the byte at `at` (default: the middle); returns the sums before and after. */
function flip(path: string, at?: number): { before: string; after: string } {
  const bytes = readFileSync(path);
  const before = sha256(bytes);
  const i = at ?? bytes.length >> 1;
  bytes[i] = bytes[i]! ^ 1;
  writeFileSync(path, bytes);
  return { before, after: sha256(bytes) };
}

/** The error `fn` throws (sync or async), or fails. */
async function error(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  assert.unreachable('expected an error');
  throw new Error('unreachable');
}

/** Every way a version is used refuses it with the same message. */
async function refused(reg: ModelRegistry, version: string, message: string): Promise<void> {
  const dir = join(reg.dir, version);
  const uses: Array<[string, () => unknown]> = [
    ['verify', () => reg.verify(version)],
    ['activate', () => reg.activate(version)],
    ['resolve(vNNNN)', () => ModelRegistry.resolve(dir)],
    ['loadPipeline(vNNNN)', () => loadPipeline(dir)],
  ];
  if (reg.active() === version) uses.push(['loadPipeline(REG)', () => loadPipeline(reg.dir)], ['resolve(REG)', () => ModelRegistry.resolve(reg.dir)]);
  for (const [what, fn] of uses) {
    const e = await error(fn);
    assert.instance(e, SourceError, what);
    assert.is(e.message, message, what);
  }
}

test('a flipped byte in pipeline.json: load, resolve, verify and activate refuse it with its path and both sums; ACTIVE is unchanged', async () => {
  const reg = twoVersions();
  const file = join(reg.dir, 'v0002', 'pipeline.json');
  const listed = readFileSync(join(reg.dir, 'v0002', 'SHA256SUMS'), 'utf8');
  const { before, after } = flip(file);
  assert.match(listed, `${before}  pipeline.json`);
  await refused(reg, 'v0002', `${file}: checksum mismatch: SHA256SUMS says ${before}, the file has ${after}; it was changed or damaged after it was saved`);
  reg.activate('v0001');
  assert.throws(() => reg.activate('v0002'), /pipeline\.json: checksum mismatch/);
  assert.is(reg.active(), 'v0001');
});

test('a flipped byte in meta.json (still valid JSON: a metric 0.7 reads 0.6) is refused by verify, load, activate, rollback, show, list and diff', async () => {
  const reg = twoVersions();
  const file = join(reg.dir, 'v0001', 'meta.json');
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf('"rocAuc": 0.7') + '"rocAuc": 0.'.length;
  const { before, after } = flip(file, at);
  assert.match(readFileSync(file, 'utf8'), '"rocAuc": 0.6');
  const message = `${file}: checksum mismatch: SHA256SUMS says ${before}, the file has ${after}; it was changed or damaged after it was saved`;
  await refused(reg, 'v0001', message);
  for (const [what, fn] of [
    ['meta', () => reg.meta('v0001')],
    ['versions', () => reg.versions()],
    ['diff', () => reg.diff('v0001', 'v0002')],
    ['rollback', () => reg.rollback()],
  ] as Array<[string, () => unknown]>)
    assert.is((await error(fn)).message, message, what);
  assert.is(reg.active(), 'v0002');
});

test('a file SHA256SUMS lists that is missing is named; a version directory missing its meta.json is refused, not loaded as a plain directory', async () => {
  const reg = twoVersions();
  const report = join(reg.dir, 'v0002', 'report.json');
  rmSync(report);
  await refused(reg, 'v0002', `${report}: missing: SHA256SUMS lists it, the file is gone`);
  const meta = join(reg.dir, 'v0001', 'meta.json');
  rmSync(meta);
  await refused(reg, 'v0001', `${meta}: missing: SHA256SUMS lists it, the file is gone`);
  // A missing SHA256SUMS: nothing can be checked.
  const bare = twoVersions();
  rmSync(join(bare.dir, 'v0002', 'SHA256SUMS'));
  await refused(bare, 'v0002', `${join(bare.dir, 'v0002')}: no SHA256SUMS here: the files cannot be checked`);
});

test('a file SHA256SUMS does not list is refused (every file of a version is sealed at publish, so it was added since); removing it makes the version good again', async () => {
  const reg = twoVersions();
  const extra = join(reg.dir, 'v0002', 'notes.txt');
  writeFileSync(extra, 'added by hand');
  await refused(
    reg,
    'v0002',
    `${extra}: not listed in SHA256SUMS: every file of a version is sealed when it is published, so this one was added or renamed since; remove it if it does not belong, or the version is not loaded`,
  );
  rmSync(extra);
  assert.equal(reg.verify('v0002'), ['pipeline.json', 'report.json', 'meta.json']);
  // A directory counts too.
  mkdirSync(join(reg.dir, 'v0002', 'more'));
  assert.throws(() => reg.verify('v0002'), /v0002\/more: not listed in SHA256SUMS/);
  rmSync(join(reg.dir, 'v0002', 'more'), { recursive: true });
  // A SHA256SUMS naming a file outside the version is refused.
  const sums = join(reg.dir, 'v0001', 'SHA256SUMS');
  writeFileSync(join(reg.dir, 'outside.json'), '{}');
  writeFileSync(sums, `${readFileSync(sums, 'utf8')}${sha256(Buffer.from('{}'))}  ../outside.json\n`);
  assert.throws(
    () => reg.verify('v0001'),
    (e: Error) => e.message === `${sums}: lists "../outside.json", which is not a file of this version: the version cannot be trusted`,
  );
});

test('an ACTIVE naming an absent version: load, resolve, show and rollback refuse it naming REG/ACTIVE; list still works; activate (sluice models activate too) or publish repairs it', async () => {
  const reg = twoVersions();
  const active = join(reg.dir, 'ACTIVE');
  writeFileSync(active, 'v0009\n');
  const message = `${active}: names v0009, which is not a version of this registry (known: v0001, v0002); sluice models activate ${reg.dir} <version> repairs it`;
  for (const [what, fn] of [
    ['loadPipeline(REG)', () => loadPipeline(reg.dir)],
    ['resolve(REG)', () => ModelRegistry.resolve(reg.dir)],
    ['verify(active)', () => reg.verify(reg.active()!)],
    ['rollback', () => reg.rollback()],
  ] as Array<[string, () => unknown]>)
    assert.is((await error(fn)).message, message, what);
  assert.equal(
    reg.versions().map((v) => [v.version, v.active]),
    [
      ['v0001', false],
      ['v0002', false],
    ],
  );
  assert.is(reg.activate('v0001').version, 'v0001');
  assert.is(ModelRegistry.resolve(reg.dir), join(reg.dir, 'v0001'));
  // A publish over a damaged ACTIVE records no parent and repairs ACTIVE.
  writeFileSync(active, 'v0009\n');
  const v3 = reg.publish(writeSaved(join(root, `s${n++}`), { auc: 0.9, rows: 1 }));
  assert.equal([v3.version, v3.meta.parent, reg.active()], ['v0003', null, 'v0003']);
  // An ACTIVE that is not a version name at all is named, and activate still rewrites it.
  writeFileSync(active, 'garbage\n');
  assert.throws(
    () => reg.active(),
    (e: Error) =>
      e.message === `${active}: expected a version name such as v0001, got "garbage"; the file is damaged (sluice models activate REG V rewrites it)`,
  );
  assert.is(reg.activate('v0002').version, 'v0002');
  assert.is(reg.active(), 'v0002');
  // So does `sluice models activate` (which reads the previous version first), while rollback refuses.
  writeFileSync(active, 'garbage\n');
  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: () => {} };
  assert.is(
    (await error(() => modelsCommand.run(['rollback', reg.dir], io))).message,
    `${active}: expected a version name such as v0001, got "garbage"; the file is damaged (sluice models activate REG V rewrites it)`,
  );
  assert.is(await modelsCommand.run(['activate', reg.dir, 'v0001', '--json'], io), 0);
  assert.equal(JSON.parse(out.at(-1)!), { active: 'v0001', previous: null });
  assert.is(reg.active(), 'v0001');
});

test('publish seals every file the run saved (a snapshot too); a subdirectory is refused before anything is published', () => {
  const reg = twoVersions();
  const staged = reg.stage();
  writeSaved(staged, { auc: 0.9, rows: 1 });
  writeFileSync(join(staged, 'snapshot-10.json'), '{"rows":10}');
  const v = reg.publish(staged);
  assert.equal(reg.verify(v.version), ['pipeline.json', 'report.json', 'meta.json', 'snapshot-10.json']);
  const bad = reg.stage();
  writeSaved(bad, { auc: 0.9, rows: 1 });
  mkdirSync(join(bad, 'sub'));
  assert.throws(
    () => reg.publish(bad),
    (e: Error) => e.message.startsWith(`${join(bad, 'sub')}: not a plain file`),
  );
  assert.is(reg.active(), v.version);
  assert.ok(existsSync(bad), 'left for the caller to discard');
});

test('meta.packages records the installed version of each dependency; diff names the packages that changed', async () => {
  const reg = twoVersions();
  const deps = reg.meta('v0001').packages.dependencies!;
  const rxjs = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../node_modules/rxjs/package.json'), 'utf8')) as { version: string };
  assert.is(deps.rxjs, rxjs.version);
  const own = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { dependencies: Record<string, string> };
  assert.equal(Object.keys(deps), Object.keys(own.dependencies).sort());
  assert.equal(reg.diff('v0001', 'v0002').packages.changed, []);
  // v0001 as if trained with another rxjs and Node (re-sealed, so it verifies).
  const dir = join(reg.dir, 'v0001');
  const meta = reg.meta('v0001');
  meta.packages = { ...meta.packages, node: 'v18.0.0', dependencies: { ...deps, rxjs: '6.0.0' } };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  checksums.write(dir, ['pipeline.json', 'report.json', 'meta.json']);
  const d = reg.diff('v0001', 'v0002');
  assert.equal(d.packages.changed, ['node', 'rxjs']);
  assert.is(d.packages.a.dependencies?.rxjs, '6.0.0');
  const out: string[] = [];
  assert.is(await modelsCommand.run(['diff', reg.dir, 'v0001', 'v0002'], { out: (l) => out.push(l), err: () => {} }), 0);
  assert.match(out.join('\n'), /^packages {2}differ: node, rxjs$/m);
});

test('publish flushes every file before the rename, the registry directory after it, and ACTIVE (file, then directory) last', () => {
  const reg = twoVersions();
  const staged = reg.stage();
  writeSaved(staged, { auc: 0.9, rows: 1 });
  const { result: v, log } = recordFs(() => reg.publish(staged));
  const at = (line: string | RegExp) => {
    const i = log.findIndex((l) => (typeof line === 'string' ? l === line : line.test(l)));
    assert.ok(i >= 0, `${String(line)} in\n${log.join('\n')}`);
    return i;
  };
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const rename = at(`rename ${staged} -> ${v.dir}`);
  // The run's own files, flushed in place; meta.json and SHA256SUMS through writeFileAtomic (temp flushed, renamed, directory flushed).
  for (const f of ['pipeline.json', 'report.json']) assert.ok(at(`fsync ${join(staged, f)}`) < rename, f);
  for (const f of ['meta.json', 'SHA256SUMS']) {
    const tmp = at(new RegExp(`^fsync ${esc(join(staged, f))}\\.\\d+\\.\\d+\\.\\d+\\.tmp$`));
    const moved = at(new RegExp(`^rename ${esc(join(staged, f))}\\.[\\d.]+tmp -> ${esc(join(staged, f))}$`));
    assert.ok(tmp < moved && moved < rename, f);
    assert.ok(log.slice(moved + 1, rename).includes(`fsync ${staged}`), `${f}: directory flushed after`);
  }
  // After the rename: the registry directory, then ACTIVE's temp file, its rename, the directory again.
  const dirSync = log.indexOf(`fsync ${reg.dir}`, rename);
  const activeTmp = at(new RegExp(`^fsync ${esc(join(reg.dir, 'ACTIVE'))}\\.[\\d.]+tmp$`));
  const activeMove = at(new RegExp(`^rename ${esc(join(reg.dir, 'ACTIVE'))}\\.[\\d.]+tmp -> ${esc(join(reg.dir, 'ACTIVE'))}$`));
  assert.ok(rename < dirSync && dirSync < activeTmp && activeTmp < activeMove, log.join('\n'));
  assert.is(log.at(-1), `fsync ${reg.dir}`);
  // activate: ACTIVE flushed, renamed, directory flushed.
  const { log: a } = recordFs(() => reg.activate('v0001'));
  assert.equal(
    a.map((l) => l.replace(/ACTIVE\.[\d.]+tmp/g, 'ACTIVE.tmp')),
    [`fsync ${join(reg.dir, 'ACTIVE.tmp')}`, `rename ${join(reg.dir, 'ACTIVE.tmp')} -> ${join(reg.dir, 'ACTIVE')}`, `fsync ${reg.dir}`],
  );
});

test.run();
