import { from, lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema, SchemaError, SpecError } from '../../../src/core/index.js';
import { prequentialKFold } from '../../../src/operators/learn/index.js';
import { kfold } from '../../../src/operators/transforms/index.js';
import { type Call, FakeModel } from './FakeModel.js';

function batch(start: number, n: number, folds?: (id: number) => number): Batch {
  const x = new Float64Array(n),
    y = new Float64Array(n),
    f = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = start + i;
    x[i] = id % 3 === 0 ? 0.9 : 0.2;
    y[i] = id % 2;
    f[i] = folds?.(id) ?? 0;
  }
  const cols = [
    { type: 'number' as const, values: x, validity: null },
    { type: 'number' as const, values: y, validity: null },
  ];
  if (!folds) return new Batch(Schema.from({ x: 'number', y: 'number' }), cols, n, Batch.sequence(start, n));
  return new Batch(
    Schema.from({ x: 'number', y: 'number', __fold: 'integer' }),
    [...cols, { type: 'integer', values: f, validity: null }],
    n,
    Batch.sequence(start, n),
  );
}

test('a row of fold f is tested by copy f only, then learned by every other copy and never by copy f', async () => {
  const log: Call[] = [];
  const copies: FakeModel[] = [];
  const fold = (id: number) => (id * 5) % 3;
  const reports = await lastValueFrom(
    from([batch(0, 9, fold), batch(9, 9, fold)]).pipe(
      prequentialKFold(
        (f) => {
          const m = new FakeModel(`m${f}`, log);
          copies.push(m);
          return m;
        },
        { k: 3, metrics: ['accuracy'], vectorize: { target: 'y' } },
      ),
      toArray(),
    ),
  );
  for (let id = 0; id < 18; id++) {
    const f = fold(id);
    const tests = log.flatMap((c, i) => (c.op === 'predict' && c.rowIds.includes(id) ? [[c.model, i] as const] : []));
    const learns = log.flatMap((c, i) => (c.op === 'learn' && c.rowIds.includes(id) ? [[c.model, i] as const] : []));
    assert.equal(
      tests.map(([m]) => m),
      [`m${f}`],
      `row ${id} tested by m${f}`,
    );
    assert.equal(
      learns.map(([m]) => m).sort(),
      [0, 1, 2].filter((g) => g !== f).map((g) => `m${g}`),
      `row ${id} learned by the other copies`,
    );
    assert.ok(
      learns.every(([, i]) => i > tests[0]![1]),
      `row ${id} tested before it is learned`,
    );
  }
  const fin = reports.at(-1)!;
  assert.ok(fin.final);
  assert.is(fin.rows, 18);
  assert.equal(
    fin.folds.map((f) => f.rows),
    [0, 1, 2].map((f) => Array.from({ length: 18 }, (_, i) => i).filter((id) => fold(id) === f).length),
  );
  const mean = fin.folds.reduce((s, f) => s + f.metrics.accuracy!, 0) / 3;
  assert.ok(Math.abs(fin.mean.accuracy! - mean) < 1e-12);
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(
    copies.every((m) => m.disposed),
    'every copy disposed at teardown',
  );
});

test('works with the kfold operator upstream, and __fold is never a feature', async () => {
  const log: Call[] = [];
  const widths: number[] = [];
  await lastValueFrom(
    from([batch(0, 30)]).pipe(
      kfold(4, { seed: 3 }),
      prequentialKFold(
        (f) => {
          const m = new FakeModel(`m${f}`, log);
          const p = m.predict.bind(m);
          m.predict = async (x) => {
            widths.push(x.cols);
            return p(x);
          };
          return m;
        },
        { k: 4, metrics: ['accuracy'], vectorize: { target: 'y' } },
      ),
      toArray(),
    ),
  );
  assert.ok(widths.length > 0 && widths.every((w) => w === 1), 'only x is a feature');
  assert.is(log.filter((c) => c.op === 'predict').flatMap((c) => c.rowIds).length, 30);
});

test('missing fold column, fold out of range, same model twice: named errors', async () => {
  const op = (k = 3) => prequentialKFold((f) => new FakeModel(`m${f}`), { k, metrics: ['accuracy'], vectorize: { target: 'y' } });
  let err: unknown = null;
  try {
    await lastValueFrom(from([batch(0, 4)]).pipe(op()));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof SchemaError && /kfold\(3\)/.test(String(err)), String(err));
  err = null;
  try {
    await lastValueFrom(from([batch(0, 4, () => 5)]).pipe(op()));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof SchemaError && /fold 5/.test(String(err)), String(err));
  const same = new FakeModel();
  err = null;
  try {
    await lastValueFrom(from([batch(0, 4, () => 0)]).pipe(prequentialKFold(() => same, { k: 2, metrics: ['accuracy'], vectorize: { target: 'y' } })));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof SpecError && /same model/.test(String(err)), String(err));
  assert.throws(() => op(1), /prequentialKFold\.k/);
});

test.run();
