import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpecError } from '../../src/core/index.js';
import { createModel, type ModelOptions, resolveModelOptions } from '../../src/learn/index.js';

function specError(o: unknown, path: string): void {
  try {
    resolveModelOptions(o as ModelOptions);
  } catch (e) {
    assert.instance(e, SpecError);
    assert.is((e as SpecError).path, path, (e as Error).message);
    return;
  }
  assert.unreachable(`expected SpecError at ${path}`);
}

test('defaults by kind', () => {
  const lin = resolveModelOptions({ kind: 'linear' });
  assert.is(lin.task, 'regression');
  assert.is(lin.outputs, 1);
  // The linear kinds default to the host's per-row normalized optimizer (no rate to tune); a GPU backend keeps sgd in mini-batches.
  assert.is(lin.optimizer, 'normalized');
  assert.is(lin.batchSize, 1);
  assert.is(lin.lr, 0.5);
  assert.is(lin.targetScale, null);
  const gpu = resolveModelOptions({ kind: 'logistic', backend: 'webgpu' });
  assert.equal([gpu.optimizer, gpu.batchSize, gpu.lr], ['sgd', 32, 0.1]);
  assert.equal(
    [resolveModelOptions({ kind: 'logistic', optimizer: 'ftrl' }).batchSize, resolveModelOptions({ kind: 'logistic', optimizer: 'adam' }).batchSize],
    [1, 32],
  );
  const mlp = resolveModelOptions({ kind: 'mlp', hidden: [4], classes: 3, task: 'multiclass' });
  assert.is(mlp.output, 'softmax');
  assert.is(mlp.outputs, 3);
  assert.is(mlp.optimizer, 'adam');
  assert.is(mlp.init, 'he');
  assert.is(resolveModelOptions({ kind: 'mlp', activation: 'tanh' }).init, 'xavier');
  assert.is(resolveModelOptions({ kind: 'mlp', output: 'identity' }).task, 'regression');
  const en = resolveModelOptions({ kind: 'logistic', elasticNet: { alpha: 0.1, l1Ratio: 0.25 } });
  assert.ok(Math.abs(en.l1 - 0.025) < 1e-15 && Math.abs(en.l2 - 0.075) < 1e-15);
  assert.is(resolveModelOptions({ kind: 'passiveAggressive' }).batchSize, 1);
});

test('bad options name their key', () => {
  specError({ kind: 'tree' }, 'kind');
  specError({ kind: 'logistic', lr: -1 }, 'lr');
  specError({ kind: 'logistic', optimizer: 'lbfgs' }, 'optimizer');
  specError({ kind: 'softmax' }, 'classes');
  specError({ kind: 'logistic', task: 'regression' }, 'task');
  specError({ kind: 'logistic', hidden: [3] }, 'hidden');
  specError({ kind: 'mlp', hidden: [3, 0] }, 'hidden[1]');
  specError({ kind: 'mlp', task: 'binary', output: 'softmax' }, 'output');
  specError({ kind: 'mlp', optimizer: 'ftrl' }, 'optimizer');
  specError({ kind: 'mlp', optimizer: 'normalized' }, 'optimizer');
  specError({ kind: 'logistic', optimizer: 'normalized', schedule: { kind: 'inverse' } }, 'schedule');
  specError({ kind: 'logistic', clip: 1 }, 'clip');
  specError({ kind: 'logistic', targetScale: { mean: 0, std: 1 } }, 'targetScale');
  specError({ kind: 'linear', optimizer: 'sgd', targetScale: { mean: 0, std: 1 } }, 'targetScale');
  specError({ kind: 'linear', targetScale: { mean: 0, std: 0 } }, 'targetScale.std');
  specError({ kind: 'linear', targetScale: { mean: 'a', std: 1 } }, 'targetScale.mean');
  specError({ kind: 'linear', targetScale: { mean: 0, std: 1, scale: 2 } }, 'targetScale.scale');
  specError({ kind: 'passiveAggressive', targetScale: { mean: 0, std: 1 } }, 'targetScale');
  specError({ kind: 'logistic', schedule: { kind: 'step' } }, 'schedule.every');
  specError({ kind: 'logistic', schedule: { kind: 'cosine', steps: 10, gamma: 2 } }, 'schedule.gamma');
  specError({ kind: 'logistic', elasticNet: { alpha: 1, l1Ratio: 2 } }, 'elasticNet.l1Ratio');
  specError({ kind: 'logistic', l1: 0.1, elasticNet: { alpha: 1, l1Ratio: 0.5 } }, 'elasticNet');
  specError({ kind: 'softmax', classes: 3, classWeights: [1, 2] }, 'classWeights');
  specError({ kind: 'logistic', classWeights: [1, -2] }, 'classWeights[1]');
  specError({ kind: 'logistic', batchSize: 2.5 }, 'batchSize');
  specError({ kind: 'passiveAggressive', batchSize: 8 }, 'batchSize');
  specError({ kind: 'logistic', backend: 'tpu' }, 'backend');
  specError({ kind: 'logistic', learningRate: 0.1 }, 'learningRate');
  specError({ kind: 'logistic', optimizer: 'ftrl', schedule: 'cosine' }, 'schedule.steps');
  specError({ kind: 'logistic', optimizer: 'ftrl', schedule: { kind: 'inverse' } }, 'schedule');
});

test('createModel checks options before building anything', async () => {
  try {
    await createModel({ kind: 'logistic', clip: 0 });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SpecError);
    assert.is((e as SpecError).path, 'clip');
  }
});

test.run();
