// `sluice/internal`: the building blocks behind the public API (src/index.ts), for benches, tools
// and the curious. They may change in any release; what users need is in 'sluice'. Nothing here
// is also in the main entry (test/index.test.ts checks both lists).

// Core plumbing: builders, parsers, the seeded RNG, bounded-memory tickets and queues, files.
export {
  BatchBuilder,
  ColumnBuilder,
  inferSchema,
  parseNumber,
  parseDatetime,
  parseBoolean,
  formatCount,
  Rng,
  Ticket,
  BoundedQueue,
  asyncStage,
  asyncMap,
  DeadLetter,
  writeFileAtomic,
  type RowFailure,
  type ParseFailure,
  type InferOptions,
  type AsyncStageHandlers,
} from './core/index.js';

// Kernels: the backends themselves, the batched candidates, the gpu.js column compiler.
export {
  OPTIMIZER_KINDS,
  OPTIMIZER_STATE,
  BACKEND_NAMES,
  checkArgs,
  CpuBackend,
  WebGpuBackend,
  createWebGpuBackend,
  isSoftwareAdapter,
  GpuJsBackend,
  createGpuJsBackend,
  compileColumnFunction,
  columnFunctionCpu,
  measureCpuPaths,
  installNavigatorGpu,
  BatchedLinear,
  BatchedLinearGpu,
  resolveBatchedLinearOptions,
  type Tensor,
  type OptimizerKind,
  type CpuBackendOptions,
  type WebGpuBackendOptions,
  type GpuJsBackendOptions,
  type ColumnKernel,
  type BatchedLinearOptions,
} from './kernels/index.js';

// Readers: the CSV parse thread and socket reconnection.
export { CsvParseThread, Backoff, type BackoffOptions, type SocketFormatOptions } from './io/index.js';

// Synthetic streams: the base of the row generators.
export { RowGenerator, type GeneratedField } from './synth/index.js';

// Features: sketches, text and expression helpers, the row-rejection plumbing of the transforms.
export {
  RunningMoments,
  QuantileSketch,
  SpaceSaving,
  Histogram,
  OneHotVocabulary,
  murmurhash3,
  murmurhash3String,
  ENGLISH_STOPWORDS,
  cleanString,
  tokenize,
  wordNgrams,
  charNgrams,
  tokenizeExpression,
  parseExpression,
  compileExpression,
  numericColumn,
  numericInput,
  rejectRows,
  labelRejects,
  trainMask,
  rowKeyHashes,
  type CompiledExpression,
  type CompileExpressionOptions,
  type RowReject,
} from './features/index.js';

// Metrics: the base classes the metrics share, and the did-you-mean of names.
export { ConfusionMetric, ScoreMetric, ScorePairs, ScoreHistogram, MeanLoss, averageScore, suggest } from './metrics/index.js';

// Learn: the model classes createModel chooses between, option checks, schedules, divergence.
export {
  GradientModel,
  LinearModel,
  FtrlModel,
  PassiveAggressiveModel,
  resolveModelOptions,
  MODEL_OPTION_KINDS,
  optimizersFor,
  scheduledRate,
  DivergenceWatch,
  type ResolvedModelOptions,
  type DivergenceWatchOptions,
} from './learn/index.js';

// Evaluate: the pieces the engines share.
export { HeldPredictions, ShuffleBuffer, takeRows, type Matured, type ShuffleBufferState, type EpochChunk } from './evaluate/index.js';
