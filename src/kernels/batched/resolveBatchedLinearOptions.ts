import { Rng, SpecError } from '../../core/index.js';

/** Loss of every model in a batch; semantics as Backend.lossGrad (targets are f32 here). */
export type BatchedLoss = 'squared' | 'logistic' | 'softmax' | 'hinge';

/** Per-model hyperparameters: plain SGD on the mean mini-batch gradient. */
export interface ModelHyper {
  lr: number;
  /** L2 on the weights (not the bias), added to the gradient. */
  l2?: number;
  /** L1 on the weights, applied proximally after the step: w = sign(w)·max(|w| − lr·l1, 0). */
  l1?: number;
}

export interface BatchedLinearOptions {
  /** Input width d. */
  features: number;
  /** Output width: 1 for squared/logistic/hinge (one target a row), the class count for softmax (default 1). */
  outputs?: number;
  loss: BatchedLoss;
  /** One entry per model: K = hyper.length. */
  hyper: readonly ModelHyper[];
  /** Initial weights: zeros when absent, else N(0, initStd²) from this seed (the same for every backend). */
  seed?: number;
  /** Default 0.01. */
  initStd?: number;
}

export interface ResolvedBatchedLinear {
  models: number;
  features: number;
  outputs: number;
  loss: BatchedLoss;
  /** K×4 rows of lr, l2, l1, 0 (the GPU's per-model uniform-free layout). */
  hyper: Float32Array;
  /** Initial K×d×out weights and K×out biases. */
  w: Float32Array;
  b: Float32Array;
}

const LOSSES: readonly BatchedLoss[] = ['squared', 'logistic', 'softmax', 'hinge'];

/** Validates options (SpecError naming the option) and builds the initial state shared by all backends. */
export function resolveBatchedLinearOptions(o: BatchedLinearOptions): ResolvedBatchedLinear {
  if (!Number.isInteger(o.features) || o.features < 1) throw new SpecError('features', `must be a positive integer, got ${o.features}`);
  if (!LOSSES.includes(o.loss)) throw new SpecError('loss', `must be one of ${LOSSES.join(', ')}, got ${String(o.loss)}`);
  const outputs = o.outputs ?? 1;
  if (!Number.isInteger(outputs) || outputs < 1) throw new SpecError('outputs', `must be a positive integer, got ${outputs}`);
  if (o.loss !== 'softmax' && outputs !== 1) throw new SpecError('outputs', `${o.loss} has one output, got ${outputs}`);
  if (o.loss === 'softmax' && outputs < 2) throw new SpecError('outputs', `softmax needs at least 2 classes, got ${outputs}`);
  if (!Array.isArray(o.hyper) || o.hyper.length < 1) throw new SpecError('hyper', 'needs one entry per model (at least one)');
  const models = o.hyper.length;
  const hyper = new Float32Array(models * 4);
  o.hyper.forEach((h, m) => {
    for (const key of ['lr', 'l2', 'l1'] as const) {
      const v = h[key] ?? 0;
      if (!Number.isFinite(v) || v < 0 || (key === 'lr' && v === 0))
        throw new SpecError(`hyper[${m}].${key}`, `must be a finite ${key === 'lr' ? 'positive' : 'non-negative'} number, got ${v}`);
    }
    hyper[m * 4] = h.lr;
    hyper[m * 4 + 1] = h.l2 ?? 0;
    hyper[m * 4 + 2] = h.l1 ?? 0;
  });
  const w = new Float32Array(models * o.features * outputs);
  if (o.seed !== undefined) {
    const rng = new Rng(o.seed),
      std = o.initStd ?? 0.01;
    for (let i = 0; i < w.length; i++) w[i] = rng.normal(0, std);
  }
  return { models, features: o.features, outputs, loss: o.loss, hyper, w, b: new Float32Array(models * outputs) };
}
