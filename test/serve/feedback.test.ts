import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, loadPipeline, type SavedPipeline, type ServerOptions } from '../../src/index.js';
import { sluice } from '../cli/sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-serve-feedback-'));
const model = join(dir, 'model');
const TOKEN = 's3cret';
const AUTH = { authorization: `Bearer ${TOKEN}` };

test.before(async () => {
  const lines = ['a,b,color,y'];
  for (let i = 0; i < 300; i++) {
    const a = ((i * 37) % 101) / 10;
    const color = ['red', 'green', 'blue'][i % 3]!;
    lines.push(`${a},${((i * 13) % 7) / 2},${color},${a + (color === 'red' ? 2 : 0) > 6 ? 'yes' : 'no'}`);
  }
  writeFileSync(join(dir, 'train.csv'), `${lines.join('\n')}\n`);
  const r = await sluice(['train', join(dir, 'train.csv'), '--target', 'y', '--quiet', '--save', model]);
  assert.is(r.code, 0, r.stderr);
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A server on a fresh copy of the model, with a clock the test moves (ms). */
async function serve(options: ServerOptions = {}): Promise<{ app: FastifyInstance; saved: SavedPipeline; clock: { t: number } }> {
  const saved = await loadPipeline(model);
  const clock = { t: 0 };
  const app = createServer(saved, { token: TOKEN, now: () => clock.t, ...options });
  return { app, saved, clock };
}

function post(app: FastifyInstance, url: string, payload: string | object, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...AUTH, ...headers },
  });
}

async function series(app: FastifyInstance, name: string): Promise<number> {
  const text = (await app.inject('/metrics')).body;
  const m = new RegExp(`^${name.replace(/[{}"()[\]|.*+?^$\\/]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

const ROW = { a: 7, b: 1, color: 'blue' };

test('a label joins the prediction logged for its id: scored against it (progressive metrics), then learned', async () => {
  const { app, saved } = await serve({ metrics: ['logLoss', 'accuracy'] });
  const p = await post(app, '/predict', [
    { ...ROW, id: 'r1' },
    { ...ROW, a: 1, id: 7 },
    { ...ROW, a: 2 },
  ]);
  assert.is(p.statusCode, 200, p.body);
  const [r1, r7] = p.json();
  assert.is(r1.id, 'r1', 'the id passes through');
  assert.is(await series(app, 'sluice_feedback_ids'), 2);
  const f = await post(app, '/feedback', { id: 'r1', label: 'no' });
  assert.is(f.statusCode, 200, f.body);
  assert.equal([f.json().id, f.json().learned], ['r1', 1]);
  // Scored with the prediction made then: P(yes) was r1.probability, the label is no.
  assert.ok(Math.abs(f.json().metrics.logLoss - -Math.log(1 - Math.fround(r1.probability))) < 1e-6, JSON.stringify(f.json()));
  assert.is(f.json().metrics.accuracy, r1.probability >= 0.5 ? 0 : 1);
  assert.is(await series(app, 'sluice_learned_rows_total{endpoint="feedback"}'), 1);
  assert.is(await series(app, 'sluice_scored_rows'), 1);
  assert.is(await series(app, 'sluice_feedback_total{result="joined"}'), 1);
  // A number id and its text are one id.
  assert.is((await post(app, '/feedback', { id: '7', label: r7.prediction })).statusCode, 200);
  assert.is(await series(app, 'sluice_model_metric{name="accuracy"}'), r1.probability >= 0.5 ? 0.5 : 1);
  // A second label for r1: refused, not learned.
  const again = await post(app, '/feedback', { id: 'r1', label: 'yes' });
  assert.is(again.statusCode, 409, again.body);
  assert.equal([again.json().field, again.json().id], ['id', 'r1']);
  assert.match(again.json().error, /given already/);
  const unknown = await post(app, '/feedback', { id: 'nope', label: 'yes' });
  assert.is(unknown.statusCode, 404, unknown.body);
  assert.match(unknown.json().error, /id "nope": no prediction logged/);
  assert.is(await series(app, 'sluice_learned_rows_total{endpoint="feedback"}'), 2);
  assert.is(await series(app, 'sluice_feedback_total{result="duplicate"}'), 1);
  assert.is(await series(app, 'sluice_feedback_total{result="unknown"}'), 1);
  await app.close();
  await saved.dispose();
});

test('the window: an id older than maxAgeMs or pushed out by maxIds newer ones is a 404', async () => {
  const { app, saved, clock } = await serve({ feedback: { maxIds: 2, maxAgeMs: 1000 } });
  await post(app, '/predict', { ...ROW, id: 'old' });
  clock.t = 600;
  await post(app, '/predict', { ...ROW, id: 'mid' });
  clock.t = 1100;
  assert.is((await post(app, '/feedback', { id: 'old', label: 'no' })).statusCode, 404, 'aged out');
  assert.is((await post(app, '/feedback', { id: 'mid', label: 'no' })).statusCode, 200, 'still within the hour');
  // Count: a, b, c predicted (mid's answered id still holds a place): mid and a go.
  for (const id of ['a', 'b', 'c']) await post(app, '/predict', { ...ROW, id });
  assert.is(await series(app, 'sluice_feedback_ids'), 2);
  assert.is((await post(app, '/feedback', { id: 'a', label: 'no' })).statusCode, 404, 'evicted');
  assert.is((await post(app, '/feedback', { id: 'mid', label: 'no' })).statusCode, 404, 'its tombstone evicted too');
  assert.is((await post(app, '/feedback', { id: 'c', label: 'no' })).statusCode, 200);
  // Predicting an id again makes it new: its age starts over.
  clock.t = 1500;
  await post(app, '/predict', { ...ROW, id: 'b' });
  clock.t = 2200;
  assert.is((await post(app, '/feedback', { id: 'b', label: 'yes' })).statusCode, 200);
  await app.close();
  await saved.dispose();
});

test('a batch of labels: a status per item and the counts; the model learns the joined ones (its predictions move)', async () => {
  const { app, saved } = await serve();
  const before = (await post(app, '/predict', ROW)).json().probability as number;
  const ids = Array.from({ length: 200 }, (_, i) => `x${i}`);
  const nd = ids.map((id, i) => JSON.stringify({ ...ROW, a: 6 + (i % 30) / 10, id })).join('\n');
  assert.is((await post(app, '/predict', nd, { 'content-type': 'application/x-ndjson' })).statusCode, 200);
  const r = await post(app, '/feedback', [...ids.map((id) => ({ id, label: 'no' })), { id: 'x0', label: 'no' }, { id: 'ghost', label: 'no' }]);
  assert.is(r.statusCode, 200, r.body);
  const body = r.json();
  assert.equal([body.learned, body.unknown, body.duplicate], [200, 1, 1]);
  assert.equal(body.results[0], { id: 'x0', status: 200, learned: true });
  assert.equal([body.results[200].status, body.results[201].status], [409, 404]);
  assert.match(body.results[201].error, /ghost/);
  const after = (await post(app, '/predict', ROW)).json().probability as number;
  assert.ok(after < before - 0.05, `${before} -> ${after}`);
  assert.is(await series(app, 'sluice_learned_rows_total{endpoint="feedback"}'), 200);
  assert.is(await series(app, 'sluice_scored_rows'), 200);
  await app.close();
  await saved.dispose();
});

/** Each bad /feedback request: its body, content-type, status, and the field and row it names. */
const BAD: Array<{ what: string; body: string; type?: string; headers?: Record<string, string>; status: number; field?: string; row?: number; error: RegExp }> =
  [
    {
      what: 'a label that is not a class',
      body: '[{"id":"k","label":"no"},{"id":"k2","label":"maybe"}]',
      status: 400,
      field: 'label',
      row: 1,
      error: /row 1: field "label": expected one of the model's classes "no", "yes", got "maybe"/,
    },
    { what: 'a missing label', body: '{"id":"k"}', status: 400, field: 'label', error: /missing field "label"/ },
    { what: 'a missing id', body: '[{"id":"k","label":"no"},{"label":"no"}]', status: 400, field: 'id', row: 1, error: /row 1: missing field "id"/ },
    { what: 'an unknown field', body: '{"id":"k","label":"no","weight":2}', status: 400, field: 'weight', error: /unknown field "weight"/ },
    { what: 'a boolean id', body: '{"id":true,"label":"no"}', status: 400, field: 'id', error: /column "id": expected a string or a number, got true/ },
    { what: 'an empty id', body: '{"id":"","label":"no"}', status: 400, field: 'id', error: /non-empty string/ },
    { what: 'a nested label', body: '{"id":"k","label":["no"]}', status: 400, field: 'label', error: /nested array/ },
    { what: 'NaN is not JSON', body: '{"id":"k","label":NaN}', status: 400, error: /malformed JSON/ },
    { what: 'deep nesting', body: `${'['.repeat(1_000)}${']'.repeat(1_000)}`, status: 400, row: 0, error: /expected an object/ },
    { what: 'a scalar body', body: '3', status: 400, error: /expected a JSON object \(\{ id, label \}\)/ },
    { what: 'too many items', body: JSON.stringify(Array.from({ length: 6 }, () => ({ id: 'k', label: 'no' }))), status: 413, error: /at most 5/ },
    { what: 'a body over maxBodyBytes', body: JSON.stringify({ id: 'k'.repeat(3000), label: 'no' }), status: 413, error: /over 2048 bytes/ },
    { what: 'no token', body: '{"id":"k","label":"no"}', headers: { authorization: '' }, status: 401, field: 'authorization', error: /Authorization/ },
    {
      what: 'a wrong token',
      body: '{"id":"k","label":"no"}',
      headers: { authorization: 'Bearer nope' },
      status: 401,
      field: 'authorization',
      error: /wrong bearer token/,
    },
  ];

test('each bad /feedback request: its 4xx naming the field and row; nothing learned, the ids stay joinable, and the server goes on', async () => {
  const { app, saved } = await serve({ maxRows: 5, maxBodyBytes: 2048 });
  await post(app, '/predict', [
    { ...ROW, id: 'k' },
    { ...ROW, id: 'k2' },
  ]);
  for (const c of BAD) {
    const r = await post(app, '/feedback', c.body, { ...(c.type ? { 'content-type': c.type } : {}), ...(c.headers ?? {}) });
    assert.is(r.statusCode, c.status, `${c.what}: ${r.body}`);
    const body = r.json();
    assert.match(body.error, c.error, c.what);
    assert.is(body.field, c.field, `${c.what}: field`);
    assert.is(body.row, c.row, `${c.what}: row`);
  }
  assert.is(await series(app, 'sluice_learned_rows_total{endpoint="feedback"}'), 0);
  assert.is(await series(app, 'sluice_feedback_total{result="joined"}'), 0);
  const ok = await post(app, '/feedback', [
    { id: 'k', label: 'no' },
    { id: 'k2', label: 'yes' },
  ]);
  assert.equal([ok.statusCode, ok.json().learned], [200, 2], ok.body);
  const count = (status: number) => series(app, `sluice_http_requests_total{route="/feedback",method="POST",status="${status}"}`);
  for (const status of [400, 401, 413]) assert.is(await count(status), BAD.filter((c) => c.status === status).length, `status ${status}`);
  await app.close();
  await saved.dispose();
});

test('/predict: a bad id is a 400 naming it; the id column is configurable; feedback: false logs nothing and /feedback is a 404', async () => {
  const { app, saved } = await serve({ feedback: { idColumn: 'request_id' } });
  const bad = await post(app, '/predict', [
    { ...ROW, request_id: 'ok' },
    { ...ROW, request_id: false },
  ]);
  assert.is(bad.statusCode, 400, bad.body);
  assert.equal([bad.json().field, bad.json().row], ['request_id', 1]);
  const long = await post(app, '/predict', { ...ROW, request_id: 'x'.repeat(257) });
  assert.equal([long.statusCode, long.json().field], [400, 'request_id']);
  assert.is(await series(app, 'sluice_feedback_ids'), 0, 'nothing logged from a refused request');
  await post(app, '/predict', { ...ROW, request_id: 'q', id: 'not-this' });
  assert.is((await post(app, '/feedback', { id: 'q', label: 'yes' })).statusCode, 200);
  assert.is((await post(app, '/feedback', { id: 'not-this', label: 'yes' })).statusCode, 404);
  await app.close();
  await saved.dispose();

  const off = await serve({ feedback: false });
  assert.is((await post(off.app, '/predict', { ...ROW, id: 'z' })).statusCode, 200);
  const r = await post(off.app, '/feedback', { id: 'z', label: 'yes' });
  assert.is(r.statusCode, 404);
  assert.match(r.json().error, /feedback is off/);
  assert.ok(Number.isNaN(await series(off.app, 'sluice_feedback_ids')));
  await off.app.close();
  await off.saved.dispose();
});

test.run();
