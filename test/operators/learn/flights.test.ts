import { fileURLToPath } from 'node:url';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Telemetry } from '../../../src/core/index.js';
import { derive, fromArrowIpc, impute, progressive, standardize, vectorize } from '../../../src/operators/index.js';

const FLIGHTS = fileURLToPath(new URL('../../../node_modules/vega-datasets/data/flights-200k.arrow', import.meta.url));

// The file is sorted by time of day (delays grow from ~11% early to ~32% late), a drifting stream:
// small source batches let the model (and the running standardization) follow it.
test('flights-200k: progressive logistic regression predicting delay > 15 beats the trivial baseline', async () => {
  let positives = 0,
    labeled = 0;
  const telemetry = new Telemetry();
  const reports = await lastValueFrom(
    fromArrowIpc(FLIGHTS, { telemetry, batchSize: 1024 }).pipe(
      derive('delayed', 'delay > 15'),
      impute({ distance: 'median', time: 'median' }),
      standardize(['distance', 'time']),
      vectorize({ target: 'delayed', drop: ['delay'] }),
      tap((m) => {
        for (const y of m.targets!)
          if (y === y) {
            labeled++;
            positives += y;
          }
      }),
      progressive(
        { kind: 'logistic', optimizer: 'sgd', lr: 0.1, batchSize: 32, backend: 'cpu', seed: 1 },
        { metrics: ['accuracy', 'logLoss', 'rocAuc'], rolling: 10_000, telemetry },
      ),
      toArray(),
    ),
  );
  const r = reports.at(-1)!;
  console.log(
    `    flights-200k progressive: ${JSON.stringify({ rows: r.rows, metrics: r.metrics, rolling: r.rolling, positiveRate: positives / labeled, rowsPerSecond: Math.round(r.rowsPerSecond) })}`,
  );
  assert.ok(r.final);
  assert.is(r.rows, 200_000);
  assert.is(r.labeled, labeled);
  const p = positives / labeled;
  // The trivial baseline: always the majority class (accuracy), the base rate as P(y=1) (log loss), no ranking (AUC 0.5).
  const majority = Math.max(p, 1 - p);
  const baseLogLoss = -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
  for (const k of ['accuracy', 'logLoss', 'rocAuc']) assert.ok(Number.isFinite(r.metrics[k]), `${k} is finite`);
  // P(delayed | distance, time) stays under 1/2 outside the few night flights, so no model beats
  // the majority class on accuracy here; progressive scoring also pays the untrained first batch.
  assert.ok(r.metrics.accuracy! > majority - 0.005, `accuracy ${r.metrics.accuracy} vs majority ${majority}`);
  assert.ok(r.metrics.logLoss! < baseLogLoss, `log loss ${r.metrics.logLoss} vs base rate ${baseLogLoss}`);
  assert.ok(r.metrics.rocAuc! > 0.55, `ROC AUC ${r.metrics.rocAuc}`);
  assert.is(r.backend, 'cpu');
});

test.run();
