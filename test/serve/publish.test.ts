import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, createServer, loadPipeline, ModelRegistry, Schema } from '../../src/index.js';
import type { LearnFromStatus } from '../../src/serve/index.js';
import { ServedModel } from '../../src/serve/ServedModel.js';
import { sluice } from '../cli/sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-serve-publish-'));
/** v0001 trained on the concept `yes when a + 2·red > 6`; each test serves a copy. */
const base = join(dir, 'base');

function rows(n: number, seed: number, flip: boolean): string[] {
  const out: string[] = [];
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  for (let i = 0; i < n; i++) {
    const a = rnd() * 10;
    const b = rnd() * 3;
    const color = ['red', 'green', 'blue'][Math.floor(rnd() * 3)]!;
    const yes = a + (color === 'red' ? 2 : 0) > 6;
    out.push(`${a.toFixed(3)},${b.toFixed(3)},${color},${yes !== flip ? 'yes' : 'no'}`);
  }
  return out;
}
function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `a,b,color,y\n${lines.join('\n')}\n`);
  return path;
}

let copies = 0;
function registry(): string {
  const reg = join(dir, `reg${++copies}`);
  cpSync(base, reg, { recursive: true });
  return reg;
}

test.before(async () => {
  const r = await sluice(['train', write('train.csv', rows(600, 1, false)), '--target', 'y', '--quiet', '--registry', base]);
  assert.is(r.code, 0, r.stderr);
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = Array.from({ length: 12 }, (_, i) => ({ a: (i * 0.83) % 10, b: (i % 5) / 2, color: ['red', 'green', 'blue'][i % 3]! }));

/** What /predict answers for ROWS (the probabilities). */
async function live(app: FastifyInstance): Promise<number[]> {
  const r = await app.inject({ method: 'POST', url: '/predict', payload: ROWS });
  assert.is(r.statusCode, 200, r.body);
  return (r.json() as Array<{ probability: number }>).map((o) => o.probability);
}

/** What the registry's active version predicts for ROWS, loaded from disk. */
async function loaded(reg: string): Promise<number[]> {
  const m = await loadPipeline(reg);
  try {
    const schema = new Schema(Object.entries(m.inputTypes!).map(([name, type]) => ({ name, type, nullable: true })));
    const out = await m.predictBatch(Batch.fromRows(ROWS, schema));
    return Array.from({ length: ROWS.length }, (_, i) => out.value('probability', i) as number);
  } finally {
    await m.dispose();
  }
}

async function health(
  app: FastifyInstance,
): Promise<{ version: string; learnFrom: LearnFromStatus; publish: { published: number; failed: number; error?: string } }> {
  return (await app.inject('/health')).json();
}

async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function series(app: FastifyInstance, name: string): Promise<number> {
  const text = (await app.inject('/metrics')).body;
  const m = new RegExp(`^${name.replace(/[{}"()[\]|.*+?^$\\/]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

test('publish every S: versions v0002, v0003 with their parent chain; the served version is the published one; loadPipeline(REG) predicts as the live server', async () => {
  const reg = registry();
  const file = write('flipped.csv', rows(2000, 3, true));
  const saved = await loadPipeline(reg);
  const logged: string[] = [];
  const app = createServer(saved, {
    registry: { dir: reg, version: 'v0001' },
    learnFrom: { source: { csv: file, batchSize: 250 } },
    publish: { every: 0.1 },
    log: (l) => logged.push(l),
  });
  await app.ready();
  const r = ModelRegistry.open(reg);
  // v0002 once the file is learned (a publish may come before its end: wait for the one after).
  await until('a version with every row of the file', async () => {
    const h = await health(app);
    return h.learnFrom.state === 'ended' && r.active() !== 'v0001' && r.meta(r.active()!).data.rows === 2000;
  });
  const v2 = r.active()!;
  assert.is((await health(app)).version, v2);
  assert.equal(await loaded(reg), await live(app));
  // Nothing learned since: the schedule publishes nothing.
  await new Promise((done) => setTimeout(done, 300));
  assert.is(r.active(), v2);
  // /learn teaches it more: the next version follows.
  const more = rows(100, 9, true).map((l) => {
    const [a, b, color, y] = l.split(',');
    return { a: Number(a), b: Number(b), color, y };
  });
  assert.is((await app.inject({ method: 'POST', url: '/learn', payload: more })).statusCode, 200);
  await until('the next version', async () => r.active() !== v2);
  const v3 = r.active()!;
  assert.equal(await loaded(reg), await live(app));
  const versions = r.versions();
  assert.equal(
    versions.map((v) => v.version),
    ['v0001', ...versions.slice(1).map((v) => v.version)],
  );
  assert.is(versions.at(-1)!.version, v3);
  // Each version's parent is the one before it.
  for (let i = 1; i < versions.length; i++) assert.is(versions[i]!.meta.parent, versions[i - 1]!.version);
  const meta = r.meta(v3);
  assert.is((meta.lineage as { command: string }).command, 'serve');
  assert.is((meta.lineage as { from: string }).from, 'v0001');
  assert.is(meta.data.source, file);
  assert.is(meta.data.rows, 2100);
  assert.ok(Number.isFinite(meta.metrics.accuracy), JSON.stringify(meta.metrics));
  const report = JSON.parse(readFileSync(join(reg, v3, 'report.json'), 'utf8'));
  assert.equal(report.rows.learned, { learn: 100, feedback: 0, stream: 2000 });
  assert.is(report.served.from, 'v0001');
  assert.is(report.served.parent, v2);
  assert.is(report.served.reason, 'schedule');
  assert.is(report.served.learnFrom.state, 'ended');
  assert.equal(report.choices.classes, ['no', 'yes']);
  // The server says so.
  const models = (await app.inject('/models')).json();
  assert.is(models.serving, v3);
  assert.is(models.active, v3);
  assert.equal(
    models.versions.map((v: { version: string }) => v.version),
    versions.map((v) => v.version),
  );
  assert.is(await series(app, 'sluice_versions_published_total{reason="schedule"}'), versions.length - 1);
  assert.is(await series(app, 'sluice_publish_failures_total'), 0);
  assert.is(await series(app, `sluice_model_info{task="binary",version="${v3}"}`), 1);
  assert.match(logged.join('\n'), new RegExp(`published ${v3} \\(schedule; parent ${v2}; 2100 rows learned since v0001\\) in \\d+ ms`));
  // Every file sealed; no staging directory left.
  r.verify(v3);
  await app.close();
  assert.equal(
    readdirSync(reg).filter((n) => n.includes('.tmp-')),
    [],
  );
});

test('publish on drift: a concept that flips half way publishes a version at the drift', async () => {
  const reg = registry();
  const file = write('drift.csv', [...rows(3000, 4, false), ...rows(3000, 5, true)]);
  const saved = await loadPipeline(reg);
  const app = createServer(saved, {
    registry: { dir: reg, version: 'v0001' },
    learnFrom: { source: { csv: file, batchSize: 500 } },
    drift: 'adwin',
    publish: { onDrift: true },
  });
  await app.ready();
  await until('the end of the file', async () => (await health(app)).learnFrom.state === 'ended');
  await until('publishes done', async () => (await series(app, 'sluice_versions_published_total{reason="drift"}')) >= 1);
  const r = ModelRegistry.open(reg);
  const drifts = await series(app, 'sluice_drift_events_total{signal="drift"}');
  assert.ok(drifts >= 1, String(drifts));
  const published = r.versions().slice(1);
  assert.ok(published.length >= 1);
  const first = JSON.parse(readFileSync(join(published[0]!.dir, 'report.json'), 'utf8'));
  assert.is(first.served.reason, 'drift');
  // At the drift: after the flip at row 3000, within the rows the detector needs to see it.
  const at = first.rows.learned.stream as number;
  assert.ok(at > 3000 && at < 4000, `published after ${at} rows`);
  await app.close();
});

test('a publish that fails (the registry locked by another process) is logged and counted; serving and learning go on; the next one publishes', async () => {
  const reg = registry();
  const lock = join(reg, '.lock');
  // Held by a process on another host: never taken over, only waited for.
  writeFileSync(lock, JSON.stringify({ pid: 1, host: 'another-host', pidns: null, since: new Date().toISOString(), purpose: 'publish', token: 'theirs' }));
  const saved = await loadPipeline(reg);
  const logged: string[] = [];
  const app = createServer(saved, {
    registry: { dir: reg, version: 'v0001' },
    learnFrom: { source: { csv: write('more.csv', rows(500, 6, true)) } },
    publish: { every: 0.05, lockWaitMs: 150 },
    log: (l) => logged.push(l),
  });
  await app.ready();
  await until('a failed publish', async () => (await health(app)).publish.failed >= 1);
  const h = await health(app);
  assert.match(h.publish.error!, /another-host/);
  assert.is(h.version, 'v0001');
  assert.is(await series(app, 'sluice_publish_failures_total'), h.publish.failed);
  assert.match(logged.join('\n'), /publish \(schedule\) failed: .*locked.*; serving and learning go on/);
  assert.is((await app.inject({ method: 'POST', url: '/predict', payload: ROWS[0] })).statusCode, 200);
  await until('the end of the file', async () => (await health(app)).learnFrom.state === 'ended');
  rmSync(lock);
  await until('a publish', async () => (await health(app)).publish.published >= 1);
  assert.is((await health(app)).version, 'v0002');
  assert.ok(existsSync(join(reg, 'v0002', 'pipeline.json')));
  await app.close();
  // The failed publishes left no staging directory behind.
  assert.equal(
    readdirSync(reg).filter((n) => n.includes('.tmp-')),
    [],
  );
});

test('a snapshot is taken between two updates: after every update queued before it, before any queued after', async () => {
  const saved = await loadPipeline(base);
  const served = new ServedModel(saved, 'v0001');
  const schema = new Schema([
    ...Object.entries(saved.inputTypes!).map(([name, type]) => ({ name, type, nullable: true })),
    { name: 'y', type: 'category' as const, nullable: true },
  ]);
  const batch = (flip: boolean) =>
    Batch.fromRows(
      rows(300, flip ? 7 : 8, flip).map((l) => {
        const [a, b, color, y] = l.split(',');
        return { a: Number(a), b: Number(b), color, y };
      }),
      schema,
    );
  const state0 = JSON.stringify(await saved.model.state());
  // Queued in this order without waiting: learn, snapshot, learn.
  const first = served.learn(saved.features(batch(true)));
  const snap = served.snapshot();
  const second = served.learn(saved.features(batch(false)));
  const [s] = await Promise.all([snap, first, second]);
  assert.is(s!.learned.learn, 300);
  assert.is(s!.scored, 300);
  const taken = JSON.stringify(s!.state);
  assert.is.not(taken, state0);
  assert.is.not(taken, JSON.stringify(await saved.model.state()));
  // The snapshot is the model after the first update: learning the first batch alone gives it.
  const again = await loadPipeline(base);
  await new ServedModel(again, 'v0001').learn(again.features(batch(true)));
  assert.is(taken, JSON.stringify(await again.model.state()));
  await saved.dispose();
  await again.dispose();
});

test('closing the server publishes what it learned since its last version (reason shutdown); nothing learned, nothing published', async () => {
  const reg = registry();
  const saved = await loadPipeline(reg);
  const logged: string[] = [];
  const app = createServer(saved, { registry: { dir: reg, version: 'v0001' }, publish: { every: 3600 }, log: (l) => logged.push(l) });
  await app.ready();
  const more = rows(50, 4, true).map((l) => {
    const [a, b, color, y] = l.split(',');
    return { a: Number(a), b: Number(b), color, y };
  });
  assert.is((await app.inject({ method: 'POST', url: '/learn', payload: more })).statusCode, 200);
  const before = await live(app);
  await app.close();
  const r = ModelRegistry.open(reg);
  assert.is(r.active(), 'v0002', logged.join('\n'));
  assert.match(logged.join('\n'), /published v0002 \(shutdown; parent v0001; 50 rows learned since v0001\)/);
  assert.equal(await loaded(reg), before);
  // A server that learned nothing publishes nothing when it closes.
  const again = createServer(await loadPipeline(reg), { registry: { dir: reg, version: 'v0002' }, publish: { every: 3600 } });
  await again.ready();
  await again.close();
  assert.is(r.active(), 'v0002');
});

test.run();
