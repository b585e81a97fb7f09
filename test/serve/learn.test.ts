import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type FeatureMatrix, loadPipeline, type Model, type SavedPipeline } from '../../src/index.js';
import { sluice } from '../cli/sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-serve-learn-'));
const TOKEN = 's3cret';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** A CSV whose label follows a and color: y (yes/no), s (a score the derived target `s > 6` reads) or v (a value). */
function csv(name: string, label: 'y' | 's' | 'v'): string {
  const lines = [`a,b,color,${label}`];
  for (let i = 0; i < 300; i++) {
    const a = ((i * 37) % 101) / 10;
    const b = ((i * 13) % 7) / 2;
    const color = ['red', 'green', 'blue'][i % 3]!;
    const s = a + (color === 'red' ? 2 : 0);
    lines.push(`${a},${b},${color},${label === 'y' ? (s > 6 ? 'yes' : 'no') : label === 's' ? s : (2 * a + b).toFixed(3)}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** A fresh copy of the model trained under `name` (each test learns on its own). */
const saved: Record<string, string> = {};
async function fresh(name: string): Promise<SavedPipeline> {
  return loadPipeline(saved[name]!);
}

test.before(async () => {
  const runs: Array<[string, 'y' | 's' | 'v', string]> = [
    ['binary', 'y', 'y'],
    ['derived', 's', 's > 6'],
    ['regression', 'v', 'v'],
  ];
  await Promise.all(
    runs.map(async ([name, label, target]) => {
      saved[name] = join(dir, name);
      const r = await sluice(['train', csv(`${name}.csv`, label), '--target', target, '--quiet', '--save', saved[name]!]);
      assert.is(r.code, 0, r.stderr);
    }),
  );
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

function post(app: FastifyInstance, url: string, payload: string | object, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...AUTH, ...headers },
  });
}

/** A value of a Prometheus series in /metrics text (NaN when absent). */
async function series(app: FastifyInstance, name: string): Promise<number> {
  const text = (await app.inject('/metrics')).body;
  const m = new RegExp(`^${name.replace(/[{}"()[\]|.*+?^$\\/]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

const ROW = { a: 7, b: 1, color: 'blue' };
/** Rows the model learned as yes (a high), taught the other way. */
const FLIPPED = Array.from({ length: 200 }, (_, i) =>
  i % 2 === 0 ? { a: 6 + (i % 40) / 10, b: (i % 7) / 2, color: 'blue', y: 'no' } : { a: (i % 40) / 10, b: (i % 7) / 2, color: 'green', y: 'yes' },
);

test('POST /learn: the model learns (its predictions move), rows learned and the progressive metrics count the rows', async () => {
  const model = await fresh('binary');
  const app = createServer(model, { token: TOKEN });
  const before = (await post(app, '/predict', ROW)).json().probability as number;
  assert.ok(before > 0.5, `trained as yes: ${before}`);
  assert.is(await series(app, 'sluice_learned_rows_total{endpoint="learn"}'), 0);
  for (let k = 0; k < 5; k++) {
    const r = await post(app, '/learn', FLIPPED);
    assert.is(r.statusCode, 200, r.body);
    assert.is(r.json().learned, FLIPPED.length);
  }
  const after = (await post(app, '/predict', ROW)).json();
  assert.ok(after.probability < before - 0.2, `learned no: ${before} -> ${after.probability}`);
  assert.is(after.prediction, 'no');
  assert.is(await series(app, 'sluice_learned_rows_total{endpoint="learn"}'), 5 * FLIPPED.length);
  assert.is(await series(app, 'sluice_scored_rows'), 5 * FLIPPED.length);
  const accuracy = await series(app, 'sluice_model_metric{name="accuracy"}');
  assert.ok(accuracy > 0 && accuracy < 1, String(accuracy));
  for (const name of ['rocAuc', 'logLoss', 'f1']) assert.ok(Number.isFinite(await series(app, `sluice_model_metric{name="${name}"}`)), name);
  await app.close();
  await model.dispose();
});

test('POST /learn is test-then-train: each row is scored by the model as it was before learning it', async () => {
  const model = await fresh('binary');
  const app = createServer(model, { token: TOKEN, metrics: ['logLoss', 'accuracy'] });
  // One row a request: the model that scores it is the one /predict answers with just before.
  let loss = 0,
    right = 0;
  const rows = FLIPPED.slice(0, 20);
  for (const row of rows) {
    const { y, ...features } = row;
    const p = (await post(app, '/predict', features)).json().probability as number;
    const q = Math.fround(p);
    loss += -Math.log(Math.max(1e-15, y === 'yes' ? q : 1 - q));
    right += p >= 0.5 === (y === 'yes') ? 1 : 0;
    const r = await post(app, '/learn', row);
    assert.is(r.statusCode, 200, r.body);
  }
  const m = (await post(app, '/learn', [])).json().metrics;
  assert.ok(Math.abs(m.logLoss - loss / rows.length) < 1e-4, `${m.logLoss} vs ${loss / rows.length}`);
  assert.is(m.accuracy, right / rows.length);
  await app.close();
  await model.dispose();
});

test('POST /learn: a derived target (s > 6) learns from the columns it reads; a regression learns values', async () => {
  const derived = await fresh('derived');
  assert.equal(derived.labelColumns, ['s']);
  const app = createServer(derived, { token: TOKEN });
  const before = (await post(app, '/predict', ROW)).json().probability as number;
  for (let k = 0; k < 5; k++) {
    const r = await post(
      app,
      '/learn',
      FLIPPED.map(({ y, ...f }) => ({ ...f, s: 1 })),
    );
    assert.is(r.statusCode, 200, r.body);
  }
  assert.ok((await post(app, '/predict', ROW)).json().probability < before - 0.2);
  const missing = await post(app, '/learn', { ...ROW, s: null });
  assert.equal([missing.statusCode, missing.json().field], [400, 's'], missing.body);
  await app.close();
  await derived.dispose();

  const regression = await fresh('regression');
  const app2 = createServer(regression, { token: TOKEN });
  const v0 = (await post(app2, '/predict', ROW)).json().prediction as number;
  for (let k = 0; k < 5; k++)
    assert.is(
      (
        await post(
          app2,
          '/learn',
          FLIPPED.map(({ y, ...f }) => ({ ...f, v: 100 })),
        )
      ).statusCode,
      200,
    );
  const v1 = (await post(app2, '/predict', ROW)).json().prediction as number;
  assert.ok(v1 > v0 + 5, `${v0} -> ${v1}`);
  assert.ok(Number.isFinite(await series(app2, 'sluice_model_metric{name="mae"}')));
  const bad = await post(app2, '/learn', { ...ROW, v: 'high' });
  assert.equal([bad.statusCode, bad.json().field], [400, 'v'], bad.body);
  await app2.close();
  await regression.dispose();
});

/** Each bad /learn request: its body, content-type, status, and the field and row it names. */
const BAD: Array<{ what: string; body: string; type?: string; headers?: Record<string, string>; status: number; field?: string; row?: number; error: RegExp }> =
  [
    {
      what: 'a label that is not a class',
      body: '[{"a":1,"b":2,"color":"red","y":"no"},{"a":1,"b":2,"color":"red","y":"maybe"}]',
      status: 400,
      field: 'y',
      row: 1,
      error: /row 1: column "y": expected one of the model's classes "no", "yes", got "maybe"/,
    },
    { what: 'a missing label', body: '{"a":1,"b":2,"color":"red"}', status: 400, field: 'y', error: /missing label column "y"/ },
    { what: 'a null label', body: '{"a":1,"b":2,"color":"red","y":null}', status: 400, field: 'y', error: /a label is needed/ },
    {
      what: 'a string in a number column',
      body: '{"a":"1","b":2,"color":"red","y":"no"}',
      status: 400,
      field: 'a',
      error: /column "a": expected a number or null, got "1"/,
    },
    {
      what: 'an unknown column',
      body: '[{"a":1,"b":2,"color":"red","y":"no"},{"a":1,"b":2,"color":"red","y":"no","colour":"red"}]',
      status: 400,
      field: 'colour',
      row: 1,
      error: /row 1: unknown column "colour"/,
    },
    {
      what: 'a prediction field',
      body: '{"a":1,"b":2,"color":"red","y":"no","probability":0.4}',
      status: 400,
      field: 'probability',
      error: /unknown column "probability"/,
    },
    { what: 'NaN is not JSON', body: '{"a":NaN,"b":2,"color":"red","y":"no"}', status: 400, error: /malformed JSON/ },
    { what: 'a number beyond a double', body: '{"a":1e999,"b":2,"color":"red","y":"no"}', status: 400, field: 'a', error: /Infinity/ },
    { what: 'deep nesting', body: `${'['.repeat(1_000)}${']'.repeat(1_000)}`, status: 400, row: 0, error: /expected an object/ },
    { what: 'a nested label', body: '{"a":1,"b":2,"color":"red","y":{"k":"no"}}', status: 400, field: 'y', error: /nested object/ },
    { what: 'malformed NDJSON', body: '{"a":1,"b":2,"color":"red","y":"no"}\n{"a":\n', type: 'application/x-ndjson', status: 400, error: /line 2/ },
    { what: 'too many rows', body: JSON.stringify(Array.from({ length: 6 }, () => ({ a: 1, b: 2, color: 'red', y: 'no' }))), status: 413, error: /at most 5/ },
    { what: 'a body over maxBodyBytes', body: JSON.stringify([{ a: 1, b: 2, color: 'x'.repeat(3000), y: 'no' }]), status: 413, error: /over 2048 bytes/ },
    { what: 'a text/plain body', body: 'a=1', type: 'text/plain', status: 415, error: /application\/json/ },
    {
      what: 'no token',
      body: '{"a":1,"b":2,"color":"red","y":"no"}',
      headers: { authorization: '' },
      status: 401,
      field: 'authorization',
      error: /Authorization/,
    },
    {
      what: 'a wrong token',
      body: '{"a":1,"b":2,"color":"red","y":"no"}',
      headers: { authorization: 'Bearer nope' },
      status: 401,
      field: 'authorization',
      error: /wrong bearer token/,
    },
  ];

test('each bad /learn request: its 4xx naming the field and row, nothing learned, and the server goes on', async () => {
  const model = await fresh('binary');
  const app = createServer(model, { token: TOKEN, maxRows: 5, maxBodyBytes: 2048 });
  const before = (await post(app, '/predict', ROW)).json();
  for (const c of BAD) {
    const r = await post(app, '/learn', c.body, { ...(c.type ? { 'content-type': c.type } : {}), ...(c.headers ?? {}) });
    assert.is(r.statusCode, c.status, `${c.what}: ${r.body}`);
    const body = r.json();
    assert.match(body.error, c.error, c.what);
    assert.is(body.field, c.field, `${c.what}: field`);
    assert.is(body.row, c.row, `${c.what}: row`);
  }
  // Nothing was learned: the first rows of the label request were fine, and still not learned.
  assert.equal((await post(app, '/predict', ROW)).json(), before);
  assert.is(await series(app, 'sluice_learned_rows_total{endpoint="learn"}'), 0);
  assert.is(await series(app, 'sluice_scored_rows'), 0);
  const ok = await post(app, '/learn', [{ a: 1, b: 2, color: 'red', y: 'no', id: 'r1' }]);
  assert.equal([ok.statusCode, ok.json().learned], [200, 1], ok.body);
  const count = (status: number) => series(app, `sluice_http_requests_total{route="/learn",method="POST",status="${status}"}`);
  for (const status of [400, 401, 413, 415]) assert.is(await count(status), BAD.filter((c) => c.status === status).length, `status ${status}`);
  await app.close();
  await model.dispose();
});

test('learn: false answers /learn and /feedback 403 and /predict still serves', async () => {
  const model = await fresh('binary');
  const app = createServer(model, { learn: false });
  const r = await post(app, '/learn', { ...ROW, y: 'no' });
  assert.is(r.statusCode, 403);
  assert.match(r.json().error, /learning is off/);
  assert.is((await post(app, '/feedback', { id: 'a', label: 'no' })).statusCode, 403);
  assert.is((await post(app, '/predict', ROW)).statusCode, 200);
  await app.close();
  await model.dispose();
});

test('a /predict during an update that waits on its device waits for the whole update, and never sees it half done', async () => {
  const model = await fresh('binary');
  const real = model.model;
  // A stand-in for a GPU model: each learn awaits a device read between moving its weights and finishing.
  let phase: 'before' | 'half' | 'after' = 'before';
  const slow: Model = Object.create(real, {
    testThenTrain: { value: undefined },
    predict: {
      value: async (x: FeatureMatrix) => {
        const p = await real.predict(x);
        return p.fill(phase === 'before' ? 0.25 : phase === 'half' ? 0.5 : 0.75);
      },
    },
    learn: {
      value: async () => {
        phase = 'half';
        await new Promise((r) => setTimeout(r, 30));
        phase = 'after';
      },
    },
  });
  const wrapped = Object.create(model, { model: { value: slow } }) as SavedPipeline;
  const app = createServer(wrapped, { token: TOKEN });
  assert.is((await post(app, '/predict', ROW)).json().probability, 0.25);
  const learning = post(app, '/learn', { ...ROW, y: 'no' });
  while (phase === 'before') await new Promise((r) => setTimeout(r, 1));
  assert.is(phase, 'half');
  const p = await post(app, '/predict', ROW);
  assert.is(p.json().probability, 0.75);
  assert.is((await learning).statusCode, 200);
  await app.close();
  await model.dispose();
});

test('drift: the detector watches the errors of the rows learned; its alarms count in /metrics', async () => {
  const model = await fresh('binary');
  const app = createServer(model, { token: TOKEN, drift: 'ddm' });
  assert.is(await series(app, 'sluice_drift_events_total{signal="drift"}'), 0);
  // Rows it gets right, then the same rows relabelled: its error jumps.
  const right = FLIPPED.map((r) => ({ ...r, y: 'yes' }));
  for (let k = 0; k < 3; k++) assert.is((await post(app, '/learn', right)).statusCode, 200);
  assert.is(await series(app, 'sluice_drift_events_total{signal="drift"}'), 0);
  for (let k = 0; k < 3; k++) assert.is((await post(app, '/learn', FLIPPED)).statusCode, 200);
  assert.ok((await series(app, 'sluice_drift_events_total{signal="drift"}')) >= 1);
  await app.close();
  await model.dispose();
});

test('options are checked', async () => {
  const model = await fresh('binary');
  assert.throws(() => createServer(model, { metrics: ['mae'] }), /"mae" is a regression metric/);
  assert.throws(() => createServer(model, { drift: 'nope' }), /drift/);
  assert.throws(() => createServer(model, { feedback: { maxIds: 0 } }), /maxIds/);
  assert.throws(() => createServer(model, { feedback: { maxAgeMs: -1 } }), /maxAgeMs/);
  await model.dispose();
});

test.run();
