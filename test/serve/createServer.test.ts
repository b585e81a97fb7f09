import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, Batch, createServer, loadPipeline, type SavedPipeline, Schema } from '../../src/index.js';
import { sluice } from '../cli/sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-serve-'));
let binary: SavedPipeline;
let multi: SavedPipeline;

/** A CSV whose class follows a, b and color (binary yes/no, or three kinds). */
function csv(name: string, multiclass: boolean): string {
  const lines = ['a,b,color,y'];
  for (let i = 0; i < 300; i++) {
    const a = ((i * 37) % 101) / 10;
    const b = ((i * 13) % 7) / 2;
    const color = ['red', 'green', 'blue'][i % 3]!;
    const s = a + (color === 'red' ? 2 : 0);
    const y = multiclass ? (s < 4 ? 'low' : s < 8 ? 'mid' : 'high') : s > 6 ? 'yes' : 'no';
    lines.push(`${a},${b},${color},${y}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function train(name: string, multiclass: boolean): Promise<SavedPipeline> {
  const save = join(dir, name);
  const r = await sluice(['train', csv(`${name}.csv`, multiclass), '--target', 'y', '--quiet', '--save', save]);
  assert.is(r.code, 0, r.stderr);
  return loadPipeline(save);
}

test.before(async () => {
  [binary, multi] = await Promise.all([train('binary', false), train('multi', true)]);
});
test.after(async () => {
  await binary?.dispose();
  await multi?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const ROWS = [
  { a: 1, b: 2, color: 'red' },
  { a: 7.5, b: 0.5, color: 'blue', id: 'x1' },
  { a: null, b: 3, color: 'green' },
  { a: 4, b: 1, color: 'purple' },
];

/** What predictBatch gives for the model's columns of `rows`, as row objects. */
async function expected(model: SavedPipeline, rows: Array<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
  const schema = new Schema(Object.entries(model.inputTypes!).map(([name, type]) => ({ name, type, nullable: true })));
  const out = (await model.predictBatch(Batch.fromRows(rows, schema))).toRows();
  return rows.map((r, i) => {
    const { a, b, color, ...added } = out[i]!;
    return { ...r, ...added };
  });
}

function post(app: FastifyInstance, payload: string | object, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/predict',
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

test('an array of rows: the input fields plus the same predictions as predictBatch', async () => {
  const app = createServer(binary);
  const r = await post(app, ROWS);
  assert.is(r.statusCode, 200, r.body);
  const body = r.json();
  assert.equal(body, await expected(binary, ROWS));
  assert.equal(Object.keys(body[1]), ['a', 'b', 'color', 'id', 'prediction', 'probability']);
  assert.ok(['yes', 'no'].includes(body[0].prediction));
  await app.close();
});

test('multiclass: prediction and probability_<class> for each class', async () => {
  const app = createServer(multi);
  const r = await post(app, ROWS);
  assert.is(r.statusCode, 200, r.body);
  const body = r.json();
  assert.equal(body, await expected(multi, ROWS));
  for (const c of multi.classes!) assert.type(body[0][`probability_${c}`], 'number');
  await app.close();
});

test('one object in, one object out; NDJSON in, NDJSON out', async () => {
  const app = createServer(binary);
  const want = await expected(binary, ROWS);
  const one = await post(app, ROWS[1]!);
  assert.is(one.statusCode, 200, one.body);
  assert.equal(one.json(), want[1]);
  const nd = await post(app, `${ROWS.map((r) => JSON.stringify(r)).join('\n')}\n\n`, { 'content-type': 'application/x-ndjson' });
  assert.is(nd.statusCode, 200, nd.body);
  assert.match(String(nd.headers['content-type']), /^application\/x-ndjson/);
  assert.equal(
    nd.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
    want,
  );
  // Lines as sent (spaces inside, an escaped string), each answered with the fields appended.
  const spaced = await post(app, `{ "a" : 1, "b": 2, "color": "red", "note": "say \\"hi\\"" }\n`, { 'content-type': 'application/x-ndjson' });
  assert.is(spaced.statusCode, 200, spaced.body);
  assert.equal(JSON.parse(spaced.body), { ...want[0], note: 'say "hi"' });
  const empty = await post(app, []);
  assert.equal([empty.statusCode, empty.json()], [200, []]);
  await app.close();
});

/** Each bad request: its body, content-type, expected status and the field (and row) it names. */
const BAD: Array<{ what: string; body: string; type?: string; status: number; field?: string; row?: number; error: RegExp }> = [
  {
    what: 'a string in a number column',
    body: '{"a":"3","b":2,"color":"red"}',
    status: 400,
    field: 'a',
    error: /column "a": expected a number or null, got "3"/,
  },
  {
    what: 'a boolean in a number column, row 1',
    body: '[{"a":1,"b":2,"color":"red"},{"a":1,"b":true,"color":"red"}]',
    status: 400,
    field: 'b',
    row: 1,
    error: /row 1: column "b"/,
  },
  { what: 'a number too large for a double', body: '{"a":1e999,"b":2,"color":"red"}', status: 400, field: 'a', error: /Infinity/ },
  { what: 'NaN is not JSON', body: '{"a":NaN,"b":2,"color":"red"}', status: 400, error: /malformed JSON/ },
  {
    what: 'a missing feature column',
    body: '[{"a":1,"b":2,"color":"red"},{"a":1,"color":"red"}]',
    status: 400,
    field: 'b',
    row: 1,
    error: /missing column "b"/,
  },
  { what: 'a nested object in an extra column', body: '{"a":1,"b":2,"color":"red","meta":{"k":1}}', status: 400, field: 'meta', error: /nested object/ },
  { what: 'a nested array as a cell', body: '{"a":[1],"b":2,"color":"red"}', status: 400, field: 'a', error: /nested array/ },
  { what: 'malformed JSON', body: '{"a":1,', status: 400, error: /malformed JSON/ },
  { what: 'deep nesting', body: `${'['.repeat(1_000)}${']'.repeat(1_000)}`, status: 400, row: 0, error: /expected an object/ },
  { what: 'a scalar body', body: '"a"', status: 400, error: /expected a JSON object/ },
  { what: 'a field the prediction adds', body: '{"a":1,"b":2,"color":"red","prediction":"no"}', status: 400, field: 'prediction', error: /already has/ },
  { what: 'a __proto__ key', body: '{"__proto__":{"admin":true},"a":1,"b":2,"color":"red"}', status: 400, error: /__proto__/ },
  { what: 'malformed NDJSON', body: '{"a":1,"b":2,"color":"red"}\n{"a":\n', type: 'application/x-ndjson', status: 400, error: /line 2/ },
  { what: 'a text/plain body', body: 'a=1', type: 'text/plain', status: 415, error: /application\/json/ },
  { what: 'too many rows', body: JSON.stringify(Array.from({ length: 6 }, () => ROWS[0])), status: 413, error: /too many rows: 6, at most 5/ },
  {
    what: 'too many NDJSON rows',
    body: Array.from({ length: 6 }, () => JSON.stringify(ROWS[0])).join('\n'),
    type: 'application/x-ndjson',
    status: 413,
    error: /at most 5/,
  },
  { what: 'a body over maxBodyBytes', body: JSON.stringify([{ ...ROWS[0], pad: 'x'.repeat(3000) }]), status: 413, error: /over 2048 bytes/ },
];

test('each bad request: its 4xx, a JSON { error, field } naming what is wrong, and the server goes on', async () => {
  const app = createServer(binary, { maxRows: 5, maxBodyBytes: 2048 });
  for (const c of BAD) {
    const r = await post(app, c.body, c.type ? { 'content-type': c.type } : {});
    assert.is(r.statusCode, c.status, `${c.what}: ${r.body}`);
    const body = r.json();
    assert.match(body.error, c.error, c.what);
    assert.is(body.field, c.field, `${c.what}: field`);
    assert.is(body.row, c.row, `${c.what}: row`);
  }
  // Still serving, and the books say so.
  const ok = await post(app, ROWS);
  assert.is(ok.statusCode, 200);
  const metrics = (await app.inject('/metrics')).body;
  const count = (status: number) =>
    Number(new RegExp(`sluice_http_requests_total\\{route="/predict",method="POST",status="${status}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
  for (const status of [400, 413, 415]) assert.is(count(status), BAD.filter((c) => c.status === status).length, `status ${status}`);
  assert.is(count(200), 1);
  assert.match(metrics, /sluice_predicted_rows_total 4\n/);
  await app.close();
});

test('nesting as deep as the default body limit allows is a 400, not a crash', async () => {
  const app = createServer(binary);
  const depth = 500_000;
  const r = await post(app, `${'['.repeat(depth)}${']'.repeat(depth)}`);
  assert.is(r.statusCode, 400, r.body);
  assert.is((await post(app, ROWS[0]!)).statusCode, 200);
  await app.close();
});

test('a row the pipeline rejects: 422 naming the row and the reason', async () => {
  // A stand-in for a step that rejects row 1 (the CLI's default steps impute rather than reject).
  const model = Object.create(binary) as SavedPipeline;
  model.predictBatch = async () => {
    throw new BadInputError('range', { source: 'validate', line: 2, field: 'a', value: '99' }, 'above the maximum 10');
  };
  const app = createServer(model);
  const r = await post(app, ROWS);
  assert.is(r.statusCode, 422, r.body);
  const body = r.json();
  assert.equal([body.row, body.field, body.reason], [1, 'a', 'range']);
  assert.match(body.error, /^row 1: rejected by the model's validate step: range/);
  await app.close();
});

test('a bearer token guards POST; /health and /metrics stay open', async () => {
  const app = createServer(binary, { token: 's3cret', version: 'v0007' });
  const none = await post(app, ROWS[0]!);
  assert.is(none.statusCode, 401);
  assert.is(none.headers['www-authenticate'], 'Bearer');
  assert.match(none.json().error, /Authorization/);
  assert.is((await post(app, ROWS[0]!, { authorization: 'Bearer wrong' })).statusCode, 401);
  assert.is((await post(app, ROWS[0]!, { authorization: 's3cret' })).statusCode, 401);
  assert.is((await post(app, ROWS[0]!, { authorization: 'Bearer s3cret' })).statusCode, 200);
  const health = await app.inject('/health');
  assert.equal([health.statusCode, health.json()], [200, { status: 'ok', task: 'binary', version: 'v0007' }]);
  const metrics = await app.inject('/metrics');
  assert.is(metrics.statusCode, 200);
  assert.match(metrics.body, /sluice_http_requests_total\{route="\/predict",method="POST",status="401"\} 3/);
  assert.match(metrics.body, /sluice_model_info\{task="binary",version="v0007"\} 1/);
  assert.match(metrics.body, /sluice_http_request_duration_seconds_count\{route="\/predict",method="POST"\} 4/);
  await app.close();
});

test('unknown paths are a 404 in JSON under one metrics label; each server counts alone', async () => {
  const a = createServer(binary),
    b = createServer(binary);
  const r = await a.inject('/admin/../etc');
  assert.is(r.statusCode, 404);
  assert.match(r.json().error, /POST \/predict/);
  assert.match((await a.inject('/metrics')).body, /route="unmatched",method="GET",status="404"\} 1/);
  assert.not.match((await b.inject('/metrics')).body, /unmatched/);
  await a.close();
  await b.close();
});

test('options are checked', () => {
  assert.throws(() => createServer(binary, { maxRows: 0 }), /maxRows/);
  assert.throws(() => createServer(binary, { maxBodyBytes: 1.5 }), /maxBodyBytes/);
  assert.throws(() => createServer(binary, { token: '' }), /token/);
});

test.run();
