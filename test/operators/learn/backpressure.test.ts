import { lastValueFrom } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, type FeatureMatrix, fromPull, type PullChunk, Schema, Telemetry } from '../../../src/core/index.js';
import type { Model } from '../../../src/learn/index.js';
import { progressive, vectorize } from '../../../src/operators/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A model whose learning is slow and async, like a GPU step with a readback. */
function slowModel(): Model {
  let step = 0;
  return {
    kind: 'logistic',
    task: 'binary',
    outputs: 1,
    inputs: 1,
    // One mini-batch per source batch (8 rows): every batch makes the learner wait.
    batchSize: 8,
    backendName: 'cpu',
    adapter: 'test',
    get step() {
      return step;
    },
    async predict(x: FeatureMatrix) {
      return new Float32Array(x.rows).fill(0.5);
    },
    async learn() {
      await sleep(4);
      step++;
    },
    async lastLoss() {
      return NaN;
    },
    async state() {
      throw new Error('unused');
    },
    load() {},
    async dispose() {},
  };
}

test('vectorized matrices carry the batch ticket, so a slow async learner holds back the reader', async () => {
  const telemetry = new Telemetry();
  let maxDepth = 0;
  telemetry.on('queue').subscribe((e) => {
    maxDepth = Math.max(maxDepth, e.depth);
  });
  let pulled = 0;
  const total = 40;
  async function* gen(): AsyncGenerator<PullChunk> {
    for (let k = 0; k < total; k++) {
      pulled++;
      yield {
        batch: Batch.fromRows(
          Array.from({ length: 8 }, (_, i) => ({ x: i, y: i % 2 })),
          Schema.from({ x: 'number', y: 'number' }),
        ),
      };
    }
  }
  const capacity = 2;
  let seenAhead = 0;
  const model = slowModel();
  const done = lastValueFrom(
    fromPull(gen, { name: 'bp', capacity, telemetry }).pipe(vectorize({ target: 'y' }), progressive(model, { metrics: ['accuracy'] })),
  );
  const probe = setInterval(() => {
    seenAhead = Math.max(seenAhead, pulled - model.step);
  }, 1);
  await done;
  clearInterval(probe);
  assert.is(model.step, total);
  assert.ok(maxDepth <= capacity, `queue depth ${maxDepth} > ${capacity}`);
  // Without the ticket the reader would run all 40 batches ahead of the 4 ms learner.
  assert.ok(seenAhead <= capacity + 2, `reader ran ${seenAhead} batches ahead`);
});

test.run();
