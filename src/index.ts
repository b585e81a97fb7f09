// Public entry point: `import { fromCsv, standardize, logistic, progressive } from 'sluice'`.
// Named exports only, by stage. What is not here is internal: `sluice/internal` (src/internal.ts)
// exports it without a promise of stability. test/index.test.ts lists every runtime name, so a
// change to this API shows as a diff there.

// Sources: RxJS Observables of Batches, pull-based (a source reads only while the pipeline has room).
export {
  fromCsv, fromNdjson, fromJson, fromArrowIpc, fromParquet, fromTcp, fromWebSocket, synthetic,
  type SourceOptions, type FromCsvOptions, type NdjsonOptions, type JsonOptions, type ArrowIpcOptions,
  type ParquetOptions, type TcpOptions, type WebSocketOptions, type SyntheticOptions,
} from './operators/index.js';
// A source of one's own: an async iterable of chunks, with the same bounded queue and telemetry.
export { fromPull, type PullChunk, type PullSourceOptions } from './core/index.js';
// The readers under the sources, without RxJS: bytes from a file, gzip or stdin, parsed into chunks.
export {
  openInput, csvBatches, ndjsonBatches, CsvParser,
  type InputOptions, type ByteInput, type CsvBatchesOptions, type CsvParserOptions, type NdjsonBatchOptions,
} from './io/index.js';

// Synthetic streams with known concepts and drift (MOA's definitions), as plain seeded generators.
export {
  SEAGenerator, HyperplaneGenerator, AgrawalGenerator, RandomRBFGenerator, LEDGenerator, STAGGERGenerator,
  ConceptDriftGenerator, makeGenerator, generatorFromJSON, GENERATOR_NAMES,
  type StreamGenerator, type GeneratorState, type SEAOptions, type HyperplaneOptions, type AgrawalOptions,
  type RandomRBFOptions, type LEDOptions, type STAGGEROptions, type ConceptDriftOptions,
} from './synth/index.js';

// Transforms: operators on Batches. Stateful ones learn from training rows only.
export {
  transform, pipeline, explore, validate, impute, scale, standardize, clip, datetimeParts, interactions,
  select, drop, rename, oneHot, ordinal, hash, targetEncode, textHash, cleanText, derive, dedupe,
  varianceThreshold, selectTopK, split, kfold, splitOnly, vectorize,
  type TransformOperatorOptions, type ExploreOptions, type ValidateOperatorOptions, type ImputeOperatorOptions,
  type ScaleOperatorOptions, type ClipOperatorOptions, type DatetimePartsOperatorOptions,
  type InteractionsOperatorOptions, type VectorizeOperatorOptions,
} from './operators/index.js';
// The same transforms as plain stateful classes (update/apply, serializable state), and the
// Pipeline artifact that saves them together.
export {
  Validate, Impute, Scaler, Clip, DatetimeParts, Interactions, SelectColumns, DropColumns, RenameColumns,
  OneHot, Ordinal, FeatureHasher, TargetEncoder, TextCleaner, HashedTfidf, Derive, Dedupe,
  VarianceThreshold, TopKCorrelation, Splitter, KFold, ColumnStats, Vectorize, Pipeline, transformRegistry,
  SPLIT_COLUMN, FOLD_COLUMN, IMPUTE_STRATEGIES, DATETIME_PARTS,
  type Transform, type TransformState, type TransformFromJSON, type PipelineState, type NonFinitePolicy,
  type ValidateOptions, type ValidateRange, type ImputeOptions, type ImputeColumnSpec, type ImputeStrategy,
  type ScalerOptions, type ScaleMethod, type ClipOptions, type ClipMethod, type DatetimePartsOptions,
  type DatetimePart, type DatetimeEncoding, type InteractionsOptions, type OneHotOptions, type OrdinalOptions,
  type FeatureHasherOptions, type TargetEncoderOptions, type HashedTfidfOptions, type DeriveOptions,
  type ColumnFunction, type DedupeOptions, type VarianceThresholdOptions, type TopKCorrelationOptions,
  type SplitOptions, type ColumnStatsOptions, type ColumnSummary, type VectorizeOptions, type FeatureLayout,
  type FeatureSlot,
} from './features/index.js';

// Models: online learners on a compute backend (cpu, webgpu, gpujs), saved and restored as state.
export {
  createModel, modelFromState, MODEL_KINDS, LEARN_OPTIMIZERS, HIDDEN_ACTIVATIONS, PA_VARIANTS,
  type Model, type ModelKind, type ModelState, type Task, type ModelOptions, type ModelFromStateOptions,
  type LearnOptimizer, type HiddenActivation, type OutputActivation, type PaVariant, type Schedule,
} from './learn/index.js';
export {
  createBackend, BACKEND_CHOICES,
  type Backend, type BackendChoice, type BackendName, type CreateBackendOptions,
} from './kernels/index.js';

// Evaluation: training operators (test-then-train, holdout, prequential k-fold) and the engines
// under them, which run without RxJS.
export {
  learn, progressive, holdout, evaluate, prequentialKFold,
  type LearnOptions, type LearnProgress, type ProgressiveOperatorOptions, type HoldoutOperatorOptions,
  type EvaluateOptions, type EvaluationReport, type PrequentialKFoldOperatorOptions,
} from './operators/index.js';
export {
  ProgressiveEvaluator, HoldoutEvaluator, KFoldEvaluator,
  type ModelSource, type ProgressiveOptions, type ProgressiveReport, type ProgressiveState, type LabelDelay,
  type HoldoutOptions, type HoldoutReport, type HoldoutScores, type PrequentialKFoldOptions, type KFoldReport,
} from './evaluate/index.js';

// Metrics: incremental, with rolling windows; MetricSet scores several at once.
export {
  MetricSet, makeMetric, metricFromJSON, Rolling, METRIC_NAMES,
  Accuracy, BalancedAccuracy, Precision, Recall, F1, Kappa, RocAuc, PrAuc, LogLoss, Brier,
  Mae, Mse, Rmse, R2, Mape, ConfusionMatrix,
  type Metric, type MetricInput, type MetricState, type MetricName, type MetricSpec, type MetricSetOptions,
  type MetricSetState, type Predictions, type MakeMetricOptions, type Average, type PrecisionOptions,
  type RecallOptions, type F1Options, type RocAucOptions, type PrAucOptions, type RollingState,
  type ConfusionMatrixState,
} from './metrics/index.js';

// Telemetry: typed events on a bus, and what subscribes to them (the plain-text logger, the
// dashboard; a PauseGate lets the dashboard's `p` hold the source).
export {
  Telemetry, textLogger,
  type TelemetryEvent, type TelemetryType, type TextLoggerOptions,
} from './core/index.js';
export {
  dashboard, DashboardStore, PauseGate,
  type DashboardOptions, type DashboardHandle, type DashboardKeys, type DashboardStoreOptions, type DashboardSnapshot,
} from './tui/index.js';

// Core types: columnar batches, feature matrices, Arrow interop, bad-row books, errors.
export {
  Batch, Schema, FeatureMatrix, StringDictionary, validity, batchFromArrow, batchToArrow, BadRows,
  COLUMN_TYPES, INPUT_TYPES, DEFAULT_NULL_VALUES,
  type Column, type Field, type ColumnType, type CellValue, type FeatureMatrixExtras, type BatchFromArrowOptions,
  type Stateful, type BadRowPolicy, type BadRowOptions, type BadRowReason, type RowAccount,
  SluiceError, BadInputError, SchemaError, SpecError, SourceError, KernelError,
  type BadInputLocation,
} from './core/index.js';
export { DeviceLostError, OutOfMemoryError } from './kernels/index.js';
export { ExpressionError } from './features/index.js';
