import { from, lastValueFrom, Observable, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type FeatureMatrix, SpecError, Telemetry } from '../../../src/core/index.js';
import type { ProgressiveReport } from '../../../src/evaluate/index.js';
import { progressive } from '../../../src/operators/learn/index.js';
import { type Call, FakeModel, matrix } from './FakeModel.js';

const run = (src: Observable<FeatureMatrix>, op: ReturnType<typeof progressive>) => lastValueFrom(src.pipe(op, toArray()));
/** A label that looks random, and a score that predicts it right (0.9/0.1): any misjoined prediction costs accuracy. */
const label = (id: number) => ((id * 7) % 3 === 0 ? 1 : 0);
const right = (id: number) => (label(id) ? 0.9 : 0.1);

/** Index in the log of the predict / learn call holding each row id. */
function positions(log: Call[], op: 'predict' | 'learn'): Map<number, number[]> {
  const at = new Map<number, number[]>();
  log.forEach((c, i) => {
    if (c.op === op) for (const id of c.rowIds) at.set(id, [...(at.get(id) ?? []), i]);
  });
  return at;
}

test('test-then-train: every row is predicted once, before it is learned once, and after earlier rows were learned', async () => {
  const model = new FakeModel();
  const batches = [0, 4, 8].map((s) => matrix(s, 4, (id) => (id % 3 === 0 ? 0.9 : 0.1)));
  const reports = await run(from(batches), progressive(model, { metrics: ['accuracy', 'logLoss'] }));
  const p = positions(model.log, 'predict'),
    l = positions(model.log, 'learn');
  for (let id = 0; id < 12; id++) {
    assert.is(p.get(id)?.length, 1, `row ${id} predicted once`);
    assert.is(l.get(id)?.length, 1, `row ${id} learned once`);
    assert.ok(p.get(id)![0]! < l.get(id)![0]!, `row ${id} predicted before learned`);
    if (id >= 4) assert.ok(l.get(id - 4)![0]! < p.get(id)![0]!, `row ${id - 4} learned before row ${id} is predicted`);
  }
  assert.is(reports.length, 4);
  assert.equal(
    reports.map((r) => r.rows),
    [4, 8, 12, 12],
  );
  assert.equal(
    reports.map((r) => r.final),
    [false, false, false, true],
  );
  let correct = 0;
  for (let id = 0; id < 12; id++) correct += (id % 3 === 0 ? 1 : 0) === id % 2 ? 1 : 0;
  const final = reports.at(-1)!;
  assert.is(final.metrics.accuracy, correct / 12);
  assert.is(final.labeled, 12);
  // FakeModel learns per row (batch size 1): one update per row, whatever the source batches.
  assert.is(final.step, 12);
  assert.is(final.backend, 'fake');
});

test('label delay by rows: a row is learned only after `rows` more rows were predicted; predictions join their labels by row id', async () => {
  const model = new FakeModel();
  const batches = [0, 4, 8, 12, 16].map((s) => matrix(s, 4, right, label));
  const reports = await run(from(batches), progressive(model, { metrics: ['accuracy'], labelDelay: { rows: 5 } }));
  let predicted = 0;
  const learnedBeforeEnd: number[] = [];
  const lastPredict = model.log.map((c) => c.op).lastIndexOf('predict');
  model.log.forEach((c, i) => {
    if (c.op === 'predict') predicted += c.rowIds.length;
    else if (i < lastPredict)
      for (const id of c.rowIds) {
        assert.ok(predicted >= id + 1 + 5, `row ${id} learned after only ${predicted} rows`);
        learnedBeforeEnd.push(id);
      }
  });
  assert.ok(learnedBeforeEnd.length > 0, 'some labels arrived before the end');
  assert.equal(
    reports.map((r) => r.pending),
    [4, 5, 5, 5, 5, 0],
    'at most 5 rows wait',
  );
  const final = reports.at(-1)!;
  assert.is(final.labeled, 20);
  assert.is(final.metrics.accuracy, 1, "every prediction scored against its own row's label");
  // Every row learned once, with its own label.
  const learned = model.log.filter((c) => c.op === 'learn').flatMap((c) => c.rowIds.map((id, k) => [id, c.targets![k]!]));
  assert.equal(
    learned.map(([id]) => id),
    Array.from({ length: 20 }, (_, i) => i),
  );
  for (const [id, y] of learned) assert.is(y, label(id!));
});

test('label delay by ms: rows are learned once their delay has passed on the clock', async () => {
  let clock = 0;
  const model = new FakeModel();
  model.onPredict = () => {
    clock += 100;
  };
  const batches = [0, 2, 4, 6, 8, 10].map((s) => matrix(s, 2, right, label));
  const reports = await run(from(batches), progressive(model, { metrics: ['accuracy'], labelDelay: { ms: 250 }, now: () => clock }));
  // Batch b is stamped at 100(b+1); at batch c the clock reads 100(c+1): released when c ≥ b + 3.
  const ops = model.log.map((c) => `${c.op[0]}${c.rowIds[0]! / 2}`);
  assert.equal(ops, ['p0', 'p1', 'p2', 'p3', 'l0', 'p4', 'l1', 'p5', 'l2', 'l3']);
  assert.is(reports.at(-1)!.metrics.accuracy, 1);
  assert.is(reports.at(-1)!.labeled, 12);
});

test('maxRows cuts the last batch, ends the stream and unsubscribes from the source', async () => {
  const model = new FakeModel();
  let unsubscribed = false,
    emitted = 0;
  const endless = new Observable<FeatureMatrix>((sub) => {
    let stop = false;
    const tick = () => {
      if (stop) return;
      sub.next(matrix(emitted * 4, 4));
      emitted++;
      setTimeout(tick, 0);
    };
    tick();
    return () => {
      stop = true;
      unsubscribed = true;
    };
  });
  const reports = await run(endless, progressive(model, { metrics: ['accuracy'], maxRows: 10 }));
  assert.is(reports.at(-1)!.rows, 10);
  assert.ok(reports.at(-1)!.final);
  assert.ok(unsubscribed);
  const learned = model.log.filter((c) => c.op === 'learn').flatMap((c) => c.rowIds);
  assert.equal(
    learned,
    Array.from({ length: 10 }, (_, i) => i),
  );
});

test('rows with a missing target are predicted but neither scored nor learned', async () => {
  const model = new FakeModel();
  const m = matrix(0, 6, right, (id) => (id === 2 || id === 4 ? NaN : label(id)));
  const [, final] = await run(from([m]), progressive(model, { metrics: ['accuracy'] }));
  assert.is(final!.rows, 6);
  assert.is(final!.labeled, 4);
  assert.equal(
    model.log.filter((c) => c.op === 'learn').flatMap((c) => c.rowIds),
    [0, 1, 3, 5],
  );
});

test('a factory model is disposed at teardown; a passed-in model is not; rolling metrics and telemetry', async () => {
  let made: FakeModel | null = null;
  const telemetry = new Telemetry();
  const events: unknown[] = [];
  telemetry.on('metrics').subscribe((e) => events.push(e));
  const reports: ProgressiveReport[] = await run(
    from([matrix(0, 5, right, label), matrix(5, 5, () => 0.5, label)]),
    progressive(() => (made = new FakeModel()), { metrics: ['accuracy'], rolling: 5, telemetry, every: 0 }),
  );
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(made!.disposed);
  assert.is(reports.at(-1)!.metrics.accuracy, (5 + count((id) => label(id) === 1, 5, 10)) / 10);
  assert.is(reports.at(-1)!.rolling!.accuracy, count((id) => label(id) === 1, 5, 10) / 5);
  assert.ok(events.length >= 2);
  const shared = new FakeModel();
  await run(from([matrix(0, 2)]), progressive(shared, { metrics: ['accuracy'] }));
  await new Promise((r) => setTimeout(r, 10));
  assert.not.ok(shared.disposed);
});

test('options are checked when the operator is created', () => {
  const model = new FakeModel();
  assert.throws(
    () => progressive(model, { metrics: ['acc'] }),
    (e: unknown) => e instanceof SpecError && /progressive\.metrics\[0\]/.test(String(e)),
  );
  assert.throws(() => progressive(model, { metrics: ['accuracy'], labelDelay: { rows: -1 } }), /progressive\.labelDelay\.rows/);
  assert.throws(() => progressive(model, { metrics: ['accuracy'], labelDelay: { hours: 1 } as never }), /progressive\.labelDelay/);
  assert.throws(() => progressive(model, { metrics: ['accuracy'], maxRows: 0 }), /progressive\.maxRows/);
  assert.throws(() => progressive({} as never, { metrics: ['accuracy'] }), /progressive\.model/);
  assert.throws(
    () => progressive({ kind: 'logistic', lr: -1 }, { metrics: ['accuracy'] }),
    (e: unknown) => e instanceof SpecError,
  );
});

function count(f: (id: number) => boolean, from: number, to: number): number {
  let n = 0;
  for (let id = from; id < to; id++) if (f(id)) n++;
  return n;
}

test.run();
