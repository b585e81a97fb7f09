import type { FeatureMatrix } from '../core/index.js';
import type { ModelKind } from './MODEL_KINDS.js';

/** What a model predicts: P(y=1), a class distribution, or a value. */
export type Task = 'binary' | 'multiclass' | 'regression';

// Re-exported for the models, which take their types from here.
export type { ModelKind } from './MODEL_KINDS.js';

/** Everything needed to rebuild a trained model on any backend: part of the pipeline artifact. */
export interface ModelState {
  kind: ModelKind;
  task: Task;
  inputs: number;
  outputs: number;
  /** The resolved options the model was built with (hyperparameters, seed, layers, optimizer). */
  options: Record<string, unknown>;
  /** Parameter tensors by name (`w0`, `b0`, ...), row-major, as plain arrays of numbers. */
  params: Record<string, number[]>;
  /** Optimizer state tensors by name, same layout. */
  optimizer: Record<string, number[]>;
  /** Updates applied so far (drives schedules and Adam's bias correction). */
  step: number;
  /** The tree kinds: the learner's own JSON state (its nodes, statistics and resolved options); params and optimizer are empty. */
  tree?: unknown;
  /** A model chosen by a hyperparameter race (src/tune): the race's record (its configuration, leaderboard, budget used). Not read back. */
  tune?: unknown;
}

/**
 * An online learner whose weights and optimizer state live on one compute backend.
 * `learn` splits its input into mini-batches of the model's batch size and makes one update per
 * mini-batch from the mean gradient (weighted by sample and class weights); `predict` never
 * changes state. Both are async because a GPU backend records work and reads back later.
 */
export interface Model {
  readonly kind: ModelKind;
  readonly task: Task;
  /** Prediction columns per row: 1 for binary (P(y=1)) and regression, the class count for multiclass. */
  readonly outputs: number;
  /** Input width, fixed by the first batch seen when not given up front. */
  readonly inputs: number | null;
  /** Updates applied so far. */
  readonly step: number;
  /** Rows per update: 1 is per-row learning. The test-then-train engine scores each mini-batch with the model from before it. */
  readonly batchSize: number;
  /** `cpu`, `webgpu` or `gpujs`, and the adapter description, for reports and the dashboard. */
  readonly backendName: string;
  readonly adapter: string;
  /** Row-major predictions for every row of x (rows × outputs). */
  predict(x: FeatureMatrix): Promise<Float32Array>;
  /** Learns from x, whose `targets` must be set. */
  learn(x: FeatureMatrix): Promise<void>;
  /**
   * Test-then-train in one synchronous loop, for models that can (per-row learners on the host).
   * For each mini-batch of `batchSize` consecutive rows of x, in order: writes the predictions of the
   * model as it was before that mini-batch into `out` (row-major, x.rows × outputs), then learns the
   * mini-batch's rows whose target is finite (a NaN target is predicted, not learned). A trailing
   * partial mini-batch is learned as it is, so callers whose results must not depend on where x ends
   * pass whole mini-batches (the engine in src/evaluate does). Absent: callers predict, then learn,
   * per mini-batch.
   */
  testThenTrain?(x: FeatureMatrix, out: Float32Array): void;
  /**
   * The same contract, asynchronous: for models that test-then-train on worker threads (the
   * Adaptive Random Forest with `workers`). Used when `testThenTrain` is absent.
   */
  testThenTrainAsync?(x: FeatureMatrix, out: Float32Array): Promise<void>;
  /** Mean training loss over the mini-batches of the last `learn` call (NaN before any). */
  lastLoss(): Promise<number>;
  /** The full state (reads weights back from the device). */
  state(): Promise<ModelState>;
  /** Puts back a `state()` of this same model (weights and optimizer state), e.g. the last good one. */
  load(state: ModelState): void;
  /** Frees device memory. */
  dispose(): Promise<void>;
}
