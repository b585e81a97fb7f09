// Public entry point: `import { fromCsv, standardize, ... } from 'sluice'`.
export * from './core/index.js';
export * from './kernels/index.js';
export * from './synth/index.js';
export * from './features/index.js';
export * from './metrics/index.js';
export * from './learn/index.js';
// io's public part: the parsers and byte inputs users call directly (the readers behind the
// sources stay internal).
export {
  CsvParser, csvBatches, CsvParseThread, openInput, ndjsonBatches, Backoff,
  type CsvParserOptions, type CsvBatchesOptions, type InputOptions, type ByteInput, type NdjsonBatchOptions,
  type BackoffOptions, type SocketFormatOptions,
} from './io/index.js';
// evaluate's public part: the engines (the helpers the operators share stay internal).
export {
  ProgressiveEvaluator, HeldPredictions, HoldoutEvaluator, KFoldEvaluator, ShuffleBuffer, takeRows,
  type ModelSource, type ProgressiveOptions, type ProgressiveReport, type ProgressiveState, type LabelDelay, type Matured,
  type HoldoutOptions, type HoldoutReport, type HoldoutScores, type PrequentialKFoldOptions, type KFoldReport,
  type ShuffleBufferState, type EpochChunk,
} from './evaluate/index.js';
export * from './operators/index.js';
