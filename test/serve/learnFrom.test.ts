import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadRows, Batch, createServer, loadPipeline } from '../../src/index.js';
import { buildPipeline } from '../../src/pipeline/index.js';
import type { LearnFromStatus } from '../../src/serve/index.js';
import { ServedModel } from '../../src/serve/ServedModel.js';
import { sluice } from '../cli/sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-serve-learnfrom-'));
const model = join(dir, 'model');
const mlp = join(dir, 'mlp');

/** Rows whose label follows a and color (yes when a + 2·red > 6), or the opposite with `flip`. */
function rows(n: number, seed: number, flip = false): string[] {
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
    const user = `u${Math.floor(rnd() * 3000)}`;
    const yes = a + (color === 'red' ? 2 : 0) > 6;
    out.push(`${a.toFixed(3)},${b.toFixed(3)},${color},${user},${yes !== flip ? 'yes' : 'no'}`);
  }
  return out;
}
const HEADER = 'a,b,color,user,y';

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${[HEADER, ...lines].join('\n')}\n`);
  return path;
}

test.before(async () => {
  // A logistic model (user dropped), and an MLP: a model whose rows cost enough that a whole
  // source batch learned in one go stands far above a loaded machine's stalls.
  const train = write('train.csv', rows(400, 1));
  const [r1, r2] = await Promise.all([
    sluice(['train', train, '--target', 'y', '--drop', 'user', '--quiet', '--save', model]),
    sluice(['train', train, '--target', 'y', '--drop', 'user', '--model', 'mlp', '--hidden', '64,64', '--quiet', '--save', mlp]),
  ]);
  assert.is(r1!.code, 0, r1!.stderr);
  assert.is(r2!.code, 0, r2!.stderr);
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A value of a Prometheus series in /metrics text (NaN when absent). */
async function series(app: FastifyInstance, name: string): Promise<number> {
  const text = (await app.inject('/metrics')).body;
  const m = new RegExp(`^${name.replace(/[{}"()[\]|.*+?^$\\/]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

async function health(app: FastifyInstance): Promise<{ learnFrom: LearnFromStatus }> {
  return (await app.inject('/health')).json();
}

const ROW = { a: 7.5, b: 1, color: 'blue', user: 'u1' };

test('--learn-from a file: every labelled row is learned as /learn learns it; bad and unlabelled rows are skipped and counted; /predict answers throughout; the end is in /health', async () => {
  // 3000 rows with the concept flipped (so the model's answers move), 40 without a label, one with a bad number.
  const lines = rows(3000, 7, true);
  for (let i = 0; i < 40; i++) lines[i * 70 + 5] = lines[i * 70 + 5]!.replace(/,(yes|no)$/, ',');
  lines[1234] = lines[1234]!.replace(/^[^,]*/, 'oops');
  const file = write('flipped.csv', lines);
  const letter = join(dir, 'flipped.bad.csv');
  const saved = await loadPipeline(model);
  const before = (await saved.predictBatch(Batch.fromRows([ROW]))).value('probability', 0) as number;
  const logged: string[] = [];
  const app = createServer(saved, {
    learnFrom: { source: { csv: file, deadLetter: letter, batchSize: 500 }, name: 'flipped.csv' },
    log: (l) => logged.push(l),
  });
  assert.is((await health(app)).learnFrom.state, 'reading');
  const answers: number[] = [];
  for (let k = 0; k < 400 && (await health(app)).learnFrom.state === 'reading'; k++) {
    const r = await app.inject({ method: 'POST', url: '/predict', payload: ROW });
    assert.is(r.statusCode, 200, r.body);
    answers.push(r.json().probability);
  }
  const h = (await health(app)).learnFrom;
  assert.is(h.state, 'ended', JSON.stringify(h));
  assert.is(h.source, 'flipped.csv');
  // The source passes on every row but the bad one; the 40 unlabelled rows are skipped as `label`.
  assert.is(h.rows, 2999);
  assert.is(h.learned, 3000 - 40 - 1);
  assert.equal(h.skippedByReason, { number: 1, label: 40 });
  assert.is(h.skipped, 41);
  assert.ok(answers.length > 1, 'predicted while learning');
  assert.is(await series(app, 'sluice_learned_rows_total{endpoint="stream"}'), 2959);
  assert.is(await series(app, 'sluice_learn_from_rows_total'), 2999);
  assert.is(await series(app, 'sluice_learn_from_skipped_rows_total{reason="label"}'), 40);
  assert.is(await series(app, 'sluice_learn_from_skipped_rows_total{reason="number"}'), 1);
  // Each labelled row was scored first: the progressive metrics count them all.
  assert.is(await series(app, 'sluice_scored_rows'), 2959);
  const accuracy = await series(app, 'sluice_model_metric{name="accuracy"}');
  assert.ok(accuracy > 0.3 && accuracy < 1, String(accuracy));
  // The model learned the flipped concept.
  const after = (await app.inject({ method: 'POST', url: '/predict', payload: ROW })).json();
  assert.ok(before > 0.5 && after.probability < 0.5, `${before} -> ${after.probability}`);
  // Serving goes on, and /learn still learns (the same engine: scored rows go on counting).
  const l = await app.inject({ method: 'POST', url: '/learn', payload: [{ ...ROW, y: 'no' }] });
  assert.is(l.statusCode, 200, l.body);
  assert.is(await series(app, 'sluice_scored_rows'), 2960);
  assert.match(
    logged.join('\n'),
    /learning from flipped\.csv: the source ended after 2999 rows \(2959 learned, 41 skipped \(number 1, label 40\)\); learning stopped, serving goes on/,
  );
  await app.close();
  await saved.dispose();
  // The bad row and the unlabelled ones are in the dead letter.
  const dead = readFileSync(letter, 'utf8').trim().split('\n');
  assert.is(dead.length, 1 + 41, dead.slice(0, 3).join('\n'));
  assert.is(dead.filter((d) => /,label,/.test(d)).length, 40);
});

test('--learn-from: the same rows give the same model and metrics as POST /learn of the same slices', async () => {
  const lines = rows(1000, 11, true);
  const file = write('same.csv', lines);
  const a = await loadPipeline(model);
  const b = await loadPipeline(model);
  // One slice per source batch of 100 rows (a multiple of the model's mini-batch), as /learn of 100 rows each.
  const streamed = createServer(a, { learnFrom: { source: { csv: file, batchSize: 100 }, sliceRows: 100 } });
  await streamed.ready();
  while ((await health(streamed)).learnFrom.state === 'reading') await new Promise((r) => setTimeout(r, 5));
  const posted = createServer(b);
  const objects = lines.map((l) => {
    const [x, y, color, user, label] = l.split(',');
    return { a: Number(x), b: Number(y), color, user, y: label };
  });
  for (let i = 0; i < objects.length; i += 100) {
    const r = await posted.inject({ method: 'POST', url: '/learn', payload: objects.slice(i, i + 100) });
    assert.is(r.statusCode, 200, r.body);
  }
  for (const name of ['accuracy', 'logLoss', 'rocAuc']) {
    const x = await series(streamed, `sluice_model_metric{name="${name}"}`);
    const y = await series(posted, `sluice_model_metric{name="${name}"}`);
    assert.ok(Math.abs(x - y) < 1e-9, `${name}: ${x} vs ${y}`);
  }
  const p = (app: FastifyInstance) => app.inject({ method: 'POST', url: '/predict', payload: ROW }).then((r) => r.json().probability);
  assert.is(await p(streamed), await p(posted));
  await streamed.close();
  await posted.close();
  await a.dispose();
  await b.dispose();
});

test('--learn-from: a missing file is an error at once; a stream without the label fails learning, not serving', async () => {
  const saved = await loadPipeline(model);
  assert.throws(() => createServer(saved, { learnFrom: { source: { csv: join(dir, 'nope.csv') } } }), /nope\.csv: no such file/);
  assert.throws(() => createServer(saved, { learn: false, learnFrom: { source: { csv: join(dir, 'train.csv') } } }), /learnFrom/);
  const unlabelled = join(dir, 'unlabelled.csv');
  writeFileSync(unlabelled, 'a,b,color\n1,2,red\n3,1,blue\n');
  const logged: string[] = [];
  const app = createServer(saved, { learnFrom: { source: { csv: unlabelled } }, log: (l) => logged.push(l) });
  await app.ready();
  while ((await health(app)).learnFrom.state === 'reading') await new Promise((r) => setTimeout(r, 5));
  const h = (await health(app)).learnFrom;
  assert.is(h.state, 'failed');
  assert.match(h.error!, /no label column "y" in the stream/);
  assert.match(logged.join('\n'), /failed after 0 rows .*learning stopped, serving goes on/);
  const r = await app.inject({ method: 'POST', url: '/predict', payload: ROW });
  assert.is(r.statusCode, 200, r.body);
  await app.close();
  await saved.dispose();
});

test('--learn-from tcp://: rows sent by a producer are learned as they come', async () => {
  const saved = await loadPipeline(model);
  const logged: string[] = [];
  const app = createServer(saved, { learnFrom: { source: { tcp: { listen: 0, host: '127.0.0.1', maxConnections: 1 } } }, log: (l) => logged.push(l) });
  await app.ready();
  while (!logged.some((l) => /listening on/.test(l))) await new Promise((r) => setTimeout(r, 10));
  const port = Number(/:(\d+)$/.exec(logged.find((l) => /listening on/.test(l))!)![1]);
  const sock = connect(port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  const sent = rows(500, 13, true).map((l) => {
    const [a, b, color, user, y] = l.split(',');
    return `${JSON.stringify({ a: Number(a), b: Number(b), color, user, y })}\n`;
  });
  sock.end(sent.join(''));
  let h = (await health(app)).learnFrom;
  for (let k = 0; k < 500 && h.learned < 500; k++) {
    await new Promise((r) => setTimeout(r, 10));
    h = (await health(app)).learnFrom;
  }
  assert.is(h.learned, 500, JSON.stringify(h));
  assert.is(await series(app, 'sluice_scored_rows'), 500);
  await app.close();
  await saved.dispose();
});

/**
 * How long /predict waits while `file` is learned: sequential requests over HTTP (from this
 * process) from the first source batch to the end of the file. Returns the latencies, slowest first.
 */
async function predictWhileLearning(sliceRows: number | undefined, file: string, batchSize: number): Promise<{ slowest: number[]; learned: number }> {
  const saved = await loadPipeline(mlp);
  const app = createServer(saved, {
    learnFrom: { source: { csv: file, batchSize }, ...(sliceRows !== undefined ? { sliceRows } : {}) },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const body = JSON.stringify(ROW);
  const times: number[] = [];
  const status = async () => ((await (await fetch(`${url}/health`)).json()) as { learnFrom: LearnFromStatus }).learnFrom;
  let h = await status();
  for (;;) {
    // Requests from the first source batch on (it is read and parsed before).
    const learning = h.rows > 0;
    const t0 = performance.now();
    const r = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await r.arrayBuffer();
    if (learning) times.push(performance.now() - t0);
    h = await status();
    if (h.state !== 'reading') break;
  }
  await app.close();
  await saved.dispose();
  assert.is(h.state, 'ended', JSON.stringify(h));
  return { slowest: times.sort((a, b) => b - a), learned: h.learned };
}

test('reads are not blocked by learning: a /predict waits for one slice, far less than one source batch learned whole', async () => {
  const BATCH = 65_536,
    BATCHES = 5;
  const big = write('big.csv', rows(BATCHES * BATCH, 5));
  // What one source batch costs when learned in one go through the served model's engine (the
  // steps, then each row scored and learned), measured here, on a model of its own.
  const saved = await loadPipeline(mlp);
  saved.setBadRows((s) => new BadRows(s, { badRows: 'skip' }));
  const types = { ...saved.inputTypes!, ...saved.labelTypes! };
  const [first] = (await lastValueFrom(
    buildPipeline({ source: { csv: big, batchSize: BATCH, maxRows: BATCH }, typeHints: types })
      .source()
      .pipe(toArray()),
  )) as Batch[];
  const engine = new ServedModel(saved, undefined);
  const whole: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    await engine.learn(saved.features(first!, true));
    whole.push(performance.now() - t0);
  }
  await saved.dispose();
  const batchMs = Math.min(...whole);
  // Warm the HTTP path up (compiled code is shared by the servers of a process).
  const warm = await loadPipeline(mlp);
  const w = createServer(warm);
  for (let k = 0; k < 300; k++) await w.inject({ method: 'POST', url: '/predict', payload: ROW });
  await w.close();
  await warm.dispose();

  const sliced = await predictWhileLearning(undefined, big, BATCH);
  assert.is(sliced.learned, BATCHES * BATCH);
  assert.ok(sliced.slowest.length >= 30, `only ${sliced.slowest.length} requests answered while learning`);
  const show = (r: { slowest: number[] }) =>
    `${r.slowest.length} requests, slowest ${r.slowest
      .slice(0, 5)
      .map((t) => t.toFixed(1))
      .join(', ')} ms`;
  // A slice aims at 1.5 ms; half a whole batch leaves room for a loaded machine's stalls (another
  // process on the CPU, a garbage collection, parsing the next source batch).
  assert.ok(sliced.slowest[0]! < batchMs / 2, `learning in slices: ${show(sliced)}; one batch of ${BATCH} rows learned whole takes ${batchMs.toFixed(1)} ms`);
  // The same check fails when each source batch is learned in one go.
  const unsliced = await predictWhileLearning(BATCH, big, BATCH);
  assert.ok(
    unsliced.slowest.length > 0 && unsliced.slowest[0]! >= batchMs / 2,
    `learning whole batches: ${show(unsliced)}; one batch takes ${batchMs.toFixed(1)} ms`,
  );
  console.log(
    `    one batch of ${BATCH} rows learned whole: ${batchMs.toFixed(1)} ms; while learning in slices: ${show(sliced)}; in whole batches: ${show(unsliced)}`,
  );
});

test.run();
