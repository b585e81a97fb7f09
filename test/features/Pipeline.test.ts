import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { Clip, DatetimeParts, DropColumns, Impute, Interactions, Pipeline, Scaler, transformRegistry, Validate, Vectorize } from '../../src/features/index.js';
import { Batch, Schema, SPLIT_COLUMN } from '../../src/index.js';

const schema = Schema.from({ dist: 'number', dep: 'datetime', late: 'boolean', note: 'category', [SPLIT_COLUMN]: 'integer' });

function batch(seed: number, n: number): Batch {
  const rng = new Rng(seed);
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push({
      dist: rng.float() < 0.1 ? null : rng.float() < 0.02 ? NaN : 100 + rng.normal() * 50,
      dep: Date.UTC(2024, 0, 1) + Math.floor(rng.float() * 365 * 86_400_000),
      late: rng.float() < 0.3,
      note: 'x',
      [SPLIT_COLUMN]: rng.float() < 0.8 ? 0 : 1,
    });
  }
  return Batch.fromRows(rows, schema);
}

function make(): Pipeline {
  return new Pipeline([
    new Validate({ nonFinite: 'missing' }),
    new Impute({ columns: { dist: 'median' }, indicator: true }),
    new Clip({ columns: ['dist'], method: 'quantile', lower: 0.05, upper: 0.95 }),
    new Scaler({ columns: ['dist'] }),
    new DatetimeParts({ column: 'dep', parts: ['hour', 'dayOfWeek'], encoding: 'both', timeZone: 'Europe/Berlin' }),
    new Interactions({ pairs: [['dist', 'dep_hour']] }),
    new DropColumns(['note']),
    new Vectorize({ target: 'late' }),
  ]);
}

test('save/load round trip gives byte-identical FeatureMatrix bytes', () => {
  const p = make();
  for (let k = 0; k < 5; k++) p.step(batch(k, 2000));
  const artifact = JSON.stringify(p.toJSON());
  const q = Pipeline.fromJSON(JSON.parse(artifact));
  assert.is(JSON.stringify(q.toJSON()), artifact);
  const probe = batch(99, 3000);
  const a = p.freeze().step(probe) as import('../../src/index.js').FeatureMatrix;
  const b = q.freeze().step(probe) as import('../../src/index.js').FeatureMatrix;
  assert.is(a.kind, 'dense');
  assert.equal(Buffer.from(b.values.buffer), Buffer.from(a.values.buffer));
  assert.equal(Buffer.from(b.targets!.buffer), Buffer.from(a.targets!.buffer));
  assert.equal(a.featureNames, [
    'dist',
    'dist_missing',
    'dep_hour',
    'dep_hour_sin',
    'dep_hour_cos',
    'dep_dayOfWeek',
    'dep_dayOfWeek_sin',
    'dep_dayOfWeek_cos',
    'dist*dep_hour',
  ]);
  assert.equal(p.toJSON().layout!.names, a.featureNames);
  for (const x of a.values) assert.ok(Number.isFinite(x));
});

test('frozen pipelines learn nothing; validation rows never change state', () => {
  const p = make();
  p.step(batch(1, 1000));
  const before = JSON.stringify(p.toJSON());
  p.transform(batch(2, 1000));
  p.freeze().step(batch(3, 1000));
  assert.is(JSON.stringify(p.toJSON()), before);
  const q = make();
  const b = batch(4, 1000);
  q.step(b);
  // Same training rows, wildly different validation rows: identical state.
  const vals = (b.column('dist') as { values: Float64Array }).values;
  const split = (b.column(SPLIT_COLUMN) as { values: Int32Array }).values;
  const v2 = vals.slice();
  for (let i = 0; i < v2.length; i++) if (split[i] !== 0) v2[i] = 1e9;
  const r = make();
  r.step(b.withColumn('dist', { type: 'number', values: v2, validity: b.column('dist').validity }));
  assert.is(JSON.stringify(r.toJSON()), JSON.stringify(q.toJSON()));
});

test('artifact version and unknown kinds are named', () => {
  assert.throws(() => Pipeline.fromJSON({ version: 2, transforms: [], layout: null }), /version: expected pipeline artifact version 1/);
  assert.throws(
    () => Pipeline.fromJSON({ version: 1, transforms: [{ kind: 'nope', state: {} }], layout: null }),
    /transforms\[0\]\.kind: unknown transform kind "nope"/,
  );
  assert.throws(() => new Pipeline([new Vectorize(), new DropColumns(['a'])]), /vectorize must be the last step/);
  for (const k of ['validate', 'impute', 'scale', 'clip', 'datetimeParts', 'interactions', 'select', 'drop', 'rename']) assert.ok(transformRegistry.has(k), k);
});

test.run();
