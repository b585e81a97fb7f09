import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Batch, type FeatureMatrix, fromArrowIpc, fromCsv, modelFromState, Pipeline } from '../../src/index.js';
import { root, sluice } from './sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-predict-'));

/** Rows whose class follows x (binary: y > 0 from a numeric `score`), with a category and a noise column. */
function data(name: string, n: number, o: { label?: boolean; bad?: number[] } = {}): string {
  const label = o.label ?? true;
  const rows = [`x,city,noise${label ? ',score,kind,amount' : ''}`];
  for (let i = 0; i < n; i++) {
    const x = ((i * 37) % 101) / 50 - 1;
    const city = ['a', 'b', 'c'][i % 3];
    const noise = ((i * 13) % 7) / 7;
    const score = x > 0 ? 1 + noise : -1 - noise;
    const kind = x < -0.33 ? 'low' : x < 0.33 ? 'mid' : 'high';
    const amount = 3 * x + 0.5 * noise;
    const xs = o.bad?.includes(i) ? 'oops' : String(x);
    rows.push(`${xs},${city},${noise}${label ? `,${score},${kind},${amount}` : ''}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

const train = data('train.csv', 600);
const fresh = data('fresh.csv', 120);
const unlabeled = data('unlabeled.csv', 120, { label: false });
const models = new Map<string, string>();

async function model(target: string, extra: string[] = ['--drop', 'noise,kind,amount']): Promise<string> {
  const key = [target, ...extra].join(' ');
  const have = models.get(key);
  if (have) return have;
  const save = join(dir, `m${models.size}`);
  const r = await sluice(['train', train, '--target', target, '--quiet', '--json', '--save', save, ...extra]);
  assert.is(r.code, 0, r.stderr);
  models.set(key, save);
  return save;
}

function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

/** The saved pipeline and model applied by hand (Pipeline.fromJSON + modelFromState), as predict must. */
async function byHand(save: string, path: string): Promise<Float32Array> {
  const art = JSON.parse(readFileSync(join(save, 'pipeline.json'), 'utf8'));
  const pipe = Pipeline.fromJSON(art.pipeline).freeze();
  const m = await modelFromState(art.model);
  const batches = await lastValueFrom(fromCsv(path).pipe(toArray()));
  const parts: number[] = [];
  for (const b of batches) parts.push(...(await m.predict(pipe.transform(b) as FeatureMatrix)));
  return Float32Array.from(parts);
}

test('binary: every input row comes out with prediction and probability, equal to the saved pipeline and model applied by hand', async () => {
  const save = await model('score > 0');
  const r = await sluice(['predict', save, fresh, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const rows = csvRows(r.stdout);
  assert.equal(rows[0], ['x', 'city', 'noise', 'score', 'kind', 'amount', 'prediction', 'probability']);
  assert.is(rows.length, 121);
  const want = await byHand(save, fresh);
  let right = 0;
  rows.slice(1).forEach((row, i) => {
    const p = Number(row[7]);
    assert.ok(Math.abs(p - want[i]!) < 1e-7, `row ${i}: ${p} vs ${want[i]}`);
    assert.is(row[6], p >= 0.5 ? 'true' : 'false');
    if ((row[6] === 'true') === Number(row[3]) > 0) right++;
  });
  // The classes follow x: a model that learned anything gets nearly all right.
  assert.ok(right >= 110, `${right} of 120 right`);
});

test('binary: the label and the columns behind it are not needed; the same rows get the same probabilities', async () => {
  const save = await model('score > 0');
  const withLabel = csvRows((await sluice(['predict', save, fresh, '--quiet'])).stdout);
  const r = await sluice(['predict', save, unlabeled, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const rows = csvRows(r.stdout);
  assert.equal(rows[0], ['x', 'city', 'noise', 'prediction', 'probability']);
  for (let i = 1; i < rows.length; i++) assert.is(rows[i]![4], withLabel[i]![7], `row ${i}`);
});

test('--threshold moves the class cut; --prefix renames the added columns', async () => {
  const save = await model('score > 0');
  const r = await sluice(['predict', save, fresh, '--quiet', '--threshold', '0.999', '--prefix', 'm_']);
  assert.is(r.code, 0, r.stderr);
  const rows = csvRows(r.stdout);
  assert.equal(rows[0]!.slice(-2), ['m_prediction', 'm_probability']);
  for (const row of rows.slice(1)) assert.is(row[6], Number(row[7]) >= 0.999 ? 'true' : 'false');
  assert.ok(
    rows.slice(1).some((row) => row[6] === 'false' && Number(row[7]) >= 0.5),
    'some row above 0.5 is false at 0.999',
  );
});

test('multiclass: probability_<class> per class, summing to 1, and the prediction is the likeliest', async () => {
  const save = await model('kind', ['--drop', 'score,amount,noise']);
  const r = await sluice(['predict', save, fresh, '--quiet', '--format', 'ndjson']);
  assert.is(r.code, 0, r.stderr);
  const rows = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.is(rows.length, 120);
  let right = 0;
  for (const row of rows) {
    const probs = ['high', 'low', 'mid'].map((c) => row[`probability_${c}`] as number);
    assert.ok(Math.abs(probs.reduce((s, p) => s + p, 0) - 1) < 1e-5, JSON.stringify(row));
    assert.is(row.prediction, ['high', 'low', 'mid'][probs.indexOf(Math.max(...probs))]);
    if (row.prediction === row.kind) right++;
  }
  assert.ok(right >= 90, `${right} of 120 right`);
});

test("regression: prediction in the target's units, close to it", async () => {
  const save = await model('amount', ['--drop', 'score,kind,noise']);
  const out = join(dir, 'reg.arrow');
  const r = await sluice(['predict', save, fresh, '--quiet', '--out', out, '--json']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.is(report.rows.predicted, 120);
  assert.is(report.format, 'arrow');
  assert.is(report.model.task, 'regression');
  const batches: Batch[] = await lastValueFrom(fromArrowIpc(out).pipe(toArray()));
  let err = 0,
    n = 0;
  for (const b of batches) {
    for (let i = 0; i < b.length; i++) {
      err += Math.abs((b.value('prediction', i) as number) - (b.value('amount', i) as number));
      n++;
    }
  }
  assert.is(n, 120);
  assert.ok(err / n < 0.5, `mean absolute error ${err / n}`);
});

test('bad rows are skipped, counted on stderr and dead-lettered; --bad-rows fail stops with the line; no half output file is left', async () => {
  const save = await model('score > 0');
  const bad = data('bad.csv', 50, { bad: [3, 7] });
  const letter = join(dir, 'bad.dead.csv');
  const out = join(dir, 'bad-out.csv');
  const r = await sluice(['predict', save, bad, '--out', out, '--dead-letter', letter, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /48 rows predicted, 2 skipped \(number 2\)/);
  assert.is(csvRows(readFileSync(out, 'utf8')).length, 49);
  assert.is(readFileSync(letter, 'utf8').trim().split('\n').length, 3);
  const failOut = join(dir, 'fail-out.csv');
  const f = await sluice(['predict', save, bad, '--out', failOut, '--bad-rows', 'fail', '--quiet']);
  assert.is.not(f.code, 0);
  assert.match(f.stderr, /bad\.csv:5/);
  assert.not.ok(existsSync(failOut), 'no output under the final name');
  assert.is(readdirSync(dir).filter((n) => n.startsWith('fail-out')).length, 0, readdirSync(dir).join(' '));
});

test('errors name what is wrong: a missing model, a clash with an input column, a bad flag', async () => {
  const save = await model('score > 0');
  const nope = await sluice(['predict', join(dir, 'nope'), fresh]);
  assert.is(nope.code, 1);
  assert.match(nope.stderr, /nope: no such model directory/);
  const clashFile = join(dir, 'clash.csv');
  writeFileSync(clashFile, 'x,city,noise,prediction\n0.5,a,0.1,7\n');
  const clash = await sluice(['predict', save, clashFile, '--quiet']);
  assert.is.not(clash.code, 0);
  assert.match(clash.stderr, /already has a column "prediction".*--prefix/);
  const flag = await sluice(['predict', save, fresh, '--threshold', '2']);
  assert.is(flag.code, 2);
  assert.match(flag.stderr, /--threshold: expected a number in \(0, 1\)/);
});

test('a bad value in the label or the columns only it reads does not cost the row its prediction', async () => {
  const save = await model('score > 0');
  const f = join(dir, 'badlabel.csv');
  writeFileSync(f, 'x,city,noise,score\n0.5,a,0.1,oops\n-0.5,b,0.2,-1\n');
  const r = await sluice(['predict', save, f, '--quiet', '--json']);
  assert.is(r.code, 0, r.stderr);
  const rows = csvRows(r.stdout);
  assert.is(rows.length, 3, r.stdout);
  assert.equal(JSON.parse(r.stderr.trim().split('\n').at(-1)!).rows.skipped, 0);
});

test('the dead letter starts fresh each run; --max-rows counts the rows read; --threshold is for binary models only', async () => {
  const save = await model('score > 0');
  const bad = data('bad2.csv', 40, { bad: [5] });
  const letter = join(dir, 'again.dead.csv');
  for (let run = 0; run < 2; run++) {
    const r = await sluice(['predict', save, bad, '--dead-letter', letter, '--quiet', '--out', join(dir, 'again.csv')]);
    assert.is(r.code, 0, r.stderr);
    assert.is(readFileSync(letter, 'utf8').trim().split('\n').length, 2, `run ${run}: header and one row`);
  }
  const few = await sluice(['predict', save, fresh, '--max-rows', '7', '--json', '--quiet']);
  assert.is(few.code, 0, few.stderr);
  const report = JSON.parse(few.stderr.trim().split('\n').at(-1)!);
  assert.equal(report.rows, { read: 7, predicted: 7, skipped: 0, skippedByReason: {} });
  assert.is(report.format, 'csv');
  const multi = await model('kind', ['--drop', 'score,amount,noise']);
  const t = await sluice(['predict', multi, fresh, '--threshold', '0.7']);
  assert.is(t.code, 2);
  assert.match(t.stderr, /--threshold: applies to a binary model; .* is multiclass/);
});

test('Ctrl-C: exit 130, and neither the output file nor its temporary file is left', async () => {
  const save = await model('score > 0');
  const out = join(dir, 'interrupted.csv');
  const child = spawn(process.execPath, ['bin/sluice.js', 'predict', save, '-', '--out', out, '--quiet'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  // Writes after the child stops fail with EPIPE: expected here.
  child.stdin!.on('error', () => {});
  child.stdin!.write('x,city,noise\n');
  // Rows keep coming until the interrupt: the output is under way, never complete.
  const feed = setInterval(() => child.stdin!.write(`${'0.5,a,0.1\n'.repeat(2000)}`), 20);
  // Interrupt once rows are being written (its temporary file has bytes): the handler is up by then, whatever the load.
  const writing = () => readdirSync(dir).some((n) => n.startsWith('interrupted.csv.tmp') && statSync(join(dir, n)).size > 0);
  for (let waited = 0; !writing() && waited < 60_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  assert.ok(writing(), `no output after 60 s: ${stderr}`);
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearInterval(feed);
  assert.is(code, 130, stderr);
  assert.match(stderr, /interrupted after \d+ rows; .*interrupted\.csv not written/);
  assert.not.ok(existsSync(out));
  assert.is(readdirSync(dir).filter((n) => n.startsWith('interrupted.csv')).length, 0, readdirSync(dir).join(' '));
});

test('train --save seals the directory (SHA256SUMS, sha256sum -c passes); predict refuses a pipeline.json changed since', async () => {
  const save = await model('score > 0');
  const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: save, encoding: 'utf8' });
  assert.is(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /pipeline\.json: OK/);
  assert.match(check.stdout, /report\.json: OK/);
  const copy = join(dir, 'tampered');
  mkdirSync(copy);
  for (const f of ['pipeline.json', 'report.json', 'SHA256SUMS']) writeFileSync(join(copy, f), readFileSync(join(save, f)));
  const art = readFileSync(join(copy, 'pipeline.json'), 'utf8');
  writeFileSync(join(copy, 'pipeline.json'), art.replace('"step":', '"step": '));
  const r = await sluice(['predict', copy, fresh, '--quiet']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /tampered\/pipeline\.json: checksum mismatch: SHA256SUMS says [0-9a-f]{64}, the file has [0-9a-f]{64}/);
});

test('stdin: CSV by default, NDJSON with --input-format ndjson, the same predictions; --input-format is for - only', async () => {
  const save = await model('score > 0');
  const rows = readFileSync(fresh, 'utf8').trim().split('\n');
  const header = rows[0]!.split(',');
  const ndjson = rows
    .slice(1)
    .map((l) => {
      const cells = l.split(',');
      return JSON.stringify(Object.fromEntries(header.map((h, k) => [h, h === 'city' || h === 'kind' ? cells[k] : Number(cells[k])])));
    })
    .join('\n');
  const run = (args: string[], input: string) =>
    spawnSync(process.execPath, ['bin/sluice.js', 'predict', save, '-', '--quiet', ...args], { cwd: root, input, encoding: 'utf8' });
  const fromCsv = run([], readFileSync(fresh, 'utf8'));
  const fromNdjson = run(['--input-format', 'ndjson', '--format', 'ndjson'], `${ndjson}\n`);
  assert.is(fromCsv.status, 0, fromCsv.stderr);
  assert.is(fromNdjson.status, 0, fromNdjson.stderr);
  const csvProbs = csvRows(fromCsv.stdout)
    .slice(1)
    .map((r) => Number(r[7]));
  const ndProbs = fromNdjson.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { probability: number }).probability);
  assert.is(ndProbs.length, 120);
  assert.equal(ndProbs, csvProbs);
  const wrong = await sluice(['predict', save, fresh, '--input-format', 'ndjson']);
  assert.is(wrong.code, 2);
  assert.match(wrong.stderr, /--input-format: applies to - \(stdin\)/);
});

test.run();
