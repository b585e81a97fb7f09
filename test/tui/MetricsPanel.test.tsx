import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bestModel, MetricsPanel } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

const models = [
  { model: 'lr-0.1', rows: 5000, values: { accuracy: 0.81234, logLoss: 0.45 }, rolling: { accuracy: 0.8, logLoss: 0.5 } },
  { model: 'lr-0.01', rows: 5000, values: { accuracy: 0.7, logLoss: 0.6 }, rolling: { accuracy: 0.9, logLoss: 0.3 } },
];

test('each metric with its value since the start and rolling; best model starred', () => {
  assert.is(bestModel(models, 'accuracy'), 'lr-0.01', 'by rolling value');
  assert.is(bestModel(models, 'logLoss'), 'lr-0.01', 'lower loss is better');
  assert.is(bestModel(models.slice(0, 1), 'accuracy'), null, 'one model: no star');
  const r = render(<MetricsPanel models={models} best="lr-0.01" main="accuracy" width={40} height={8} />);
  const l = lines(r.lastFrame());
  assert.match(l[0]!, /^Metrics @ 5000 rows +all +rolling$/);
  assert.match(l[1]!, /^ {2}lr-0\.1 +accuracy +0\.8123 +0\.8000$/);
  assert.match(l[2]!, /^ +logLoss +0\.4500 +0\.5000$/);
  assert.match(l[3]!, /^★ lr-0\.01 +accuracy +0\.7000 +0\.9000$/);
  for (const x of l) assert.ok(cells(x) <= 40, x);
  r.unmount();
});

test('short of lines: the main metric per model, then +N more', () => {
  const many = Array.from({ length: 6 }, (_, i) => ({ model: `m${i}`, rows: 1, values: { accuracy: i / 10, f1: 0.5 }, rolling: {} }));
  const r = render(<MetricsPanel models={many} best="m5" main="accuracy" width={40} height={5} />);
  const l = lines(r.lastFrame());
  assert.is(l.length, 5);
  assert.not.match(r.lastFrame()!, /f1/);
  assert.match(l[4]!, /^\+3 more$/);
  r.rerender(<MetricsPanel models={[]} best={null} main={null} width={40} height={5} />);
  assert.match(r.lastFrame()!, /waiting for metrics/);
  r.unmount();
});

test.run();
