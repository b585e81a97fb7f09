import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import type { FastifyInstance } from 'fastify';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, loadPipeline } from '../../src/index.js';
import { sluice } from '../cli/sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-serve-arrow-'));
const ARROW = 'application/vnd.apache.arrow.stream';
const paths: Record<string, string> = {};

test.before(async () => {
  await Promise.all(
    (['binary', 'multi'] as const).map(async (kind) => {
      const lines = ['a,b,color,y'];
      for (let i = 0; i < 300; i++) {
        const a = ((i * 37) % 101) / 10;
        const color = ['red', 'green', 'blue'][i % 3]!;
        const s = a + (color === 'red' ? 2 : 0);
        lines.push(`${a},${((i * 13) % 7) / 2},${color},${kind === 'multi' ? (s < 4 ? 'low' : s < 8 ? 'mid' : 'high') : s > 6 ? 'yes' : 'no'}`);
      }
      writeFileSync(join(dir, `${kind}.csv`), `${lines.join('\n')}\n`);
      paths[kind] = join(dir, kind);
      const r = await sluice(['train', join(dir, `${kind}.csv`), '--target', 'y', '--quiet', '--save', paths[kind]!]);
      assert.is(r.code, 0, r.stderr);
    }),
  );
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = [
  { a: 1, b: 2, color: 'red', id: 'r0' },
  { a: 7.5, b: 0.5, color: 'blue', id: 'r1' },
  { a: null, b: 3, color: 'green', id: 'r2' },
  { a: 4, b: 1, color: 'purple', id: 'r3' },
];

function post(app: FastifyInstance, url: string, payload: Buffer | Uint8Array | string | object, type = ARROW) {
  return app.inject({
    method: 'POST',
    url,
    payload: typeof payload === 'string' || payload instanceof Uint8Array ? Buffer.from(payload as never) : JSON.stringify(payload),
    headers: { 'content-type': type },
  });
}

/** The rows as an Arrow IPC stream: a and b float64, color and id utf8 dictionaries. */
function ipc(rows: ReadonlyArray<Record<string, unknown>>, batches = 1): Uint8Array {
  const table = (part: ReadonlyArray<Record<string, unknown>>) =>
    new arrow.Table({
      a: arrow.vectorFromArray(
        part.map((r) => r.a as number | null),
        new arrow.Float64(),
      ),
      b: arrow.vectorFromArray(
        part.map((r) => r.b as number | null),
        new arrow.Float64(),
      ),
      color: arrow.vectorFromArray(part.map((r) => r.color as string)),
      id: arrow.vectorFromArray(part.map((r) => r.id as string)),
    });
  if (batches === 1) return arrow.tableToIPC(table(rows), 'stream');
  const half = Math.ceil(rows.length / 2);
  return arrow.tableToIPC(table(rows.slice(0, half)).concat(table(rows.slice(half))), 'stream');
}

function rowsOf(body: Buffer): Array<Record<string, unknown>> {
  return arrow
    .tableFromIPC(body)
    .toArray()
    .map((r) => ({ ...r.toJSON() }));
}

test('Arrow in, Arrow out: the columns sent plus the same predictions as the JSON answer (one or several record batches)', async () => {
  for (const kind of ['binary', 'multi'] as const) {
    const model = await loadPipeline(paths[kind]!);
    const app = createServer(model);
    const json = (await post(app, '/predict', ROWS, 'application/json')).json();
    for (const batches of [1, 2]) {
      const r = await post(app, '/predict', ipc(ROWS, batches));
      assert.is(r.statusCode, 200, r.body);
      assert.match(String(r.headers['content-type']), /^application\/vnd\.apache\.arrow\.stream/);
      const got = rowsOf(r.rawPayload);
      assert.equal(Object.keys(got[0]!), Object.keys(json[0]));
      assert.equal(got, json, `${kind}, ${batches} batch(es)`);
    }
    await app.close();
    await model.dispose();
  }
});

test('Arrow: an int column where numbers are read, a missing value as null; the ids are logged for /feedback', async () => {
  const model = await loadPipeline(paths.binary!);
  const app = createServer(model);
  const table = arrow.tableFromArrays({ a: Int32Array.from([1, 8]), b: new Float64Array([2, 0.5]), color: ['red', 'blue'], id: ['i0', 'i1'] });
  const r = await post(app, '/predict', arrow.tableToIPC(table, 'stream'));
  assert.is(r.statusCode, 200, r.body);
  const json = (
    await post(
      app,
      '/predict',
      [
        { a: 1, b: 2, color: 'red' },
        { a: 8, b: 0.5, color: 'blue' },
      ],
      'application/json',
    )
  ).json();
  assert.equal(
    rowsOf(r.rawPayload).map((x) => x.probability),
    json.map((x: { probability: number }) => x.probability),
  );
  const f = await post(app, '/feedback', [{ id: 'i1', label: 'no' }], 'application/json');
  assert.equal([f.statusCode, f.json().learned], [200, 1], f.body);
  await app.close();
  await model.dispose();
});

test('Arrow /learn and /feedback bodies', async () => {
  const model = await loadPipeline(paths.binary!);
  const app = createServer(model);
  const rows = Array.from({ length: 100 }, (_, i) => ({ a: 6 + (i % 30) / 10, b: 1, color: 'blue', id: `l${i}` }));
  const before = (await post(app, '/predict', rows[0]!, 'application/json')).json().probability as number;
  const table = arrow.tableFromArrays({
    a: Float64Array.from(rows.map((r) => r.a)),
    b: Float64Array.from(rows.map((r) => r.b)),
    color: rows.map((r) => r.color),
    y: rows.map(() => 'no'),
  });
  for (let k = 0; k < 3; k++) {
    const r = await post(app, '/learn', arrow.tableToIPC(table, 'stream'));
    assert.equal([r.statusCode, r.json().learned], [200, 100], r.body);
  }
  assert.ok((await post(app, '/predict', rows[0]!, 'application/json')).json().probability < before - 0.1);
  await post(app, '/predict', ipc(rows.slice(0, 3)));
  const fb = arrow.tableFromArrays({ id: ['l0', 'l1', 'zz'], label: ['no', 'yes', 'no'] });
  const r = await post(app, '/feedback', arrow.tableToIPC(fb, 'stream'));
  assert.is(r.statusCode, 200, r.body);
  assert.equal([r.json().learned, r.json().unknown], [2, 1]);
  const badLabel = await post(app, '/learn', arrow.tableToIPC(arrow.tableFromArrays({ a: [1], b: [1], color: ['red'], y: ['maybe'] }), 'stream'));
  assert.equal([badLabel.statusCode, badLabel.json().field], [400, 'y'], badLabel.body);
  const extra = await post(app, '/learn', arrow.tableToIPC(arrow.tableFromArrays({ a: [1], b: [1], color: ['red'], y: ['no'], w: [1] }), 'stream'));
  assert.equal([extra.statusCode, extra.json().field], [400, 'w'], extra.body);
  await app.close();
  await model.dispose();
});

test('bad Arrow bodies: a 4xx naming the column (and row), and the server goes on', async () => {
  const model = await loadPipeline(paths.binary!);
  const app = createServer(model, { maxRows: 3 });
  const cases: Array<{ what: string; body: Uint8Array | string; status: number; field?: string; row?: number; error: RegExp }> = [
    {
      what: 'NaN in a number column',
      body: arrow.tableToIPC(arrow.tableFromArrays({ a: new Float64Array([1, Number.NaN]), b: new Float64Array([1, 1]), color: ['red', 'red'] }), 'stream'),
      status: 400,
      field: 'a',
      row: 1,
      error: /row 1: column "a": expected a finite number, got NaN/,
    },
    {
      what: 'a missing column',
      body: arrow.tableToIPC(arrow.tableFromArrays({ a: new Float64Array([1]), color: ['red'] }), 'stream'),
      status: 400,
      field: 'b',
      error: /missing column "b"/,
    },
    {
      what: 'strings in a number column',
      body: arrow.tableToIPC(arrow.tableFromArrays({ a: ['1'], b: new Float64Array([1]), color: ['red'] }), 'stream'),
      status: 400,
      field: 'a',
      error: /column "a": expected numbers, got an Arrow category column/,
    },
    {
      what: 'a field the prediction adds',
      body: arrow.tableToIPC(
        arrow.tableFromArrays({ a: new Float64Array([1]), b: new Float64Array([1]), color: ['red'], probability: new Float64Array([1]) }),
        'stream',
      ),
      status: 400,
      field: 'probability',
      error: /already has/,
    },
    { what: 'bytes that are not Arrow', body: 'not an arrow stream at all', status: 400, error: /malformed Arrow IPC body/ },
    { what: 'too many rows', body: ipc([...ROWS, ...ROWS]), status: 413, error: /too many rows: 8, at most 3/ },
  ];
  for (const c of cases) {
    const r = await post(app, '/predict', c.body);
    assert.is(r.statusCode, c.status, `${c.what}: ${r.body}`);
    const body = r.json();
    assert.match(body.error, c.error, c.what);
    assert.is(body.field, c.field, `${c.what}: field`);
    assert.is(body.row, c.row, `${c.what}: row`);
  }
  assert.is((await post(app, '/predict', ipc(ROWS.slice(0, 2)))).statusCode, 200);
  await app.close();
  await model.dispose();
});

test.run();
