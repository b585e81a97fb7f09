import { firstValueFrom, from, lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Pipeline, Scaler, Vectorize } from '../../../src/features/index.js';
import { Batch, FeatureMatrix, Schema, Telemetry, type TelemetryEvent } from '../../../src/index.js';
import {
  clip,
  datetimeParts,
  drop,
  explore,
  impute,
  interactions,
  pipeline,
  rename,
  scale,
  select,
  standardize,
  transform,
  validate,
  vectorize,
} from '../../../src/operators/index.js';

const schema = Schema.from({ x: 'number', c: 'category' });
const batches = () => [
  Batch.fromRows(
    [
      { x: 1, c: 'a' },
      { x: null, c: 'b' },
    ],
    schema,
  ),
  Batch.fromRows(
    [
      { x: 3, c: 'zzz' },
      { x: 5, c: 'a' },
    ],
    schema,
  ),
];

test('validate skips bad rows with books published on completion; fail errors with the location', async () => {
  const telemetry = new Telemetry();
  const events: TelemetryEvent[] = [];
  telemetry.events$.subscribe((e) => events.push(e));
  const out = await lastValueFrom(from(batches()).pipe(validate({ categories: { c: ['a', 'b'] }, required: ['x'], telemetry }), toArray()));
  assert.equal(
    out.flatMap((b) => b.toRows()),
    [
      { x: 1, c: 'a' },
      { x: 5, c: 'a' },
    ],
  );
  const account = events.find((e) => e.type === 'account');
  assert.ok(account && account.type === 'account' && account.read === 4 && account.skipped === 2 && account.done);
  assert.equal(
    events.filter((e) => e.type === 'skipped').map((e) => e.type === 'skipped' && e.reason),
    ['required', 'category'],
  );
  let err: unknown;
  try {
    await lastValueFrom(from(batches()).pipe(validate({ required: ['x'], badRows: 'fail' })));
  } catch (e) {
    err = e;
  }
  assert.match(String(err), /validate:0:1: column "x"/);
});

test('options are checked at creation with the key named', () => {
  assert.throws(() => impute({ x: 'avg' as never }), /impute\.x: expected one of mean\|median\|mode\|constant\|previous, got "avg"/);
  assert.throws(() => scale(['x'], { method: 'log' as never }), /scale\.method/);
  assert.throws(() => clip(['x'], { z: -1 }), /clip\.z/);
  assert.throws(() => datetimeParts('d', []), /datetimeParts\.parts/);
  assert.throws(() => vectorize({ output: 'sparse' as never }), /vectorize\.output/);
  assert.throws(() => validate({ badRows: 'ignore' as never }), /badRows: expected one of skip\|fail/);
  assert.throws(() => explore({ bins: 3 }), /bins/);
});

test('impute → standardize → interactions → select/rename → vectorize', async () => {
  const ms = await lastValueFrom(
    from(batches()).pipe(
      impute({ x: 'mean' }),
      standardize(['x']),
      interactions({ pairs: [['x', 'x']] }),
      drop(['c']),
      rename({ 'x*x': 'x2' }),
      select(['x2', 'x']),
      vectorize(),
      toArray(),
    ),
  );
  assert.ok(ms.every((m) => m instanceof FeatureMatrix));
  assert.equal(ms[0]!.featureNames, ['x2', 'x']);
  // Batch 1: impute fills 1 (mean of [1]); the scaler sees [1, 1] (std 0 → divides by 1): x = [0, 0].
  // Batch 2: the scaler has seen [1, 1, 3, 5]: mean 2.5, variance 2.75.
  assert.equal(Array.from(ms[0]!.values), [0, 0, 0, 0]);
  const s = Math.sqrt(2.75);
  assert.ok(Math.abs(ms[1]!.values[1]! - 0.5 / s) < 1e-6 && Math.abs(ms[1]!.values[3]! - 2.5 / s) < 1e-6);
  assert.ok(Math.abs(ms[1]!.values[2]! - (2.5 / s) ** 2) < 1e-5);
});

test('each subscription gets fresh state; a shared instance keeps its state; frozen learns nothing', async () => {
  const op = scale(['x'], { method: 'minmax' });
  const one = await lastValueFrom(from(batches()).pipe(op, toArray()));
  const two = await lastValueFrom(from(batches()).pipe(op, toArray()));
  assert.equal(
    one.flatMap((b) => b.toRows()),
    two.flatMap((b) => b.toRows()),
  );
  const shared = new Scaler({ columns: ['x'] });
  await lastValueFrom(from(batches()).pipe(transform(shared), toArray()));
  assert.equal(shared.params('x').center, 3);
  const frozen = new Scaler({ columns: ['x'] });
  await lastValueFrom(from(batches()).pipe(transform(frozen, { frozen: true }), toArray()));
  assert.equal(frozen.params('x'), { center: 0, scale: 1 });
});

test('explore passes batches through and publishes stats', async () => {
  const telemetry = new Telemetry();
  const stats: TelemetryEvent[] = [];
  telemetry.on('stats').subscribe((e) => stats.push(e));
  const out = await lastValueFrom(from(batches()).pipe(explore({ telemetry, intervalMs: 60_000, source: 'flights' }), toArray()));
  assert.is(out.length, 2);
  assert.is(stats.length, 2, 'first batch, then completion');
  const last = stats[1]!;
  assert.ok(last.type === 'stats' && last.source === 'flights');
  const x = (last as Extract<TelemetryEvent, { type: 'stats' }>).columns.x as { count: number; missing: number; mean: number };
  assert.equal([x.count, x.missing, x.mean], [4, 1, 3]);
});

test('pipeline operator runs a Pipeline and leaves its state with the caller', async () => {
  const p = new Pipeline([new Scaler({ columns: ['x'] }), new Vectorize({ features: ['x'], missing: 'zero' })]);
  const m = await firstValueFrom(from(batches()).pipe(pipeline(p)));
  assert.ok(m instanceof FeatureMatrix);
  assert.equal(p.layout!.names, ['x']);
});

test.run();
