import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-models-'));
const reg = join(dir, 'REG');

/** 300 rows whose label is x > 0 (flip: x < 0), with a category column. */
function data(name: string, flip: boolean): string {
  const rows = ['x,city,y'];
  for (let i = 0; i < 300; i++) {
    const x = ((i * 37) % 101) / 50 - 1;
    rows.push(`${x},${['a', 'b', 'c'][i % 3]},${x > 0 !== flip ? 1 : 0}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

const first = data('first.csv', false);
const second = data('second.csv', true);
const score = join(dir, 'score.csv');
writeFileSync(score, 'x,city\n0.9,a\n-0.9,b\n');

/** The probability column of `sluice predict` output. */
async function probabilities(model: string): Promise<number[]> {
  const r = await sluice(['predict', model, score, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.is(lines[0], 'x,city,prediction,probability');
  return lines.slice(1).map((l) => Number(l.split(',')[3]));
}

test('train --registry twice: two versions, the second active; predict REG scores with the active one; rollback switches it', async () => {
  for (const [file, version] of [
    [first, 'v0001'],
    [second, 'v0002'],
  ] as const) {
    const r = await sluice(['train', file, '--target', 'y', '--registry', reg, '--quiet']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, `saved version ${version} to ${reg} (active)`);
  }
  assert.equal(readdirSync(reg).sort(), ['ACTIVE', 'v0001', 'v0002']);

  const list = await sluice(['models', 'list', reg]);
  assert.is(list.code, 0, list.stderr);
  const lines = list.stdout.trim().split('\n');
  assert.is(lines.length, 3, list.stdout);
  assert.match(lines[1]!, /^ {2}v0001 .* 300 +binary +rocAuc \d/);
  assert.match(lines[2]!, /^\* v0002 .* v0001$/);

  const json = await sluice(['models', 'list', reg, '--json']);
  const versions = JSON.parse(json.stdout) as Array<{ version: string; active: boolean; parent: string | null; data: { source: string } }>;
  assert.equal(
    versions.map((v) => [v.version, v.active, v.parent, v.data.source]),
    [
      ['v0001', false, null, first],
      ['v0002', true, 'v0001', second],
    ],
  );

  // The second model learned the flipped label: it scores x = 0.9 low, the first high.
  const active = await probabilities(reg);
  assert.equal(active, await probabilities(join(reg, 'v0002')));
  assert.ok(active[0]! < 0.5 && active[1]! > 0.5, String(active));

  const back = await sluice(['models', 'rollback', reg]);
  assert.is(back.code, 0, back.stderr);
  assert.match(back.stdout, 'v0001 is active');
  assert.is(readFileSync(join(reg, 'ACTIVE'), 'utf8').trim(), 'v0001');
  const rolled = await probabilities(reg);
  assert.ok(rolled[0]! > 0.5 && rolled[1]! < 0.5, String(rolled));

  const none = await sluice(['models', 'rollback', reg]);
  assert.is(none.code, 1);
  assert.match(none.stderr, 'v0001 is the first version');

  const act = await sluice(['models', 'activate', reg, 'v0002', '--json']);
  assert.equal(JSON.parse(act.stdout), { active: 'v0002', previous: 'v0001' });

  const diff = await sluice(['models', 'diff', reg, 'v0001', 'v0002', '--json']);
  assert.is(diff.code, 0, diff.stderr);
  const d = JSON.parse(diff.stdout) as { metrics: Array<{ name: string }>; data: { sameSchema: boolean; sameSource: boolean } };
  assert.ok(d.metrics.some((m) => m.name === 'rocAuc'));
  assert.equal([d.data.sameSchema, d.data.sameSource], [true, false]);
});

test('models show verifies the version: a tampered file exits 1 naming it; an unknown version lists the known ones', async () => {
  const show = await sluice(['models', 'show', reg]);
  assert.is(show.code, 0, show.stderr);
  assert.match(show.stdout, /^version {3}v0002 \(active\)$/m);
  assert.match(show.stdout, /^parent {4}v0001$/m);
  assert.match(show.stdout, 'verified  pipeline.json, report.json, meta.json');

  const copy = join(dir, 'COPY');
  cpSync(reg, copy, { recursive: true });
  const report = join(copy, 'v0001', 'report.json');
  writeFileSync(report, readFileSync(report, 'utf8').replace('"read": 300', '"read": 301'));
  const bad = await sluice(['models', 'show', copy, 'v0001']);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, `${report}: checksum mismatch`);
  // The untouched version still shows; predict with the tampered one is refused.
  assert.is((await sluice(['models', 'show', copy, 'v0002'])).code, 0);
  const refused = await sluice(['predict', join(copy, 'v0001'), score, '--quiet']);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, report);

  const unknown = await sluice(['models', 'show', reg, 'v0009']);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, 'unknown version "v0009"; known: v0001, v0002');
  const notReg = await sluice(['models', 'list', dir]);
  assert.is(notReg.code, 1);
  assert.match(notReg.stderr, 'not a model registry');
});

test('--registry with --save is a usage error; output.registry with output.dir is a spec error', async () => {
  const both = await sluice(['train', first, '--target', 'y', '--registry', join(dir, 'R2'), '--save', join(dir, 'S')]);
  assert.is(both.code, 2);
  assert.match(both.stderr, '--save and --registry');
  assert.not.ok(existsSync(join(dir, 'R2')));
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({ source: { csv: first }, target: 'y', output: { registry: join(dir, 'R3'), dir: join(dir, 'D') } }));
  const r = await sluice(['run', spec, '--check']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'output.registry');
});

test('a spec run with output.registry publishes a version with the spec as lineage', async () => {
  const where = join(dir, 'R4');
  const spec = join(dir, 'spec4.json');
  // A run that fails leaves no version and no staging directory behind.
  writeFileSync(spec, JSON.stringify({ source: { csv: first }, target: 'y', output: { registry: where } }));
  const failed = await sluice(['run', spec, '--quiet']);
  assert.is.not(failed.code, 0);
  assert.match(failed.stderr, 'raw category column');
  assert.equal(readdirSync(where), []);
  writeFileSync(spec, JSON.stringify({ source: { csv: first }, target: 'y', features: { drop: ['city'] }, output: { registry: where } }));
  const r = await sluice(['run', spec, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, `saved version v0001 to ${where} (active)`);
  const meta = JSON.parse(readFileSync(join(where, 'v0001', 'meta.json'), 'utf8'));
  assert.is(meta.lineage.command, 'run');
  assert.is(meta.lineage.file, spec);
  assert.is(meta.data.source, first);
  assert.equal(readdirSync(where).sort(), ['ACTIVE', 'v0001']);
});

test('a trained model that cannot be published (the registry locked by a live process) is kept beside the registry, not thrown away', async () => {
  const reg = join(dir, 'LOCKED');
  const ok = await sluice(['train', first, '--target', 'y', '--registry', reg, '--quiet']);
  assert.is(ok.code, 0, ok.stderr);
  // The test process itself holds the lock: alive, on this host, so it is waited for, then refused.
  const { here } = await import('../../src/registry/RegistryLock.js');
  writeFileSync(
    join(reg, '.lock'),
    JSON.stringify({ pid: process.pid, host: here.host, pidns: here.pidns, since: new Date().toISOString(), purpose: 'test', token: 'x' }),
  );
  const r = await sluice(['train', first, '--target', 'y', '--registry', reg, '--quiet']);
  assert.is(r.code, 1, r.stderr);
  const kept = /the trained pipeline is kept in (\S+)/.exec(r.stderr)?.[1];
  assert.ok(kept, r.stderr);
  assert.ok(existsSync(join(kept!, 'pipeline.json')), 'the kept directory holds the pipeline');
  const scored = await sluice(['predict', kept!, first, '--quiet']);
  assert.is(scored.code, 0, scored.stderr);
  assert.equal(
    readdirSync(reg).filter((n) => /^v\d+$/.test(n)),
    ['v0001'],
  );
});

test.run();
