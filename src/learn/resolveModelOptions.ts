import { SpecError } from '../core/index.js';
import { BACKEND_CHOICES, type Backend, type BackendChoice, type CreateBackendOptions } from '../kernels/index.js';
import { HIDDEN_ACTIVATIONS, type HiddenActivation } from './HIDDEN_ACTIVATIONS.js';
import { LEARN_OPTIMIZERS, type LearnOptimizer } from './LEARN_OPTIMIZERS.js';
import { MODEL_KINDS, type ModelKind, TREE_KINDS, type TreeKind } from './MODEL_KINDS.js';
import { MODEL_OPTION_KINDS } from './MODEL_OPTION_KINDS.js';
import type { Task } from './Model.js';
import { optimizersFor } from './optimizersFor.js';
import { PA_VARIANTS, type PaVariant } from './PA_VARIANTS.js';
import { resolveTreeOptions, TREE_OPTION_KEYS, type TreeOptions } from './resolveTreeOptions.js';
import type { Schedule } from './scheduledRate.js';

export type OutputActivation = 'sigmoid' | 'softmax' | 'identity';

/** What `createModel` takes. Everything but `kind` has a default. The tree options (TreeOptions) go to the tree kinds. */
export interface ModelOptions extends TreeOptions {
  kind: ModelKind;
  /** Derived from the kind (and an MLP's output) when left out. */
  task?: Task;
  /** Class count for multiclass (softmax, MLP with softmax output); 2 for binary. */
  classes?: number;
  /** Input width; else fixed by the first batch. */
  inputs?: number;
  /** MLP hidden layer widths, e.g. [32, 16]. */
  hidden?: number[];
  /** MLP hidden activation (default relu). */
  activation?: HiddenActivation;
  /** MLP output: sigmoid (binary), softmax (multiclass), identity (regression); default from task. */
  output?: OutputActivation;
  /** MLP weight initialisation from the seed (default: he for relu, xavier for tanh/sigmoid). */
  init?: 'he' | 'xavier';
  /**
   * Default `normalized` for linear, logistic, softmax and svm on the cpu or auto backend (per-row,
   * adaptive, normalized, importance-aware: no rate to tune; docs/learn.md), adam for MLP, sgd
   * otherwise. `normalized` and `ftrl` run on the host for the linear kinds.
   */
  optimizer?: LearnOptimizer;
  /** Base learning rate (FTRL's α). Default 0.5 (normalized), 0.01 (adam), 0.1 (others). */
  lr?: number;
  schedule?: Schedule | Schedule['kind'];
  momentum?: number;
  beta1?: number;
  beta2?: number;
  rho?: number;
  eps?: number;
  /** FTRL-Proximal β (default 1). */
  ftrlBeta?: number;
  /** L1 (proximal) and L2 coefficients on weights (never on biases). */
  l1?: number;
  l2?: number;
  /** scikit-learn style: l1 = alpha·l1Ratio, l2 = alpha·(1 − l1Ratio). Excludes l1/l2. */
  elasticNet?: { alpha: number; l1Ratio: number };
  /** Clip the gradient to this global L2 norm (over every parameter buffer). */
  clip?: number;
  /** Per-class multipliers of the loss (index = class). */
  classWeights?: number[];
  /** Rows per update: default 1 (per row) for normalized, ftrl and passiveAggressive, 32 otherwise. */
  batchSize?: number;
  /**
   * Regression: learn on (y − mean)/std and predict mean + std·f(x) (linear with optimizer
   * normalized or ftrl, passiveAggressive). Left out, `normalized` keeps running moments of the
   * target and rescales its weights as they change (outputs unchanged); the others learn on y.
   */
  targetScale?: { mean: number; std: number };
  /** Passive-aggressive: PA, PA-I (default) or PA-II, aggressiveness C, regression ε-insensitivity. */
  variant?: PaVariant;
  C?: number;
  epsilon?: number;
  backend?: BackendChoice;
  /** Extra options for createBackend (e.g. `{ software: true }`). */
  backendOptions?: CreateBackendOptions;
  /** A backend to build on instead of creating one; the model does not dispose it. Not serialized. */
  device?: Backend;
  seed?: number;
}

/** The options after defaults and checks: plain JSON, recorded in ModelState.options. */
export interface ResolvedModelOptions {
  kind: ModelKind;
  task: Task;
  classes: number;
  outputs: number;
  inputs: number | null;
  hidden: number[];
  activation: HiddenActivation;
  output: OutputActivation;
  init: 'he' | 'xavier';
  optimizer: LearnOptimizer;
  lr: number;
  schedule: Schedule;
  momentum: number;
  beta1: number;
  beta2: number;
  rho: number;
  eps: number;
  ftrlBeta: number;
  l1: number;
  l2: number;
  clip: number;
  classWeights: number[] | null;
  batchSize: number;
  targetScale: { mean: number; std: number } | null;
  variant: PaVariant;
  C: number;
  epsilon: number;
  backend: BackendChoice;
  seed: number;
  /** The tree kinds' options as given (the tree classes record their defaults in their state); absent for the others. */
  tree?: TreeOptions;
}

const KNOWN = new Set([
  'kind',
  'task',
  'classes',
  'inputs',
  'hidden',
  'activation',
  'output',
  'init',
  'optimizer',
  'lr',
  'schedule',
  'momentum',
  'beta1',
  'beta2',
  'rho',
  'eps',
  'ftrlBeta',
  'l1',
  'l2',
  'elasticNet',
  'clip',
  'classWeights',
  'batchSize',
  'targetScale',
  'variant',
  'C',
  'epsilon',
  'backend',
  'backendOptions',
  'device',
  'seed',
  ...TREE_OPTION_KEYS,
]);

function num(o: Record<string, unknown>, key: string, def: number, ok: (v: number) => boolean, what: string): number {
  const v = o[key];
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new SpecError(key, `must be ${what}, got ${JSON.stringify(v)}`);
  return v;
}

function oneOf<T extends string>(o: Record<string, unknown>, key: string, allowed: readonly T[], def: T): T {
  const v = o[key];
  if (v === undefined) return def;
  if (!allowed.includes(v as T)) throw new SpecError(key, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

const positive = (v: number) => v > 0;
const nonNegative = (v: number) => v >= 0;
const posInt = (v: number) => Number.isInteger(v) && v > 0;

function resolveSchedule(v: unknown): Schedule {
  // Resolving a resolved schedule gives it back unchanged (a checkpoint's model is rebuilt from its options).
  if (v === undefined) return { kind: 'constant', warmup: 0 };
  const s = (typeof v === 'string' ? { kind: v } : v) as Record<string, unknown>;
  if (!s || typeof s !== 'object') throw new SpecError('schedule', `must be a schedule name or object, got ${JSON.stringify(v)}`);
  const kind = oneOf(s, 'kind', ['constant', 'inverse', 'step', 'cosine'] as const, 'constant');
  const at = (k: string) => `schedule.${k}`;
  const get = (k: string, def: number | undefined, ok: (x: number) => boolean, what: string): number | undefined => {
    const x = s[k];
    if (x === undefined) {
      if (def === undefined) return undefined;
      return def;
    }
    if (typeof x !== 'number' || !Number.isFinite(x) || !ok(x)) throw new SpecError(at(k), `must be ${what}, got ${JSON.stringify(x)}`);
    return x;
  };
  const allowed: Record<string, string[]> = { constant: [], inverse: ['decay', 'power'], step: ['every', 'gamma'], cosine: ['steps', 'floor'] };
  for (const k of Object.keys(s))
    if (k !== 'kind' && k !== 'warmup' && !allowed[kind]!.includes(k)) throw new SpecError(at(k), `is not an option of the ${kind} schedule`);
  const warmup = get('warmup', 0, (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer')!;
  switch (kind) {
    case 'constant':
      return { kind, warmup };
    case 'inverse':
      return { kind, decay: get('decay', 1, nonNegative, 'non-negative'), power: get('power', 0.5, nonNegative, 'non-negative'), warmup };
    case 'step': {
      const every = get('every', undefined, posInt, 'a positive integer');
      if (every === undefined) throw new SpecError(at('every'), 'is required for the step schedule');
      return { kind, every, gamma: get('gamma', 0.1, positive, 'positive'), warmup };
    }
    case 'cosine': {
      const steps = get('steps', undefined, posInt, 'a positive integer');
      if (steps === undefined) throw new SpecError(at('steps'), 'is required for the cosine schedule');
      return { kind, steps, floor: get('floor', 0, nonNegative, 'non-negative'), warmup };
    }
  }
}

/** Applies defaults and checks every option, throwing SpecError naming the key at fault. */
export function resolveModelOptions(options: ModelOptions): ResolvedModelOptions {
  if (!options || typeof options !== 'object') throw new SpecError('model', 'options must be an object');
  const o = options as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new SpecError(k, `unknown model option (known: ${[...KNOWN].join(', ')})`);
  if (!MODEL_KINDS.includes(o.kind as ModelKind)) throw new SpecError('kind', `must be one of ${MODEL_KINDS.join(', ')}, got ${JSON.stringify(o.kind)}`);
  const kind = o.kind as ModelKind;
  const isMlp = kind === 'mlp';
  const isTree = (TREE_KINDS as readonly string[]).includes(kind);
  for (const [k, kinds] of Object.entries(MODEL_OPTION_KINDS)) {
    if (o[k] !== undefined && !kinds.includes(kind))
      throw new SpecError(k, `only applies to kind${kinds.length > 1 ? 's' : ''} ${kinds.join(', ')}, not ${kind}`);
  }

  const taskGiven = oneOf(o, 'task', ['binary', 'multiclass', 'regression'] as const, undefined as unknown as Task) as Task | undefined;
  let output = oneOf(o, 'output', ['sigmoid', 'softmax', 'identity'] as const, undefined as unknown as OutputActivation) as OutputActivation | undefined;
  const fixed: Partial<Record<ModelKind, Task>> = { linear: 'regression', logistic: 'binary', softmax: 'multiclass', svm: 'binary' };
  let task: Task;
  if (fixed[kind]) {
    task = fixed[kind]!;
    if (taskGiven && taskGiven !== task) throw new SpecError('task', `a ${kind} model is ${task}, not ${taskGiven}`);
  } else if (isTree) {
    task = taskGiven ?? 'binary';
  } else if (kind === 'passiveAggressive') {
    task = taskGiven ?? 'binary';
    if (task === 'multiclass') throw new SpecError('task', 'passiveAggressive is binary or regression');
  } else {
    const byOutput: Record<OutputActivation, Task> = { sigmoid: 'binary', softmax: 'multiclass', identity: 'regression' };
    const byTask: Record<Task, OutputActivation> = { binary: 'sigmoid', multiclass: 'softmax', regression: 'identity' };
    task = taskGiven ?? (output ? byOutput[output] : 'binary');
    output ??= byTask[task];
    if (byOutput[output] !== task) throw new SpecError('output', `${output} output does not fit a ${task} task`);
  }
  const classes = num(o, 'classes', task === 'multiclass' ? NaN : task === 'binary' ? 2 : 1, (v) => Number.isInteger(v) && v >= 2, 'an integer ≥ 2');
  if (task === 'multiclass' && Number.isNaN(classes)) throw new SpecError('classes', `is required for a multiclass ${kind} model`);
  if (task === 'binary' && classes !== 2) throw new SpecError('classes', `a binary ${kind} model has 2 classes, got ${classes}`);
  if (task === 'regression' && o.classes !== undefined) throw new SpecError('classes', 'does not apply to regression');
  const outputs = task === 'multiclass' ? classes : 1;

  const inputs = o.inputs === undefined ? null : num(o, 'inputs', 0, posInt, 'a positive integer');
  let hidden: number[] = [];
  if (o.hidden !== undefined) {
    if (!Array.isArray(o.hidden)) throw new SpecError('hidden', 'must be an array of layer widths');
    hidden = o.hidden.map((h, i) => {
      if (!posInt(h as number)) throw new SpecError(`hidden[${i}]`, `must be a positive integer, got ${JSON.stringify(h)}`);
      return h as number;
    });
  }
  const activation = oneOf(o, 'activation', HIDDEN_ACTIVATIONS, 'relu');
  const init = oneOf(o, 'init', ['he', 'xavier'] as const, activation === 'relu' ? 'he' : 'xavier');

  const backend = oneOf(o, 'backend', BACKEND_CHOICES, 'cpu');
  if (isTree && backend !== 'cpu' && backend !== 'auto')
    throw new SpecError('backend', `${kind} trees learn on the cpu (there is no ${backend} kernel for them)`);
  if (isTree && o.device !== undefined) throw new SpecError('device', `${kind} trees learn on the cpu: they take no device`);
  // The linear kinds learn per row on the host unless a GPU backend (by name, or a device) is given.
  const linear = kind === 'linear' || kind === 'logistic' || kind === 'softmax' || kind === 'svm';
  const onHost = (backend === 'cpu' || backend === 'auto') && o.device === undefined;
  const optimizer = oneOf(o, 'optimizer', LEARN_OPTIMIZERS, isMlp ? 'adam' : linear && onHost ? 'normalized' : 'sgd');
  if (o.optimizer !== undefined && !optimizersFor(kind).includes(optimizer))
    throw new SpecError('optimizer', `${optimizer} is not an optimizer of a ${kind} model (it takes ${optimizersFor(kind).join(', ')})`);
  const host = optimizer === 'ftrl' || optimizer === 'normalized';
  // 0.5: Vowpal Wabbit's default rate for the same update (adaptive, normalized, invariant).
  const lr = num(o, 'lr', optimizer === 'normalized' ? 0.5 : optimizer === 'adam' ? 0.01 : 0.1, positive, 'a positive number');
  const schedule = resolveSchedule(o.schedule);
  if (host && schedule.kind !== 'constant') throw new SpecError('schedule', `${optimizer} has per-coordinate rates; only the constant schedule applies`);

  let l1 = num(o, 'l1', 0, nonNegative, 'non-negative'),
    l2 = num(o, 'l2', 0, nonNegative, 'non-negative');
  if (o.elasticNet !== undefined) {
    if (o.l1 !== undefined || o.l2 !== undefined) throw new SpecError('elasticNet', 'give either elasticNet or l1/l2, not both');
    const en = o.elasticNet as Record<string, unknown>;
    if (!en || typeof en !== 'object') throw new SpecError('elasticNet', 'must be { alpha, l1Ratio }');
    const alpha = en.alpha,
      ratio = en.l1Ratio;
    if (typeof alpha !== 'number' || !(alpha >= 0)) throw new SpecError('elasticNet.alpha', `must be non-negative, got ${JSON.stringify(alpha)}`);
    if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) throw new SpecError('elasticNet.l1Ratio', `must be in [0, 1], got ${JSON.stringify(ratio)}`);
    l1 = alpha * ratio;
    l2 = alpha * (1 - ratio);
  }
  const clip = num(o, 'clip', 0, positive, 'a positive norm');

  let classWeights: number[] | null = null;
  if (o.classWeights !== undefined) {
    if (task === 'regression') throw new SpecError('classWeights', 'does not apply to regression');
    if (!Array.isArray(o.classWeights) || o.classWeights.length !== classes)
      throw new SpecError('classWeights', `must be an array of ${classes} weights (one per class)`);
    classWeights = o.classWeights.map((w, i) => {
      if (typeof w !== 'number' || !(w >= 0) || !Number.isFinite(w))
        throw new SpecError(`classWeights[${i}]`, `must be a non-negative number, got ${JSON.stringify(w)}`);
      return w;
    });
  }
  const batchSize = num(o, 'batchSize', kind === 'passiveAggressive' || host || isTree ? 1 : 32, posInt, 'a positive integer');
  if (kind === 'passiveAggressive' && batchSize !== 1) throw new SpecError('batchSize', 'passiveAggressive updates once per row (batch size 1)');
  if (optimizer === 'normalized' && batchSize === 1 && o.clip !== undefined && kind !== 'passiveAggressive')
    throw new SpecError('clip', 'normalized at batch size 1 takes the importance-aware step, bounded by construction: clip applies to mini-batches only');
  let targetScale: { mean: number; std: number } | null = null;
  if (o.targetScale !== undefined) {
    const ts = o.targetScale as Record<string, unknown>;
    if (task !== 'regression') throw new SpecError('targetScale', `applies to regression, not a ${task} ${kind} model`);
    if (kind === 'linear' && !host) throw new SpecError('targetScale', `applies with optimizer normalized or ftrl, not ${optimizer}`);
    if (!ts || typeof ts !== 'object' || Array.isArray(ts)) throw new SpecError('targetScale', 'must be { mean, std }');
    for (const k of Object.keys(ts)) if (k !== 'mean' && k !== 'std') throw new SpecError(`targetScale.${k}`, 'unknown key (known: mean, std)');
    if (typeof ts.mean !== 'number' || !Number.isFinite(ts.mean))
      throw new SpecError('targetScale.mean', `must be a finite number, got ${JSON.stringify(ts.mean)}`);
    if (typeof ts.std !== 'number' || !(ts.std > 0) || !Number.isFinite(ts.std))
      throw new SpecError('targetScale.std', `must be a positive finite number, got ${JSON.stringify(ts.std)}`);
    targetScale = { mean: ts.mean, std: ts.std };
  }

  const variant = oneOf(o, 'variant', PA_VARIANTS, 'PA-I');
  const seed = num(o, 'seed', 1, (v) => Number.isInteger(v), 'an integer');
  return {
    kind,
    task,
    classes: task === 'regression' ? 1 : classes,
    outputs,
    inputs,
    hidden,
    activation,
    output: output ?? (task === 'binary' ? 'sigmoid' : task === 'multiclass' ? 'softmax' : 'identity'),
    init,
    optimizer,
    lr,
    schedule,
    momentum: num(o, 'momentum', 0.9, (v) => v >= 0 && v < 1, 'in [0, 1)'),
    beta1: num(o, 'beta1', 0.9, (v) => v >= 0 && v < 1, 'in [0, 1)'),
    beta2: num(o, 'beta2', 0.999, (v) => v >= 0 && v < 1, 'in [0, 1)'),
    rho: num(o, 'rho', 0.9, (v) => v >= 0 && v < 1, 'in [0, 1)'),
    eps: num(o, 'eps', 1e-8, positive, 'positive'),
    ftrlBeta: num(o, 'ftrlBeta', 1, nonNegative, 'non-negative'),
    l1,
    l2,
    clip,
    classWeights,
    batchSize,
    targetScale,
    variant,
    C: num(o, 'C', 1, positive, 'positive'),
    epsilon: num(o, 'epsilon', 0.1, nonNegative, 'non-negative'),
    backend,
    seed,
    ...(isTree ? { tree: resolveTreeOptions(kind as TreeKind, task, o) } : {}),
  };
}
