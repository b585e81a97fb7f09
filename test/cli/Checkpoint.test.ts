import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { type Run, sluice } from './sluice.js';

// Checkpoints and resume (docs/checkpoints.md): a run killed with SIGKILL at random points and
// resumed each time ends with the model, steps, metrics and books of a run never interrupted.

const dir = mkdtempSync(join(tmpdir(), 'sluice-checkpoint-'));
const data = join(dir, 'data.csv');
// 13 source batches of 32,768 rows: a checkpoint can fall between any two.
const ROWS = 400_000;
{
  // Categories, numbers with gaps, rows with an extra field (source bad rows) and missing labels (label rejects).
  const rng = new Rng(11);
  const lines = ['city,kind,x,y,label'];
  for (let i = 0; i < ROWS; i++) {
    const c = rng.int(40),
      k = rng.int(8),
      x = rng.uniform(0, 10),
      y = rng.uniform(-1, 2);
    const z = (c % 5) - 2 + (k % 3) + 0.3 * x - 1.5 + y + rng.uniform(-1, 1);
    if (i % 997 === 5) lines.push(`c${c},k${k},${x.toFixed(3)},${y.toFixed(3)},1,extra`);
    else lines.push(`c${c},k${k},${x.toFixed(3)},${i % 1500 === 7 ? '' : y.toFixed(3)},${i % 700 === 3 ? '' : z > 0 ? 1 : 0}`);
  }
  writeFileSync(data, `${lines.join('\n')}\n`);
}
const train = (save: string, more: string[]) => [
  'train',
  data,
  '--target',
  'label',
  '--save',
  save,
  '--json',
  '--no-tui',
  '--seed',
  '3',
  '--dead-letter',
  `${save}.bad.csv`,
  ...more,
];
/** A dead letter's records, sorted (writers on two threads interleave them). */
const records = (save: string) => readFileSync(`${save}.bad.csv`, 'utf8').trim().split('\n').sort();
const artifact = (save: string) => JSON.parse(readFileSync(join(save, 'pipeline.json'), 'utf8'));
const checkpoints = (stderr: string) => stderr.split('\n').filter((l) => / checkpoint .*checkpoint\.json/.test(l)).length;
/**
 * Starts a run (try `i` writes under its own names) and sends `signal` at its first checkpoint, the
 * first sign that a model exists. A fast machine can read the rest of the file before the signal
 * lands: such a try ends whole (exit 0) and says nothing, so another goes, up to 3.
 */
async function signalledRun(
  start: (i: number, onStderr: (text: string, child: ChildProcess) => void) => Promise<Run>,
  signal: NodeJS.Signals,
): Promise<Run & { i: number }> {
  const stopped = signal === 'SIGKILL' ? null : 143;
  let r: Run | null = null;
  let i = 0;
  for (; i < 3; i++) {
    let sent = false;
    r = await start(i, (text, child) => {
      if (!sent && checkpoints(text) >= 1) {
        sent = true;
        child.kill(signal);
      }
    });
    if (r.code === stopped) return { ...r, i };
    assert.is(r.code, 0, `neither stopped by ${signal} nor whole: ${r.stderr.slice(-600)}`);
  }
  assert.unreachable(`3 tries, ${signal} never landed mid-run: ${r!.stderr.slice(-400)}`);
  throw new Error('unreachable');
}

let baseline: {
  report: { rows: { trained: number; skipped: number }; metrics: unknown; choices: unknown };
  artifact: { model: unknown; pipeline: unknown };
  bad: string[];
} | null = null;
async function uninterrupted() {
  if (baseline) return baseline;
  const save = join(dir, 'full');
  const r = await sluice(train(save, []));
  assert.is(r.code, 0, r.stderr);
  baseline = { report: JSON.parse(r.stdout), artifact: artifact(save), bad: records(save) };
  return baseline;
}

/** Starts a resumable run and SIGKILLs it `delayMs` after its `after`-th new checkpoint line (or lets it end). */
function killedRun(save: string, ck: string, after: number, delayMs: number): Promise<Run> {
  let armed = false;
  return sluice(train(save, ['--resume', ck, '--checkpoint-every', '0.05']), (text, child) => {
    if (!armed && checkpoints(text) >= after) {
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    }
  });
}

test('SIGKILL at 5 random points, resumed each time: the same model, metrics and books as a run never killed', async () => {
  const full = await uninterrupted();
  const save = join(dir, 'killed'),
    ck = join(dir, 'killed-ck');
  const rng = new Rng(Date.now() % 100_000);
  let midRun = 0;
  const positions: number[] = [];
  for (let i = 0; i < 5; i++) {
    // After the first checkpoint of each run: later ones come at least ten times their cost apart.
    const r = await killedRun(save, ck, 1, rng.int(60));
    const state = existsSync(join(ck, 'checkpoint.json')) ? JSON.parse(readFileSync(join(ck, 'checkpoint.json'), 'utf8')) : null;
    if (state?.finished) break;
    assert.is(r.code, null, `run ${i} should have been killed: ${r.stderr.slice(-400)}`);
    assert.ok(state, 'a killed run left a checkpoint');
    positions.push(state.position.rows);
    midRun++;
  }
  assert.ok(midRun >= 3, `at least 3 of the 5 kills land mid-run (got ${midRun})`);
  // Each resume goes on from where the last checkpoint was: positions never go back.
  for (let i = 1; i < positions.length; i++) assert.ok(positions[i]! >= positions[i - 1]!, `positions ${positions.join(', ')}`);
  const finished = () => JSON.parse(readFileSync(join(ck, 'checkpoint.json'), 'utf8')).finished === true;
  // A kill can land after the run saved its results and its last checkpoint: then there is nothing left to resume.
  const resumedLast = !finished();
  if (resumedLast) {
    const last = await sluice(train(save, ['--resume', ck, '--checkpoint-every', '0.05']));
    assert.is(last.code, 0, last.stderr);
    assert.match(last.stderr, /resumed from .*checkpoint\.json.*reading on from byte \d+ \(line \d+\)/);
  }
  const report = JSON.parse(readFileSync(join(save, 'report.json'), 'utf8'));
  assert.equal(report.rows, full.report.rows);
  assert.is(report.rows.read, ROWS);
  assert.is(report.rows.trained + report.rows.skipped, ROWS);
  assert.equal(report.metrics, full.report.metrics);
  // The per-column choices join report.json just after the last checkpoint: a kill in between leaves them out.
  if (resumedLast) assert.equal(report.choices, full.report.choices);
  const a = artifact(save);
  assert.equal(a.model, full.artifact.model);
  assert.equal(a.pipeline, full.artifact.pipeline);
  // Every rejected row once in the dead letter: those before each offset kept, those after written again.
  assert.is(full.bad.length, 1 + full.report.rows.skipped, 'the header and one record per skipped row');
  assert.equal(records(save), full.bad);
  // The last checkpoint says the run finished: resuming again is refused, with the reason.
  const again = await sluice(train(save, ['--resume', ck]));
  assert.is(again.code, 1);
  assert.match(again.stderr, /the run finished .*nothing to resume/);
});

test('SIGTERM: a last checkpoint, exit 143 with the report so far; --resume finishes the same run', async () => {
  const full = await uninterrupted();
  const r = await signalledRun(
    (i, onStderr) => sluice(train(join(dir, `term${i}`), ['--checkpoint', join(dir, `term${i}-ck`), '--checkpoint-every', '0.05']), onStderr),
    'SIGTERM',
  );
  const save = join(dir, `term${r.i}`),
    ck = join(dir, `term${r.i}-ck`);
  const partial = JSON.parse(r.stdout);
  const state = JSON.parse(readFileSync(join(ck, 'checkpoint.json'), 'utf8'));
  assert.is(state.finished, false);
  assert.is(partial.rows.trained, state.counters.trained, 'the report covers the rows up to the last checkpoint');
  assert.ok(partial.rows.trained < full.report.rows.trained);
  assert.not.ok(existsSync(join(save, 'pipeline.json')), 'a run stopped at a checkpoint saves no model: it is not a result yet');
  assert.ok(existsSync(join(save, 'report.json')), 'its report is written');
  const done = await sluice(train(save, ['--resume', ck]));
  assert.is(done.code, 0, done.stderr);
  const report = JSON.parse(done.stdout);
  assert.equal(report.metrics, full.report.metrics);
  assert.equal(artifact(save).model, full.artifact.model);
});

test('--resume refuses another run, a damaged checkpoint, and conflicting flags', async () => {
  const save = join(dir, 'other');
  const r = await signalledRun(
    (i, onStderr) => sluice(train(save, ['--checkpoint', join(dir, `other${i}-ck`), '--checkpoint-every', '0.05']), onStderr),
    'SIGKILL',
  );
  const ck = join(dir, `other${r.i}-ck`);
  const other = await sluice(train(save, ['--resume', ck, '--lr', '0.1']));
  assert.is(other.code, 1);
  assert.match(other.stderr, /made by another run: modelOptions\.lr was undefined, is 0\.1/);
  const flags = await sluice(train(save, ['--resume', ck, '--checkpoint', join(dir, 'elsewhere')]));
  assert.is(flags.code, 2);
  assert.match(flags.stderr, /--checkpoint .* and --resume .*give one directory/);
  const every = await sluice(train(save, ['--checkpoint-every', '5']));
  assert.is(every.code, 2);
  assert.match(every.stderr, /--checkpoint-every: give --checkpoint DIR/);
  writeFileSync(join(ck, 'checkpoint.json'), '{"format":"sluice-checkpoint","version":1,');
  const damaged = await sluice(train(save, ['--resume', ck]));
  assert.is(damaged.code, 1);
  assert.match(damaged.stderr, /checkpoint\.json: not a readable checkpoint/);
});

test('sluice run (Arrow file read again, spec steps, holdout split, mini-batches of 256, rolling metrics): killed at checkpoints, resumed, same result', async () => {
  const spec = join(dir, 'flights.yaml');
  writeFileSync(
    spec,
    [
      'name: flights',
      'source: { arrow: node_modules/vega-datasets/data/flights-200k.arrow, batchSize: 1000 }',
      'target: delay > 15',
      'steps:',
      '  - derive: { name: logDistance, expression: log(distance) }',
      '  - interactions: { pairs: [[time, logDistance]] }',
      '  - standardize: [distance, logDistance, time, "time*logDistance"]',
      'split: { test: 0.2 }',
      'model: { logistic: { optimizer: adam, lr: 0.01 } }',
      'training: { batchSize: 256 }',
      'evaluation: { metrics: [accuracy, rocAuc, logLoss], rolling: 10000 }',
    ].join('\n'),
  );
  const run = (out: string, more: string[], onStderr?: Parameters<typeof sluice>[1]) =>
    sluice(['run', spec, '--set', `output.dir=${out}`, '--json', '--no-tui', ...more], onStderr);
  const whole = await run(join(dir, 'run-full'), []);
  assert.is(whole.code, 0, whole.stderr);
  const ck = join(dir, 'run-ck'),
    out = join(dir, 'run-killed');
  let kills = 0;
  let stderr = '';
  let done: Run | null = null;
  for (let i = 0; i < 3 && !done; i++) {
    let armed = false;
    const r = await run(out, ['--resume', ck, '--checkpoint-every', '0.05'], (text, child) => {
      if (!armed && checkpoints(text) >= 1) {
        armed = true;
        child.kill('SIGKILL');
      }
    });
    stderr += r.stderr;
    if (r.code === null) kills++;
    else done = r;
  }
  assert.ok(kills >= 1, 'killed at least once');
  done ??= await run(out, ['--resume', ck]);
  stderr += done.stderr;
  // A kill can land after the run wrote its results and its last checkpoint: then there is nothing left to resume.
  if (done.code !== 0) assert.match(done.stderr, /the run finished .*nothing to resume/);
  assert.match(stderr, /resumed from .*reading the input again from its start, passing over \d+ rows/);
  const report = (d: string) => JSON.parse(readFileSync(join(d, 'report.json'), 'utf8'));
  const a = report(join(dir, 'run-full')),
    b = report(out);
  for (const k of ['rows', 'metrics', 'rolling', 'test', 'testRows']) assert.equal(b[k], a[k], k);
  assert.equal(artifact(out).model, artifact(join(dir, 'run-full')).model);
  assert.equal(artifact(out).pipeline, artifact(join(dir, 'run-full')).pipeline);
});

test('on the parse thread (sluice run, parseThread: true): checkpoints come during the pass, and SIGTERM stops at one with exit 143', async () => {
  const spec = join(dir, 'threaded.yaml');
  writeFileSync(
    spec,
    [`source: { csv: ${JSON.stringify(data)}, parseThread: true }`, 'target: label', 'task: classification', 'steps: [{ oneHot: [city, kind] }]'].join('\n'),
  );
  const r = await signalledRun(
    (i, onStderr) => sluice(['run', spec, '--json', '--no-tui', '--checkpoint', join(dir, `threaded${i}-ck`), '--checkpoint-every', '0.05'], onStderr),
    'SIGTERM',
  );
  const ck = join(dir, `threaded${r.i}-ck`);
  const state = JSON.parse(readFileSync(join(ck, 'checkpoint.json'), 'utf8'));
  assert.is(state.finished, false);
  assert.ok(state.position.rows > 0 && state.position.rows < ROWS, `stopped mid-pass at ${state.position.rows}`);
  assert.is(JSON.parse(r.stdout).rows.trained, state.counters.trained);
});

test('checkpoints are refused where their state is not saved yet: error drift', async () => {
  const r = await sluice(train(join(dir, 'drift'), ['--checkpoint', join(dir, 'drift-ck'), '--drift', 'adwin']));
  assert.is(r.code, 2);
  assert.match(r.stderr, /checkpoints do not cover error-drift detection/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
