import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-serve-cli-'));
const model = join(dir, 'model');

test.before(async () => {
  const lines = ['x,city,y'];
  for (let i = 0; i < 200; i++) {
    const x = ((i * 37) % 101) / 50 - 1;
    lines.push(`${x},${['a', 'b', 'c'][i % 3]},${x > 0 ? 'up' : 'down'}`);
  }
  const csv = join(dir, 'train.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const r = await sluice(['train', csv, '--target', 'y', '--quiet', '--save', model]);
  assert.is(r.code, 0, r.stderr);
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('sluice serve DIR --port 0: prints its URL, predicts over HTTP, exits 0 on SIGINT', async () => {
  // Set from the stderr callback (a holder, so the type is not narrowed to its first value).
  const state: { answered?: Promise<{ status: number; body: unknown; health: unknown; learned: unknown[]; metrics: string }> } = {};
  const flags = ['--id-column', 'rid', '--feedback-max-age', '60', '--metrics', 'accuracy,logLoss', '--drift', 'page-hinkley'];
  const run = await sluice(['serve', model, '--port', '0', '--token', 't0k', ...flags], (stderr, child) => {
    const m = /serving .* \(binary\) on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
    if (!m || state.answered) return;
    const url = m[1]!;
    state.answered = (async () => {
      try {
        const r = await fetch(`${url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer t0k' },
          body: JSON.stringify({ x: 0.8, city: 'a', note: 'kept', rid: 'q1' }),
        });
        const health = await (await fetch(`${url}/health`)).json();
        const learned: unknown[] = [];
        for (const [path, body] of [
          ['feedback', { id: 'q1', label: 'down' }],
          ['learn', [{ x: 0.5, city: 'b', y: 'down' }]],
        ] as const) {
          const l = await fetch(`${url}/${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: 'Bearer t0k' },
            body: JSON.stringify(body),
          });
          learned.push([l.status, await l.json()]);
        }
        const metrics = await (await fetch(`${url}/metrics`)).text();
        return { status: r.status, body: await r.json(), health, learned, metrics };
      } finally {
        child.kill('SIGINT');
      }
    })();
  });
  assert.ok(state.answered, run.stderr);
  const got = await state.answered!;
  assert.is(got.status, 200, JSON.stringify(got.body));
  const body = got.body as Record<string, unknown>;
  assert.equal([body.x, body.city, body.note], [0.8, 'a', 'kept']);
  assert.ok(body.prediction === 'up' || body.prediction === 'down', JSON.stringify(body));
  assert.type(body.probability, 'number');
  assert.equal(got.health, { status: 'ok', task: 'binary' });
  // --id-column rid logged q1; its late label and a labelled row are learned, each scored first.
  assert.equal(
    got.learned.map((l) => (l as [number, unknown])[0]),
    [200, 200],
    JSON.stringify(got.learned),
  );
  assert.equal(Object.keys((got.learned[1] as [number, { metrics: object }])[1].metrics), ['accuracy', 'logLoss']);
  assert.match(got.metrics, /sluice_learned_rows_total\{endpoint="feedback"\} 1\n/);
  assert.match(got.metrics, /sluice_learned_rows_total\{endpoint="learn"\} 1\n/);
  assert.match(got.metrics, /sluice_scored_rows 2\n/);
  assert.match(got.metrics, /sluice_drift_events_total\{signal="drift"\} 0\n/);
  assert.match(got.metrics, /sluice_feedback_ids 1\n/);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, /SIGINT, closing/);
});

test('sluice serve REG: GET /models lists the versions; POST /models/v0001/activate swaps to it', async () => {
  const reg = join(dir, 'reg');
  const csv = join(dir, 'train.csv');
  for (let k = 0; k < 2; k++) {
    const r = await sluice(['train', csv, '--target', 'y', '--quiet', '--registry', reg]);
    assert.is(r.code, 0, r.stderr);
  }
  const state: { answered?: Promise<{ models: unknown; status: number; swap: unknown; health: unknown }> } = {};
  const run = await sluice(['serve', reg, '--port', '0', '--token', 't0k'], (stderr, child) => {
    const m = /serving .* \(binary v0002\) on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
    if (!m || state.answered) return;
    const url = m[1]!;
    state.answered = (async () => {
      try {
        const models = await (await fetch(`${url}/models`)).json();
        const r = await fetch(`${url}/models/v0001/activate`, { method: 'POST', headers: { authorization: 'Bearer t0k' } });
        const swap = await r.json();
        const health = await (await fetch(`${url}/health`)).json();
        return { models, status: r.status, swap, health };
      } finally {
        child.kill('SIGINT');
      }
    })();
  });
  assert.ok(state.answered, run.stderr);
  const got = await state.answered!;
  const models = got.models as { active: string; serving: string; versions: Array<{ version: string }> };
  assert.is(models.active, 'v0002');
  assert.is(models.serving, 'v0002');
  assert.equal(
    models.versions.map((v) => v.version),
    ['v0001', 'v0002'],
  );
  assert.is(got.status, 200, JSON.stringify(got.swap));
  assert.equal(got.swap, { serving: 'v0001', previous: 'v0002' });
  assert.equal(got.health, { status: 'ok', task: 'binary', version: 'v0001' });
  assert.is(run.code, 0, run.stderr);
  assert.is(readFileSync(join(reg, 'ACTIVE'), 'utf8').trim(), 'v0001');
});

test('sluice serve: a missing model is an error before listening; bad flags are usage errors', async () => {
  const missing = await sluice(['serve', join(dir, 'nope'), '--port', '0']);
  assert.is(missing.code, 1, missing.stderr);
  assert.match(missing.stderr, /no such model directory/);
  assert.not.match(missing.stderr, /serving/);
  const port = await sluice(['serve', model, '--port', '70000']);
  assert.is(port.code, 2);
  assert.match(port.stderr, /--port/);
  const none = await sluice(['serve']);
  assert.is(none.code, 2);
  assert.match(none.stderr, /expected a model directory/);
  for (const [flags, error] of [
    [['--drift', 'nope'], /--drift: expected one of adwin\|page-hinkley/],
    [['--no-feedback', '--id-column', 'rid'], /--id-column and --no-feedback/],
    [['--feedback-max-age', '0'], /--feedback-max-age/],
    [['--feedback-max-ids', '1.5'], /--feedback-max-ids/],
    [['--rolling', '0'], /--rolling/],
  ] as const) {
    const r = await sluice(['serve', model, '--port', '0', ...flags]);
    assert.is(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, error);
  }
  // A metric that does not fit the task is refused before listening.
  const metric = await sluice(['serve', model, '--port', '0', '--metrics', 'mae']);
  assert.is(metric.code, 2, metric.stderr);
  assert.match(metric.stderr, /"mae" is a regression metric/);
  assert.not.match(metric.stderr, /serving/);
});

test.run();
