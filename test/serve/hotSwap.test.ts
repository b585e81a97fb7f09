import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, createServer, loadPipeline, ModelRegistry, type SavedPipeline, Schema } from '../../src/index.js';
import { sluice } from '../cli/sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-hotswap-'));
const reg = join(dir, 'reg');
const TOKEN = 's3cret';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** A CSV whose class follows a and color; `flip` swaps the labels, so the two versions disagree. */
function csv(name: string, kind: 'binary' | 'flip' | 'multi'): string {
  const lines = ['a,b,color,y'];
  for (let i = 0; i < 300; i++) {
    const a = ((i * 37) % 101) / 10;
    const b = ((i * 13) % 7) / 2;
    const color = ['red', 'green', 'blue'][i % 3]!;
    const s = a + (color === 'red' ? 2 : 0);
    const y = kind === 'multi' ? (s < 4 ? 'low' : s < 8 ? 'mid' : 'high') : s > 6 === (kind === 'binary') ? 'yes' : 'no';
    lines.push(`${a},${b},${color},${y}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const ROWS = Array.from({ length: 20 }, (_, i) => ({ a: (i * 0.53) % 10, b: (i % 7) / 2, color: ['red', 'green', 'blue'][i % 3]! }));
/** Each version's predict answer for each row of ROWS (the added fields only). */
const want: Record<string, Array<Record<string, unknown>>> = {};

async function predictions(path: string): Promise<Array<Record<string, unknown>>> {
  const m = await loadPipeline(path);
  try {
    const schema = new Schema(Object.entries(m.inputTypes!).map(([name, type]) => ({ name, type, nullable: true })));
    const out = (await m.predictBatch(Batch.fromRows(ROWS, schema))).toRows();
    return out.map(({ a, b, color, ...added }) => added);
  } finally {
    await m.dispose();
  }
}

test.before(async () => {
  // v0001, v0002: binary on opposite labels; v0003: multiclass (another task).
  for (const kind of ['binary', 'flip', 'multi'] as const) {
    const r = await sluice(['train', csv(`${kind}.csv`, kind), '--target', 'y', '--quiet', '--registry', reg]);
    assert.is(r.code, 0, r.stderr);
  }
  // v0004: a copy of v0001 with a corrupted pipeline.json.
  cpSync(join(reg, 'v0001'), join(reg, 'v0004'), { recursive: true });
  appendFileSync(join(reg, 'v0004', 'pipeline.json'), ' ');
  ModelRegistry.open(reg).activate('v0002');
  want.v0001 = await predictions(join(reg, 'v0001'));
  want.v0002 = await predictions(join(reg, 'v0002'));
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A server on the registry's active version (v0002), as `sluice serve REG` starts it. */
async function serve(): Promise<{ app: FastifyInstance; model: SavedPipeline }> {
  ModelRegistry.open(reg).activate('v0002');
  const model = await loadPipeline(reg);
  return { app: createServer(model, { token: TOKEN, registry: { dir: reg, version: 'v0002' } }), model };
}

function predict(app: FastifyInstance, i: number) {
  return app.inject({ method: 'POST', url: '/predict', payload: ROWS[i]!, headers: AUTH });
}

function activate(app: FastifyInstance, version: string, headers: Record<string, string> = AUTH) {
  return app.inject({ method: 'POST', url: `/models/${version}/activate`, headers });
}

/** Which version's prediction a /predict answer for row i is (null: neither). */
function whose(body: Record<string, unknown>, i: number): string | null {
  const { a, b, color, ...added } = body;
  for (const v of ['v0002', 'v0001']) if (JSON.stringify(added) === JSON.stringify(want[v]![i])) return v;
  return null;
}

test('the two versions disagree on the test rows (else the swap tests prove nothing)', () => {
  const differ = ROWS.filter((_, i) => JSON.stringify(want.v0001![i]) !== JSON.stringify(want.v0002![i])).length;
  assert.ok(differ >= ROWS.length / 2, `only ${differ} rows differ`);
});

test('GET /models: every version with its meta, the active one and the one served', async () => {
  const { app } = await serve();
  const r = await app.inject('/models');
  assert.is(r.statusCode, 200, r.body);
  const body = r.json();
  assert.is(body.active, 'v0002');
  assert.is(body.serving, 'v0002');
  assert.equal(
    body.versions.map((v: { version: string }) => v.version),
    ['v0001', 'v0002', 'v0003', 'v0004'],
  );
  const v1 = body.versions[0];
  assert.is(v1.task, 'binary');
  assert.is(body.versions[2].task, 'multiclass');
  assert.is(v1.rows, 300);
  assert.type(v1.created, 'string');
  assert.type(v1.metrics, 'object');
  await app.close();
});

test('without a registry: /models is a 404 that says why', async () => {
  const model = await loadPipeline(join(reg, 'v0001'));
  const app = createServer(model);
  const r = await app.inject('/models');
  assert.is(r.statusCode, 404);
  assert.match(r.json().error, /not serving a model registry/);
  const a = await activate(app, 'v0001');
  assert.is(a.statusCode, 404);
  await app.close();
  // The caller's model is the caller's: still usable after close.
  const schema = new Schema(Object.entries(model.inputTypes!).map(([name, type]) => ({ name, type, nullable: true })));
  assert.is((await model.predictBatch(Batch.fromRows([ROWS[0]!], schema))).length, 1);
  await model.dispose();
});

test('200 concurrent predictions across a swap: all 200, each from one of the versions; then the new one', async () => {
  const { app, model } = await serve();
  let scoring = 0;
  const predictBatch = model.predictBatch.bind(model);
  model.predictBatch = (batch) => {
    scoring++;
    return predictBatch(batch);
  };
  const before = Array.from({ length: 100 }, (_, k) => predict(app, k % ROWS.length));
  // Swap once some of them are being scored on v0002, with the rest still in flight.
  while (scoring < 10) await new Promise((done) => setImmediate(done));
  const swap = activate(app, 'v0001');
  const after = Array.from({ length: 100 }, (_, k) => predict(app, k % ROWS.length));
  const [answers, swapped] = await Promise.all([Promise.all([...before, ...after]), swap]);
  assert.is(swapped.statusCode, 200, swapped.body);
  assert.equal(swapped.json(), { serving: 'v0001', previous: 'v0002' });
  const seen = new Set<string>();
  answers.forEach((r, k) => {
    assert.is(r.statusCode, 200, r.body);
    const v = whose(r.json(), k % ROWS.length);
    assert.ok(v !== null, `request ${k}: ${r.body} is neither version's prediction`);
    seen.add(v!);
  });
  assert.ok(seen.has('v0002'));
  // After the swap: every request gets v0001's predictions.
  for (let i = 0; i < ROWS.length; i++) {
    const r = await predict(app, i);
    assert.is(r.statusCode, 200, r.body);
    assert.is(whose(r.json(), i), 'v0001', `row ${i}`);
  }
  assert.is(ModelRegistry.open(reg).active(), 'v0001');
  assert.equal((await app.inject('/models')).json().serving, 'v0001');
  assert.is((await app.inject('/health')).json().version, 'v0001');
  const metrics = (await app.inject('/metrics')).body;
  assert.match(metrics, 'sluice_model_info{task="binary",version="v0001"} 1');
  assert.not.match(metrics, 'version="v0002"');

  // Rollback: activating v0002 again serves it again.
  const back = await activate(app, 'v0002');
  assert.is(back.statusCode, 200, back.body);
  assert.equal(back.json(), { serving: 'v0002', previous: 'v0001' });
  for (let i = 0; i < ROWS.length; i++) assert.is(whose((await predict(app, i)).json(), i), 'v0002', `row ${i}`);
  assert.is(ModelRegistry.open(reg).active(), 'v0002');
  await app.close();
});

test('a request in flight finishes on its model; that model is disposed only when it ends', async () => {
  const { app, model } = await serve();
  let open!: () => void;
  const gate = new Promise<void>((done) => {
    open = done;
  });
  let started!: () => void;
  const inside = new Promise<void>((done) => {
    started = done;
  });
  const predictBatch = model.predictBatch.bind(model);
  model.predictBatch = async (batch) => {
    started();
    await gate;
    return predictBatch(batch);
  };
  let disposed = 0;
  const dispose = model.dispose.bind(model);
  model.dispose = async () => {
    disposed++;
    return dispose();
  };
  const slow = predict(app, 3);
  await inside;
  const swap = await activate(app, 'v0001');
  assert.is(swap.statusCode, 200, swap.body);
  assert.is(disposed, 0, 'disposed while a request was using it');
  assert.is(whose((await predict(app, 3)).json(), 3), 'v0001');
  open();
  const r = await slow;
  assert.is(r.statusCode, 200, r.body);
  assert.is(whose(r.json(), 3), 'v0002');
  assert.is(disposed, 1);
  await app.close();
  assert.is(disposed, 1);
});

test('activate: unknown version 404 listing the known ones; other task 409; corrupted 422 naming the file; the token', async () => {
  const { app } = await serve();
  const unknown = await activate(app, 'v0099');
  assert.is(unknown.statusCode, 404);
  assert.match(unknown.json().error, /unknown version "v0099"; known: v0001, v0002, v0003, v0004/);
  assert.equal(unknown.json().known, ['v0001', 'v0002', 'v0003', 'v0004']);

  const task = await activate(app, 'v0003');
  assert.is(task.statusCode, 409);
  assert.match(task.json().error, /v0003 is a multiclass model; the server serves a binary model/);

  const corrupt = await activate(app, 'v0004');
  assert.is(corrupt.statusCode, 422);
  assert.match(corrupt.json().error, /v0004.*pipeline\.json/);

  const none = await activate(app, 'v0001', {});
  assert.is(none.statusCode, 401);
  const wrong = await activate(app, 'v0001', { authorization: 'Bearer nope' });
  assert.is(wrong.statusCode, 401);

  // None of these changed what is served or what is active.
  assert.is(ModelRegistry.open(reg).active(), 'v0002');
  assert.is((await app.inject('/health')).json().version, 'v0002');
  assert.is(whose((await predict(app, 0)).json(), 0), 'v0002');
  // GET /models stays open without the token.
  assert.is((await app.inject('/models')).statusCode, 200);
  await app.close();
});

test('learning across a swap: rows learned on the old model go with it; the new one starts with fresh metrics; a late label for an old prediction is learned, not scored', async () => {
  const { app } = await serve();
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: AUTH });
  const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec((await app.inject('/metrics')).body)?.[1]);
  // v0002 learns (opposite labels to its own), and logs a prediction for id "late".
  const rows = ROWS.map((r, i) => ({ ...r, y: (want.v0002![i]!.prediction as string) === 'yes' ? 'no' : 'yes' }));
  for (let k = 0; k < 5; k++) assert.is((await post('/learn', rows)).statusCode, 200);
  assert.is(whose((await predict(app, 0)).json(), 0), null, 'v0002 moved');
  assert.is((await post('/predict', { ...ROWS[0]!, id: 'late' })).statusCode, 200);
  assert.is(await metric('sluice_scored_rows'), 5 * ROWS.length);
  assert.is((await activate(app, 'v0001')).statusCode, 200);
  // v0001 as published: none of v0002's learning, none of its metrics.
  for (let i = 0; i < ROWS.length; i++) assert.is(whose((await predict(app, i)).json(), i), 'v0001', `row ${i}`);
  assert.is(await metric('sluice_scored_rows'), 0);
  const f = await post('/feedback', { id: 'late', label: 'yes' });
  assert.is(f.statusCode, 200, f.body);
  assert.is(await metric('sluice_scored_rows'), 0, 'a prediction of v0002 is not scored as v0001');
  assert.is(await metric('sluice_learned_rows_total{endpoint="feedback"}'), 1);
  assert.is(whose((await predict(app, 0)).json(), 0), null, 'v0001 learned the label');
  await app.close();
});

test('activate: a version with other classes is refused (409): /feedback and /learn read labels as the served model does', async () => {
  // Same task and input columns, labels up/down instead of no/yes.
  const lines = readFileSync(csv('updown.csv', 'binary'), 'utf8').replace(/,yes$/gm, ',up').replace(/,no$/gm, ',down');
  writeFileSync(join(dir, 'updown.csv'), lines);
  const r = await sluice(['train', join(dir, 'updown.csv'), '--target', 'y', '--quiet', '--registry', reg]);
  assert.is(r.code, 0, r.stderr);
  const version = ModelRegistry.open(reg).active()!;
  const { app } = await serve();
  const other = await activate(app, version);
  assert.is(other.statusCode, 409, other.body);
  assert.match(other.json().error, new RegExp(`${version} has other labels than the served model: .*"down","up".* instead of .*"no","yes"`));
  assert.is(ModelRegistry.open(reg).active(), 'v0002', 'ACTIVE unchanged');
  assert.is((await app.inject('/health')).json().version, 'v0002');
  await app.close();
});

test.run();
