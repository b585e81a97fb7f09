import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FeatureMatrix } from '../../src/core/index.js';
import { ProgressiveEvaluator, TestThenTrain } from '../../src/evaluate/index.js';
import { MetricSet } from '../../src/metrics/index.js';
import { hashedStream, SgdModel } from './SgdModel.js';

const data = hashedStream(5000, 200, 7, 0.1);
const cut = (m: FeatureMatrix, size: number) =>
  Array.from({ length: Math.ceil(m.rows / size) }, (_, k) => m.sliceRows(k * size, Math.min(m.rows, (k + 1) * size)));

/** Rows as the hook saw them: position → [target, prediction]; checks each run is contiguous and at most `max` rows. */
async function seen(model: SgdModel, batches: FeatureMatrix[], max: number, onChunk = false) {
  const rows = new Map<number, [number, number]>();
  let next = 0;
  const engine = new TestThenTrain(model, {
    metrics: new MetricSet(['accuracy', 'logLoss']),
    onScored: (first, t, p) => {
      assert.is(first, next, 'runs come in stream order, back to back');
      assert.ok(t.length <= max, `${t.length} rows in one run`);
      for (let i = 0; i < t.length; i++) rows.set(first + i, [t[i]!, p[i]!]);
      next = first + t.length;
    },
    ...(onChunk ? { onChunk: () => false } : {}),
  });
  for (const b of batches) await engine.process(b);
  await engine.finish();
  return { rows, metrics: engine.metrics!.values() };
}

test('onScored sees every row once, in order, with its target (NaN when unlabeled) and the prediction the metrics scored', async () => {
  const plain = new TestThenTrain(new SgdModel(1, 200, true), { metrics: new MetricSet(['accuracy', 'logLoss']) });
  for (const b of cut(data, 700)) await plain.process(b);
  await plain.finish();
  for (const [b, tt, chunk] of [
    [1, true, false],
    [32, false, false],
    [32, true, true],
  ] as const) {
    const { rows, metrics } = await seen(new SgdModel(b, 200, tt), cut(data, 700), 256, chunk);
    assert.is(rows.size, data.rows);
    for (let i = 0; i < data.rows; i += 97) {
      const y = data.targets![i]!;
      assert.ok(Number.isNaN(y) ? Number.isNaN(rows.get(i)![0]) : rows.get(i)![0] === y, `row ${i}`);
    }
    if (b === 1) assert.equal(metrics, plain.metrics!.values(), 'the hook changes no number');
  }
});

test('onScored after a label delay: the rows as their labels arrive, at their stream positions', async () => {
  const got: number[] = [];
  const ev = new ProgressiveEvaluator(new SgdModel(1, 200, true), {
    metrics: ['accuracy'],
    labelDelay: { rows: 300 },
    onScored: (first, t) => {
      for (let i = 0; i < t.length; i++) got.push(first + i);
    },
  });
  for (const b of cut(data, 500)) await ev.process(b);
  await ev.finish();
  assert.equal(
    got,
    Array.from({ length: data.rows }, (_, i) => i),
  );
});

test('onScored must be a function', () => {
  assert.throws(() => ProgressiveEvaluator.check({ metrics: ['accuracy'], onScored: 1 as never }), /progressive\.onScored: expected a function/);
});

test.run();
