import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProgressiveEvaluator } from '../../src/evaluate/index.js';
import { FakeModel, matrix } from '../operators/learn/FakeModel.js';

/** A label that looks random, and a score that predicts it right (0.9/0.1). */
const label = (id: number) => ((id * 7) % 3 === 0 ? 1 : 0);
const right = (id: number) => (label(id) ? 0.9 : 0.1);

test('ProgressiveEvaluator state round-trips its counters and metrics', async () => {
  const ev = new ProgressiveEvaluator(new FakeModel(), { metrics: ['accuracy', 'logLoss'] });
  await ev.process(matrix(0, 8, right, (id) => (id < 3 ? 1 - label(id) : label(id))));
  const copy = ProgressiveEvaluator.fromJSON(new FakeModel(), JSON.parse(JSON.stringify(ev.toJSON())), { metrics: ['accuracy', 'logLoss'] });
  assert.equal(copy.report().metrics, ev.report().metrics);
  assert.is(copy.report().rows, 8);
});

test.run();
