import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpecError } from '../../src/core/index.js';
import { type F1, METRIC_NAMES, makeMetric, type RocAuc, Rolling, suggest } from '../../src/metrics/index.js';

function specError(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (e) {
    assert.instance(e, SpecError);
    return e as SpecError;
  }
  throw new Error('expected a SpecError');
}

test('every name builds a metric of that name', () => {
  for (const name of METRIC_NAMES) assert.is(makeMetric(name).name, name);
});

test('unknown names: did you mean, at the given path', () => {
  const e = specError(() => makeMetric('acc', {}, 'metrics[2]'));
  assert.is(e.message, 'metrics[2]: unknown metric "acc", did you mean "accuracy"?');
  assert.is(e.path, 'metrics[2]');
  for (const [typo, meant] of [
    ['accuracy_score', 'accuracy'],
    ['roc_auc', 'rocAuc'],
    ['auc', 'rocAuc'],
    ['logloss', 'logLoss'],
    ['presicion', 'precision'],
    ['f1_score', 'f1'],
    ['r2Score', 'r2'],
    ['MAE', 'mae'],
    ['kapa', 'kappa'],
    ['average_precision', 'prAuc'],
    ['balanced', 'balancedAccuracy'],
  ] as const) {
    assert.match(specError(() => makeMetric(typo)).message, `did you mean "${meant}"?`, typo);
  }
  const none = specError(() => makeMetric('zzzzzz'));
  assert.match(none.message, /unknown metric "zzzzzz"; expected one of accuracy, balancedAccuracy/);
});

test('options are checked by key path, unknown options rejected with a suggestion', () => {
  const f = makeMetric('f1', { average: 'macro', positive: 0 }) as F1;
  assert.is(f.average, 'macro');
  assert.is(f.positive, 0);
  assert.is(
    specError(() => makeMetric('f1', { average: 'mac' }, 'm')).message,
    'm.average: expected one of binary, macro, micro, weighted, got "mac"; did you mean "macro"?',
  );
  assert.is(specError(() => makeMetric('f1', { averge: 'macro' }, 'm')).path, 'm.averge');
  assert.match(specError(() => makeMetric('f1', { averge: 'macro' })).message, /did you mean "average"/);
  assert.match(specError(() => makeMetric('accuracy', { average: 'macro' })).message, /accuracy has no option "average"/);
  assert.match(specError(() => makeMetric('rocAuc', { bins: 100 })).message, /bins only applies to mode "streaming"/);
  assert.match(specError(() => makeMetric('rocAuc', { mode: 'streaming', bins: 1 })).message, /bins: expected an integer in 2\.\./);
  assert.match(specError(() => makeMetric('mae', { window: 0 })).message, /window: expected an integer in 1\.\./);
  assert.match(specError(() => makeMetric('precision', { positive: -1 })).message, /positive/);
});

test('window wraps the metric; AUC options reach the metric', () => {
  const r = makeMetric('rocAuc', { mode: 'streaming', bins: 100, window: 50 });
  assert.instance(r, Rolling);
  const inner = (r as Rolling).metric as RocAuc;
  assert.is(inner.mode, 'streaming');
  assert.is(inner.bins, 100);
  assert.is((r as Rolling).window, 50);
});

test('suggest: nothing for unrelated input, nearest otherwise', () => {
  assert.is(suggest('', ['a']), undefined);
  assert.is(suggest('colour', ['color', 'size']), 'color');
  assert.is(suggest('xyz', ['color', 'size']), undefined);
});

test.run();
