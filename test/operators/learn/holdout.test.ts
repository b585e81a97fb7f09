import { from, lastValueFrom, Observable, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema, SpecError, Ticket } from '../../../src/core/index.js';
import type { HoldoutReport } from '../../../src/evaluate/index.js';
import { evaluate, holdout } from '../../../src/operators/learn/index.js';
import { FakeModel, matrix } from './FakeModel.js';

const splitOf = (id: number) => (id % 5 === 3 ? 1 : id % 5 === 4 ? 2 : 0);
const label = (id: number) => id % 2;

/** Rows [start, start+n): x = a score that is right for even ids only, y = label, __split by id. */
function batch(start: number, n: number): Batch {
  const schema = Schema.from({ x: 'number', y: 'number', __split: 'integer' });
  const x = new Float64Array(n),
    y = new Float64Array(n),
    s = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = start + i;
    x[i] = id % 4 === 0 ? 0.1 : id % 4 === 1 ? 0.9 : 0.7;
    y[i] = label(id);
    s[i] = splitOf(id);
  }
  return new Batch(
    schema,
    [
      { type: 'number', values: x, validity: null },
      { type: 'number', values: y, validity: null },
      { type: 'integer', values: s, validity: null },
    ],
    n,
    Batch.sequence(start, n),
  );
}

test('holdout learns only training rows, predicts only held-out rows, and reports every N training rows', async () => {
  const model = new FakeModel();
  const reports: HoldoutReport[] = await lastValueFrom(
    from([0, 10, 20, 30].map((s) => batch(s, 10))).pipe(holdout(model, { vectorize: { target: 'y' }, metrics: ['accuracy'], every: 12 }), toArray()),
  );
  const learned = model.log.filter((c) => c.op === 'learn').flatMap((c) => c.rowIds);
  const predicted = new Set(model.log.filter((c) => c.op === 'predict').flatMap((c) => c.rowIds));
  assert.equal(
    learned,
    Array.from({ length: 40 }, (_, i) => i).filter((id) => splitOf(id) === 0),
  );
  for (const id of predicted) assert.is.not(splitOf(id), 0, `train row ${id} was only learned`);
  // 6 training rows per batch: reports after 12 and 24, and the final one.
  assert.equal(
    reports.map((r) => [r.trainRows, r.final]),
    [
      [12, false],
      [24, false],
      [24, true],
    ],
  );
  const fin = reports.at(-1)!;
  const acc = (ids: number[]) => ids.filter((id) => (id % 4 === 0 ? 0 : 1) === label(id)).length / ids.length;
  const val = Array.from({ length: 40 }, (_, i) => i).filter((id) => splitOf(id) === 1);
  const tst = Array.from({ length: 40 }, (_, i) => i).filter((id) => splitOf(id) === 2);
  assert.equal(fin.validation, { rows: val.length, metrics: { accuracy: acc(val) } });
  assert.equal(fin.test, { rows: tst.length, metrics: { accuracy: acc(tst) } });
  assert.is(fin.heldOutRows, 16);
  assert.is(fin.rows, 40);
});

test('holdoutSize keeps the most recent held-out rows', async () => {
  const model = new FakeModel();
  const reports = await lastValueFrom(
    from([0, 10, 20, 30].map((s) => batch(s, 10))).pipe(
      holdout(model, { vectorize: { target: 'y' }, metrics: ['accuracy'], every: 1000, holdoutSize: 3 }),
      toArray(),
    ),
  );
  assert.is(reports.at(-1)!.validation!.rows, 3);
  const lastEval = model.log.filter((c) => c.op === 'predict').flatMap((c) => c.rowIds);
  const ids = Array.from({ length: 40 }, (_, i) => i);
  const last3 = (s: number) => ids.filter((id) => splitOf(id) === s).slice(-3);
  assert.equal(lastEval, [...last3(1), ...last3(2)], 'the last 3 validation rows, then the last 3 test rows');
});

test('the batch keeps its queue slot until the model is done with it', async () => {
  const model = new FakeModel();
  const freed: number[] = [];
  let learnedAtFree = -1;
  const src = new Observable<Batch>((sub) => {
    const b = batch(0, 10);
    b.ticket = new Ticket(() => {
      freed.push(0);
      learnedAtFree = model.step;
    });
    sub.next(b);
    b.ticket.release(); // the source lets go right after pushing, as fromPull does
    assert.equal(freed, [], 'still held while the model works');
    sub.complete();
  });
  await lastValueFrom(src.pipe(holdout(model, { vectorize: { target: 'y' }, metrics: ['accuracy'], every: 5 }), toArray()));
  assert.equal(freed, [0]);
  assert.is(learnedAtFree, 1, 'freed after the learn call finished');
});

test('holdout options are checked at creation', () => {
  const model = new FakeModel();
  assert.throws(
    () => holdout(model, { vectorize: { target: 'y' }, metrics: ['accuracy'], every: 0 }),
    (e: unknown) => e instanceof SpecError && /holdout\.every/.test(String(e)),
  );
  assert.throws(() => holdout(model, { vectorize: { target: 'y' }, metrics: ['accuracy'], every: 5, holdoutSize: -2 }), /holdout\.holdoutSize/);
  assert.throws(() => holdout(model, { metrics: ['accuracy'], every: 5 } as never), /holdout\.vectorize/);
});

test('evaluate: a final report on a test source, predicting only', async () => {
  const model = new FakeModel();
  const score = (id: number) => (id % 3 === 0 ? 0.8 : 0.2);
  const reports = await lastValueFrom(
    from([matrix(0, 6, score), matrix(6, 6, score, (id) => (id === 7 ? NaN : id % 2))]).pipe(evaluate(model, { metrics: ['accuracy'] }), toArray()),
  );
  assert.is(reports.length, 1);
  const ids = Array.from({ length: 12 }, (_, i) => i).filter((id) => id !== 7);
  assert.equal(reports[0]!.metrics, { accuracy: ids.filter((id) => (id % 3 === 0 ? 1 : 0) === id % 2).length / ids.length });
  assert.equal([reports[0]!.rows, reports[0]!.labeled], [12, 11]);
  assert.not.ok(model.log.some((c) => c.op === 'learn'));
});

test.run();
