// The README's library example, run by test/examples/library.test.ts so it cannot rot.
// Predicts whether a flight is more than 15 minutes late, scoring every row before learning it.
import { last, lastValueFrom } from 'rxjs';
import { derive, fromArrowIpc, impute, progressive, standardize, textLogger, vectorize } from '../src/index.js';

const flights = new URL('../node_modules/vega-datasets/data/flights-200k.arrow', import.meta.url).pathname;
const maxRows = Number(process.argv[2] ?? 200_000);

const logging = textLogger(); // plain progress lines on stderr
const report = await lastValueFrom(
  fromArrowIpc(flights, { batchSize: 4096 }).pipe(
    derive('late', 'delay > 15'), // the safe expression language
    impute({ distance: 'median', time: 'mean' }),
    standardize(['distance', 'time']),
    vectorize({ target: 'late', drop: ['delay'] }), // Batch → FeatureMatrix
    progressive(
      { kind: 'logistic', optimizer: 'adam', lr: 0.01, batchSize: 64, backend: 'cpu' },
      { metrics: ['accuracy', 'rocAuc', 'logLoss'], rolling: 10_000, maxRows },
    ),
    last(),
  ),
);
logging.unsubscribe();
console.log(JSON.stringify({ rows: report.rows, metrics: report.metrics, rowsPerSecond: Math.round(report.rowsPerSecond) }));
