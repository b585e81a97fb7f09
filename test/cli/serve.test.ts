import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serveCommand } from '../../src/cli/serveCommand.js';
import { UsageError } from '../../src/cli/UsageError.js';
import { ModelRegistry } from '../../src/index.js';
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

test('sluice serve REG --learn-from FILE --publish-every S: learns the file while serving, says when it ends, publishes v0002 and serves it', async () => {
  // A registry whose v0001 is the saved model.
  const reg = join(dir, 'reg-learn');
  const registry = ModelRegistry.open(reg, { create: true });
  const staged = registry.stage();
  for (const f of ['pipeline.json', 'report.json']) cpSync(join(model, f), join(staged, f));
  registry.publish(staged);
  const lines = ['x,city,y'];
  for (let i = 0; i < 3000; i++) {
    const x = ((i * 53) % 211) / 105 - 1;
    lines.push(`${x},${['a', 'b', 'c'][i % 3]},${i === 7 ? '' : x > 0 ? 'down' : 'up'}`);
  }
  const stream = join(dir, 'stream.csv');
  writeFileSync(stream, `${lines.join('\n')}\n`);
  const state: { answered?: Promise<{ health: { version: string; learnFrom: Record<string, unknown> }; models: { serving: string }; predict: number }> } = {};
  const run = await sluice(['serve', reg, '--port', '0', '--learn-from', stream, '--publish-every', '0.2'], (stderr, child) => {
    const m = /serving .* on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
    // A scheduled publish can come before the whole file is learned (a loaded machine): wait for the one with every row.
    if (!m || state.answered || !/the source ended/.test(stderr) || !/published v\d+ \(schedule; parent v\d+; 2999 rows learned since v0001\)/.test(stderr))
      return;
    const url = m[1]!;
    state.answered = (async () => {
      try {
        const predict = (await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":0.5,"city":"a"}' }))
          .status;
        const health = (await (await fetch(`${url}/health`)).json()) as { version: string; learnFrom: Record<string, unknown> };
        const models = (await (await fetch(`${url}/models`)).json()) as { serving: string };
        return { health, models, predict };
      } finally {
        child.kill('SIGINT');
      }
    })();
  });
  assert.ok(state.answered, run.stderr);
  const got = await state.answered!;
  assert.is(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /sluice serve: learning from .*stream\.csv: the source ended after 3000 rows \(2999 learned, 1 skipped \(label 1\)\); learning stopped, serving goes on/,
  );
  const last = /sluice serve: published (v\d+) \(schedule; parent (v\d+); 2999 rows learned since v0001\)/.exec(run.stderr);
  assert.ok(last, run.stderr);
  const version = last![1]!;
  assert.match(run.stderr, /sluice serve: published v0002 \(schedule; parent v0001; \d+ rows learned since v0001\)/);
  assert.is(got.predict, 200);
  assert.is(got.health.version, version);
  assert.equal(got.health.learnFrom.state, 'ended');
  assert.is(got.health.learnFrom.learned, 2999);
  assert.is(got.models.serving, version);
  assert.is(readFileSync(join(reg, 'ACTIVE'), 'utf8').trim(), version);
});

test('sluice serve --learn-from and --publish-*: a missing stream file fails before listening (exit 1); publishing without a registry or drift is a usage error (exit 2)', async () => {
  const missing = await sluice(['serve', model, '--port', '0', '--learn-from', join(dir, 'nope.csv')]);
  assert.is(missing.code, 1, missing.stderr);
  assert.match(missing.stderr, /^sluice: .*nope\.csv: no such file/m);
  assert.not.match(missing.stderr, /serving .* on http/);
  const plain = await sluice(['serve', model, '--port', '0', '--publish-every', '5']);
  assert.is(plain.code, 2, plain.stderr);
  assert.match(plain.stderr, /--publish-every: publishing writes new versions to a model registry, and .* is a saved directory, not one/);
  assert.not.match(plain.stderr, /serving .* on http/);
  // The other refusals are the same UsageError, found before anything is loaded (in-process here).
  const io = { out: () => {}, err: () => {} };
  for (const [flags, error] of [
    [['--publish-on-drift'], /--publish-on-drift: needs --drift D/],
    [['--bad-rows', 'skip'], /--bad-rows: applies to the stream of --learn-from, which is not given/],
    [['--learn-from', join(dir, 'train.csv'), '--no-learn'], /--learn-from and --no-learn/],
    [['--publish-every', '0'], /--publish-every: expected a number in \(0, Infinity\)/],
    [['--learn-from', 'http://example.com/x.csv'], /unsupported URL/],
  ] as const) {
    try {
      await serveCommand.run([model, '--port', '0', ...flags], io);
      assert.unreachable(flags.join(' '));
    } catch (e) {
      assert.instance(e, UsageError, `${flags.join(' ')}: ${String(e)}`);
      assert.match((e as Error).message, error);
    }
  }
});

test.run();
