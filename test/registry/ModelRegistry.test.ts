import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ModelRegistry, SourceError } from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'sluice-registry-'));
let n = 0;

/** A directory as `train --save` writes it (pipeline.json, report.json), with made-up contents. */
function saved(o: { auc: number; rows: number; types?: Record<string, string>; source?: string }, into?: string): string {
  const dir = into ?? join(root, `saved-${n++}`);
  mkdirSync(dir, { recursive: true });
  const report = { rows: { read: o.rows, trained: o.rows }, metrics: { accuracy: 0.9, rocAuc: o.auc }, test: { rocAuc: o.auc - 0.01 } };
  const types = o.types ?? { x: 'number', city: 'category' };
  writeFileSync(
    join(dir, 'pipeline.json'),
    JSON.stringify({ version: 1, task: 'binary', lineage: { command: 'train', args: [o.source ?? 'a.csv'] }, input: { types }, report }),
  );
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
  return dir;
}

function fresh(): ModelRegistry {
  return ModelRegistry.open(join(root, `reg-${n++}`), { create: true });
}

test('publish makes numbered versions with meta.json and SHA256SUMS over every file, the newest active, each the child of the one before', () => {
  const reg = fresh();
  const v1 = reg.publish(saved({ auc: 0.8, rows: 100 }), { source: 'a.csv' });
  const v2 = reg.publish(saved({ auc: 0.9, rows: 250 }), { source: 'b.csv' });
  assert.is(v1.version, 'v0001');
  assert.is(v2.version, 'v0002');
  assert.is(reg.active(), 'v0002');
  assert.is(readFileSync(join(reg.dir, 'ACTIVE'), 'utf8').trim(), 'v0002');
  const list = reg.versions();
  assert.equal(
    list.map((v) => [v.version, v.active, v.meta.parent]),
    [
      ['v0001', false, null],
      ['v0002', true, 'v0001'],
    ],
  );
  const m = list[1]!.meta;
  assert.is(m.version, 'v0002');
  assert.is(m.task, 'binary');
  assert.equal(m.data.source, 'b.csv');
  assert.is(m.data.rows, 250);
  assert.equal(m.metrics, { accuracy: 0.9, rocAuc: 0.9 });
  assert.equal(m.test, { rocAuc: 0.9 - 0.01 });
  assert.equal(m.lineage, { command: 'train', args: ['a.csv'] });
  assert.is(m.packages.node, process.version);
  assert.match(m.packages.sluice ?? '', /^\d+\.\d+\.\d+/);
  assert.ok(!Number.isNaN(Date.parse(m.created)));
  // The schema hash is sha256 of the input types with sorted keys.
  const want = createHash('sha256')
    .update(JSON.stringify({ city: 'category', x: 'number' }))
    .digest('hex');
  assert.is(m.data.schemaHash, want);
  const sums = readFileSync(join(v2.dir, 'SHA256SUMS'), 'utf8');
  for (const f of ['pipeline.json', 'report.json', 'meta.json']) assert.match(sums, new RegExp(`^[0-9a-f]{64}  ${f.replace('.', '\\.')}$`, 'm'));
  assert.equal(reg.verify('v0002').sort(), ['meta.json', 'pipeline.json', 'report.json']);
  // The saved directory became the version: nothing is left beside the versions.
  assert.equal(readdirSync(reg.dir).sort(), ['ACTIVE', 'v0001', 'v0002']);
});

test('the schema hash ignores column order and changes with a type', () => {
  const reg = fresh();
  reg.publish(saved({ auc: 0.8, rows: 1, types: { x: 'number', city: 'category' } }));
  reg.publish(saved({ auc: 0.8, rows: 1, types: { city: 'category', x: 'number' } }));
  reg.publish(saved({ auc: 0.8, rows: 1, types: { city: 'text', x: 'number' } }));
  const [a, b, c] = reg.versions().map((v) => v.meta.data.schemaHash);
  assert.is(a, b);
  assert.is.not(a, c);
});

test('activate and rollback move ACTIVE along the parent chain; rollback from the first version is refused', () => {
  const reg = fresh();
  for (const auc of [0.7, 0.8, 0.9]) reg.publish(saved({ auc, rows: 10 }));
  assert.is(reg.rollback().version, 'v0002');
  assert.is(reg.active(), 'v0002');
  assert.is(reg.rollback().version, 'v0001');
  assert.throws(
    () => reg.rollback(),
    (e: Error) => e instanceof SourceError && /v0001 is the first version/.test(e.message),
  );
  assert.is(reg.activate('v0003').version, 'v0003');
  assert.is(reg.active(), 'v0003');
  // A version published after a rollback is the child of the version active then.
  reg.activate('v0001');
  const v4 = reg.publish(saved({ auc: 0.95, rows: 10 }));
  assert.is(v4.meta.parent, 'v0001');
  assert.is(reg.rollback().version, 'v0001');
});

test('an unknown version is refused naming the known ones', () => {
  const reg = fresh();
  reg.publish(saved({ auc: 0.7, rows: 10 }));
  for (const f of [() => reg.activate('v0007'), () => reg.verify('v7'), () => reg.meta('nope')])
    assert.throws(f, (e: Error) => e instanceof SourceError && /unknown version .*known: v0001/.test(e.message));
  assert.is(reg.active(), 'v0001');
});

test('verify refuses a tampered file naming its path and both sums; activate refuses it too; a missing listed file is named', () => {
  const reg = fresh();
  reg.publish(saved({ auc: 0.7, rows: 10 }));
  reg.publish(saved({ auc: 0.8, rows: 10 }));
  const report = join(reg.dir, 'v0001', 'report.json');
  writeFileSync(report, readFileSync(report, 'utf8').replace('0.7', '0.99'));
  assert.throws(
    () => reg.verify('v0001'),
    (e: Error) =>
      e instanceof SourceError && e.message.startsWith(`${report}: checksum mismatch`) && /says [0-9a-f]{64}, the file has [0-9a-f]{64}/.test(e.message),
  );
  assert.throws(() => reg.activate('v0001'), /report\.json: checksum mismatch/);
  assert.is(reg.active(), 'v0002');
  assert.throws(() => reg.rollback(), /report\.json: checksum mismatch/);
  assert.is(reg.active(), 'v0002');
  // A file SHA256SUMS lists that is gone.
  const meta = join(reg.dir, 'v0002', 'meta.json');
  rmSync(meta);
  assert.throws(
    () => reg.verify('v0002'),
    (e: Error) => e.message.startsWith(`${meta}: missing`),
  );
});

test('ModelRegistry.resolve gives the active version of a registry and checks it; a plain directory gives null', () => {
  const reg = fresh();
  reg.publish(saved({ auc: 0.7, rows: 10 }));
  reg.publish(saved({ auc: 0.8, rows: 10 }));
  assert.is(ModelRegistry.resolve(reg.dir), join(reg.dir, 'v0002'));
  reg.activate('v0001');
  assert.is(ModelRegistry.resolve(reg.dir), join(reg.dir, 'v0001'));
  assert.is(ModelRegistry.resolve(join(reg.dir, 'v0002')), join(reg.dir, 'v0002'));
  assert.is(ModelRegistry.resolve(saved({ auc: 0.5, rows: 1 })), null);
  const pipe = join(reg.dir, 'v0001', 'pipeline.json');
  writeFileSync(pipe, `${readFileSync(pipe, 'utf8')} `);
  assert.throws(() => ModelRegistry.resolve(reg.dir), /v0001\/pipeline\.json: checksum mismatch/);
});

test('diff puts the metrics side by side with b - a, and compares data fingerprint, task and lineage', () => {
  const reg = fresh();
  reg.publish(saved({ auc: 0.75, rows: 10, source: 'a.csv' }), { source: 'a.csv' });
  reg.publish(saved({ auc: 0.875, rows: 30, source: 'b.csv', types: { x: 'number' } }), { source: 'b.csv' });
  const d = reg.diff('v0001', 'v0002');
  assert.equal(d.metrics, [
    { name: 'accuracy', a: 0.9, b: 0.9, delta: 0 },
    { name: 'rocAuc', a: 0.75, b: 0.875, delta: 0.125 },
  ]);
  assert.is(d.test[0]!.name, 'rocAuc');
  assert.ok(Math.abs(d.test[0]!.delta! - 0.125) < 1e-12);
  assert.equal([d.task.same, d.lineage.same, d.data.sameSource, d.data.sameSchema], [true, false, false, false]);
  assert.equal([d.data.a.rows, d.data.b.rows], [10, 30]);
  assert.throws(() => reg.diff('v0001', 'v0003'), /unknown version "v0003"/);
});

test('a leftover staging directory (a crashed run) is ignored, and the next version takes the next name', () => {
  const reg = fresh();
  reg.publish(saved({ auc: 0.7, rows: 10 }));
  const staged = reg.stage();
  assert.ok(staged.startsWith(join(reg.dir, 'v0002.tmp-')), staged);
  saved({ auc: 0.8, rows: 10 }, staged);
  // The process died here: no publish. The registry still lists one version, active.
  assert.equal(
    reg.versions().map((v) => v.version),
    ['v0001'],
  );
  assert.is(ModelRegistry.open(reg.dir).active(), 'v0001');
  const v2 = reg.publish(saved({ auc: 0.9, rows: 10 }));
  assert.is(v2.version, 'v0002');
  assert.ok(existsSync(staged), 'another process may still own it: it is left alone');
  assert.equal(
    reg.versions().map((v) => v.version),
    ['v0001', 'v0002'],
  );
});

test('open refuses what is not a registry; create refuses a --save directory', () => {
  assert.throws(
    () => ModelRegistry.open(join(root, 'missing')),
    (e: Error) => e instanceof SourceError && /no such model registry/.test(e.message),
  );
  const empty = join(root, 'empty');
  mkdirSync(empty);
  assert.throws(() => ModelRegistry.open(empty), /not a model registry/);
  assert.throws(() => ModelRegistry.open(saved({ auc: 0.5, rows: 1 }), { create: true }), /holds a pipeline\.json saved by --save/);
  assert.throws(() => fresh().publish(join(root, 'empty')), /nothing to publish/);
});

test.run();
