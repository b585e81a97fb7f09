import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = resolve(import.meta.dirname, '..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');

/** Every runtime name of 'sluice', sorted: a change to the public API is a diff here. */
const PUBLIC = [
  'ADWIN',
  'Accuracy',
  'AdaptiveModel',
  'AdaptiveRandomForestClassifier',
  'AdaptiveRandomForestRegressor',
  'AgrawalGenerator',
  'BACKEND_CHOICES',
  'BadInputError',
  'BadRows',
  'BalancedAccuracy',
  'Batch',
  'BatchedSparseLinear',
  'Brier',
  'COLUMN_TYPES',
  'Clip',
  'ColumnStats',
  'ConceptDriftGenerator',
  'ConfusionMatrix',
  'CsvParser',
  'DATA_DRIFT_THRESHOLDS',
  'DATETIME_PARTS',
  'DDM',
  'DEFAULT_NULL_VALUES',
  'DRIFT_DETECTORS',
  'DRIFT_DETECTOR_NAMES',
  'DRIFT_POLICIES',
  'DashboardStore',
  'DataDriftMonitor',
  'DatetimeParts',
  'Dedupe',
  'Derive',
  'DeviceLostError',
  'DriftAdapter',
  'DriftInputError',
  'DriftMonitor',
  'DropColumns',
  'EDDM',
  'ExpressionError',
  'F1',
  'FOLD_COLUMN',
  'FeatureHasher',
  'FeatureMatrix',
  'GENERATOR_NAMES',
  'HDDMA',
  'HDDMW',
  'HIDDEN_ACTIVATIONS',
  'HashedTfidf',
  'HoeffdingAdaptiveTreeClassifier',
  'HoeffdingTreeClassifier',
  'HoeffdingTreeRegressor',
  'HoldoutEvaluator',
  'HyperplaneGenerator',
  'IMPUTE_STRATEGIES',
  'INPUT_TYPES',
  'Impute',
  'Interactions',
  'KFold',
  'KFoldEvaluator',
  'KSWIN',
  'Kappa',
  'KernelError',
  'LEARN_OPTIMIZERS',
  'LEDGenerator',
  'LogLoss',
  'METRIC_NAMES',
  'MODEL_KINDS',
  'Mae',
  'Mape',
  'MetricSet',
  'ModelRegistry',
  'Mse',
  'OneHot',
  'Ordinal',
  'OutOfMemoryError',
  'PA_VARIANTS',
  'PSI_FLOOR',
  'PageHinkley',
  'PauseGate',
  'Pipeline',
  'PrAuc',
  'Precision',
  'ProgressiveEvaluator',
  'R2',
  'RaceModel',
  'RandomForest',
  'RandomRBFGenerator',
  'Recall',
  'RegistryLockedError',
  'RenameColumns',
  'Rmse',
  'RocAuc',
  'Rolling',
  'SEAGenerator',
  'SPLIT_COLUMN',
  'STAGGERGenerator',
  'SavedPipeline',
  'Scaler',
  'Schema',
  'SchemaError',
  'SelectColumns',
  'SluiceError',
  'SourceError',
  'SpecError',
  'Splitter',
  'StringDictionary',
  'TREE_KINDS',
  'TargetEncoder',
  'Telemetry',
  'TextCleaner',
  'TopKCorrelation',
  'TreeModel',
  'TreeRows',
  'Validate',
  'VarianceThreshold',
  'Vectorize',
  'batchFromArrow',
  'batchToArrow',
  'cleanText',
  'clip',
  'columnDrift',
  'createBackend',
  'createModel',
  'createServer',
  'csvBatches',
  'dashboard',
  'dataDrift',
  'datetimeParts',
  'dedupe',
  'defaultSearchSpace',
  'derive',
  'detectDrift',
  'driftDetectorFromJSON',
  'driftReport',
  'drop',
  'evaluate',
  'explore',
  'fromArrowIpc',
  'fromCsv',
  'fromJson',
  'fromNdjson',
  'fromParquet',
  'fromPull',
  'fromTcp',
  'fromWebSocket',
  'generatorFromJSON',
  'hash',
  'holdout',
  'impute',
  'interactions',
  'jensenShannonDivergence',
  'kfold',
  'ksCriticalValue',
  'ksStatistic',
  'learn',
  'loadPipeline',
  'makeDriftDetector',
  'makeGenerator',
  'makeMetric',
  'metricFromJSON',
  'modelFromState',
  'ndjsonBatches',
  'oneHot',
  'openInput',
  'ordinal',
  'pipeline',
  'populationStabilityIndex',
  'prequentialKFold',
  'progressive',
  'readDriftSpec',
  'rename',
  'resolveSearchSpace',
  'resolveTuneOptions',
  'sampleCandidates',
  'scale',
  'searchOffline',
  'select',
  'selectTopK',
  'split',
  'splitOnly',
  'standardize',
  'synthetic',
  'targetEncode',
  'textHash',
  'textLogger',
  'transform',
  'transformRegistry',
  'validate',
  'validity',
  'varianceThreshold',
  'vectorize',
];

/** Internals the old `export *` entry leaked (issue #11): argument checks, file plumbing, threads, tickets. */
const NOT_PUBLIC = [
  'checkArgs',
  'writeFileAtomic',
  'CsvParseThread',
  'installNavigatorGpu',
  'Ticket',
  'BoundedQueue',
  'asyncStage',
  'asyncMap',
  'BatchBuilder',
  'ColumnBuilder',
  'Rng',
  'OPTIMIZER_STATE',
  'CpuBackend',
  'WebGpuBackend',
  'GpuJsBackend',
  'GradientModel',
  'LinearModel',
  'ScorePairs',
  'suggest',
  'rejectRows',
  'trainMask',
  'Backoff',
  'takeRows',
];

test('the public runtime names of src/index.ts', async () => {
  const names = Object.keys(await import('../src/index.js')).sort();
  assert.equal(names, PUBLIC);
});

test('internals are not exported from the main entry, and sluice/internal has them', async () => {
  const main = (await import('../src/index.js')) as Record<string, unknown>;
  const internal = (await import('../src/internal.js')) as Record<string, unknown>;
  for (const name of NOT_PUBLIC) {
    assert.not.ok(name in main, `${name} is exported from src/index.ts`);
    assert.ok(name in internal, `${name} is missing from src/internal.ts`);
  }
  // One home per name: the internal entry repeats nothing public.
  assert.equal(
    Object.keys(internal).filter((k) => k in main),
    [],
  );
  // The package's entries are built (scripts/build.ts): { types, import } into dist/.
  const pkg = JSON.parse(read('package.json')) as { exports: Record<string, { types?: string; import?: string }> };
  assert.match(pkg.exports['./internal']?.import ?? '', /\/internal\.js$/);
});

test('src/index.ts has named exports only, grouped by stage under a comment', () => {
  const source = read('src/index.ts');
  assert.not.match(source, /export \*/);
  const groups = [...source.matchAll(/^\/\/ ([A-Z][a-z]+(?: [a-z]+)?):/gm)].map((m) => m[1]);
  assert.equal(
    groups.filter((g) => g !== 'Public entry point'),
    ['Sources', 'Transforms', 'Models', 'Evaluation', 'Drift detectors', 'Metrics', 'Telemetry', 'Core types'],
  );
});

test('what README, docs/ and examples/ import from sluice is exported', async () => {
  const main = (await import('../src/index.js')) as Record<string, unknown>;
  const texts = [
    read('README.md'),
    read('examples/library.ts'),
    read('docs/cli.md'),
    read('docs/spec.md'),
    read('docs/drift.md'),
    read('docs/trees.md'),
    read('docs/tune.md'),
  ];
  const imported = texts
    .flatMap((t) => [...t.matchAll(/import \{([^}]*)\} from '(?:sluice|\.\.\/src\/index\.js)'/g)].flatMap((m) => m[1]!.split(',')))
    .map((s) => s.trim().replace(/^type\s+/, ''))
    .filter((s) => s !== '');
  assert.ok(imported.length >= 7, imported.join(', '));
  for (const name of imported) assert.ok(name in main, `${name} is imported from 'sluice' but not exported`);
});

test.run();
