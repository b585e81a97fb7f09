import { INPUT_TYPES } from '../core/index.js';
import { DRIFT_DETECTORS, DRIFT_POLICIES } from '../drift/index.js';
import { DATETIME_PARTS, IMPUTE_STRATEGIES } from '../features/index.js';
import { BACKEND_CHOICES } from '../kernels/index.js';
import { HIDDEN_ACTIVATIONS, LEARN_OPTIMIZERS, MODEL_KINDS, MODEL_OPTION_KINDS, PA_VARIANTS } from '../learn/index.js';
import { METRIC_NAMES } from '../metrics/index.js';
import { GENERATOR_NAMES } from '../synth/index.js';
import type { KeySpec, ObjectKey } from './KeySpec.js';

const str = (doc: string, extra: Partial<KeySpec> = {}): KeySpec => ({ type: 'string', doc, ...extra }) as KeySpec;
const int = (doc: string, min?: number, def?: unknown): KeySpec => ({
  type: 'integer',
  doc,
  ...(min !== undefined ? { min } : {}),
  ...(def !== undefined ? { default: def } : {}),
});
const num = (doc: string, extra: { min?: number; max?: number; exclusive?: boolean; default?: unknown } = {}): KeySpec => ({ type: 'number', doc, ...extra });
const bool = (doc: string, def?: boolean): KeySpec => ({ type: 'boolean', doc, ...(def !== undefined ? { default: def } : {}) });
const enm = (doc: string, values: readonly string[], def?: string): KeySpec => ({
  type: 'string',
  doc,
  enum: values,
  ...(def !== undefined ? { default: def } : {}),
});
const columns = (doc = 'Columns to apply the step to.'): KeySpec => ({ type: 'list', doc, minItems: 1, items: { type: 'string', doc: 'A column name.' } });
const nonFinite: KeySpec = enm('NaN/±Infinity in numeric inputs: treated as missing, or bad rows (`error`).', ['missing', 'error'], 'missing');
const badRows = (doc: string): KeySpec => enm(doc, ['skip', 'fail'], 'skip');

/** A step given as an object, or as a list of columns (`standardize: [a, b]`). */
const step = (doc: string, keys: Record<string, KeySpec>, required: string[] = [], shorthand?: string): ObjectKey => ({
  type: 'object',
  doc,
  keys,
  required,
  ...(shorthand ? { shorthand } : {}),
});

const imputeColumn: KeySpec = {
  type: 'union',
  doc: 'A strategy, or `{ strategy, value, indicator }`.',
  variants: [
    enm('Strategy for this column.', IMPUTE_STRATEGIES),
    {
      type: 'object',
      doc: 'Per-column settings.',
      required: ['strategy'],
      keys: {
        strategy: enm('How to fill.', IMPUTE_STRATEGIES),
        value: { type: 'any', doc: 'Fill value for `constant`.' },
        indicator: bool('Add `<column>_missing` (1 where the value was missing).'),
      },
    },
  ],
};

export const STEP_KEYS: Record<string, ObjectKey> = {
  validate: step('Checks types, ranges, categories and required columns; failing rows follow `badRows`.', {
    types: {
      type: 'map',
      doc: 'Declared types: text is parsed into them (a failure is a `type` bad row).',
      keyDoc: 'column',
      values: enm('Column type.', INPUT_TYPES),
    },
    ranges: {
      type: 'map',
      doc: 'Inclusive bounds; outside is a `range` bad row.',
      keyDoc: 'column',
      values: {
        type: 'object',
        doc: 'Bounds.',
        keys: {
          min: { type: 'union', doc: 'Lower bound (a number, or an ISO date for datetimes).', variants: [num('Number.'), str('ISO date.')] },
          max: { type: 'union', doc: 'Upper bound.', variants: [num('Number.'), str('ISO date.')] },
        },
      },
    },
    categories: {
      type: 'map',
      doc: 'Allowed values of category columns; others are `category` bad rows.',
      keyDoc: 'column',
      values: { type: 'list', doc: 'Allowed values.', items: str('A value.') },
    },
    required: { ...columns('Columns that must hold a value in every row.'), minItems: 0 } as KeySpec,
    nonFinite: enm('NaN/±Infinity: bad rows (`error`) or made missing.', ['missing', 'error'], 'error'),
    badRows: badRows('Bad-row policy of this step.'),
    deadLetter: str('Dead-letter CSV for the rows this step rejects.'),
  }),
  impute: step(
    'Fills missing values.',
    {
      columns: {
        type: 'union',
        doc: 'A list of columns (all with `strategy`), or a map column → strategy.',
        variants: [columns(), { type: 'map', doc: 'Per column.', keyDoc: 'column', values: imputeColumn }],
      },
      strategy: enm('Strategy for columns given as a list.', IMPUTE_STRATEGIES, 'mean'),
      value: { type: 'any', doc: 'Fill value for `constant`.' },
      indicator: bool('Add `<column>_missing` indicator columns.', false),
      nonFinite,
    },
    ['columns'],
    'columns',
  ),
  imputeStandardize: step(
    'log1p (for the columns listed under `log1p`) → impute mean → standardize, as one step: the same values and statistics as the three chained, one read of each clean column (the quick path uses it for numeric columns).',
    {
      columns: columns('Number or integer columns.'),
      log1p: { type: 'list', doc: 'The columns, among `columns`, that get sign(x)·ln(1 + |x|) first.', items: { type: 'string', doc: 'A column name.' } },
    },
    ['columns'],
    'columns',
  ),
  standardize: step('Scales to zero mean and unit variance (running moments over training rows).', { columns: columns(), nonFinite }, ['columns'], 'columns'),
  scale: step(
    'Scales numeric columns.',
    {
      columns: columns(),
      method: enm('standard: (x-mean)/std; minmax; maxabs; robust: (x-median)/IQR.', ['standard', 'minmax', 'maxabs', 'robust'], 'standard'),
      nonFinite,
    },
    ['columns'],
    'columns',
  ),
  clip: step(
    'Clips outliers.',
    {
      columns: columns(),
      method: enm('zscore: mean ± z·std; quantile: [q(lower), q(upper)].', ['zscore', 'quantile'], 'zscore'),
      z: num('Band width in standard deviations.', { min: 0, exclusive: true, default: 3 }),
      lower: num('Lower quantile.', { min: 0, max: 1, default: 0.01 }),
      upper: num('Upper quantile.', { min: 0, max: 1, default: 0.99 }),
      nonFinite,
    },
    ['columns'],
    'columns',
  ),
  oneHot: step(
    'One-hot encodes category columns into a sparse vector column each.',
    {
      columns: columns(),
      maxCategories: int('Categories kept per column, in order of first appearance.', 1, 100),
      other: bool('Add an "other" slot for values beyond the cap or unseen.', true),
    },
    ['columns'],
    'columns',
  ),
  ordinal: step(
    'Replaces categories by integer codes.',
    {
      columns: columns(),
      maxCategories: int('Codes handed out per column.', 1, 10000),
      unknown: int('Code for unseen values.', undefined, -1),
    },
    ['columns'],
    'columns',
  ),
  hash: step(
    'Hashes columns into one signed sparse vector (the hashing trick).',
    {
      columns: columns(),
      bits: { type: 'integer', doc: '2^bits slots.', min: 1, max: 30, default: 18 },
      seed: int('MurmurHash3 seed.', 0, 0),
      signed: bool('±1 per feature so collisions cancel on average.', true),
      output: str('Output vector column.', { default: 'hashed' }),
    },
    ['columns'],
    'columns',
  ),
  targetEncode: step(
    'Replaces categories by the smoothed mean target of their training rows.',
    {
      columns: columns(),
      target: str('Numeric target column (default: the spec target).'),
      smoothing: num('Pseudo-count toward the global mean.', { min: 0, default: 10 }),
      maxCategories: int('Categories tracked per column.', 1, 100000),
    },
    ['columns'],
    'columns',
  ),
  datetime: step(
    'Calendar parts of a datetime column (replaces it).',
    {
      column: str('The datetime column (or ISO strings, or epoch numbers).'),
      parts: { type: 'list', doc: 'Parts to add.', minItems: 1, items: enm('A part.', DATETIME_PARTS), default: ['hour', 'dayOfWeek', 'month'] },
      encoding: enm('raw integers, cyclic sin/cos, or both.', ['raw', 'cyclic', 'both'], 'raw'),
      timeZone: str('IANA time zone the parts are read in.', { default: 'UTC' }),
      unit: enm('Unit of numeric epoch input.', ['ms', 's'], 'ms'),
      keep: bool('Keep the source column.', false),
      invalid: enm('Strings that are not dates: missing parts or bad rows.', ['missing', 'error'], 'error'),
    },
    ['column'],
  ),
  interactions: step(
    'Products of numeric columns (`a*b`).',
    {
      columns: columns('All pairwise products of these columns.'),
      pairs: { type: 'list', doc: 'Chosen pairs.', items: { type: 'list', doc: 'Two columns.', minItems: 2, maxItems: 2, items: str('A column.') } },
      squares: bool('With `columns`, also the squares.', false),
      nonFinite,
    },
    [],
    'columns',
  ),
  log1p: step('sign(x)·ln(1 + |x|) of numeric columns, in place: shrinks long right tails (counts, amounts).', { columns: columns() }, ['columns'], 'columns'),
  crosses: step(
    'Hashed pairwise crosses of categorical columns: one feature per pair of values (`origin=SEA & hour=7`), as one sparse vector.',
    {
      pairs: {
        type: 'list',
        doc: 'Column pairs to cross.',
        minItems: 1,
        items: { type: 'list', doc: 'Two columns.', minItems: 2, maxItems: 2, items: str('A column.') },
      },
      bits: { type: 'integer', doc: '2^bits slots.', min: 1, max: 30, default: 18 },
      output: str('Output vector column.', { default: 'crosses' }),
    },
    ['pairs'],
  ),
  derive: step(
    'A new column from an expression (`distance / 100`, `if(delay > 15, 1, 0)`).',
    {
      name: str('Name of the new column.'),
      expression: str('The expression (see the derive language in src/features/expr).'),
      nonFinite,
    },
    ['name', 'expression'],
  ),
  select: step('Keeps only these columns.', { columns: columns() }, ['columns'], 'columns'),
  drop: step('Drops these columns.', { columns: columns() }, ['columns'], 'columns'),
  rename: step('Renames columns.', { columns: { type: 'map', doc: 'Old name → new name.', keyDoc: 'old name', values: str('New name.') } }, ['columns']),
  dedupe: step(
    'Drops rows whose key repeats within a window.',
    {
      keys: columns('Key columns.'),
      count: int('Count window: duplicates among the previous `count` rows.', 1),
      ms: num('Time window in ms (with `time`).', { min: 0, exclusive: true }),
      time: str('Datetime column for the time window.'),
      maxKeys: int('Cap on remembered keys (time window).', 1, 1000000),
    },
    ['keys'],
  ),
  varianceThreshold: step(
    'Drops columns whose variance is at most `threshold` (decided after `freezeAfter` rows).',
    {
      columns: columns(),
      threshold: num('Variance threshold.', { min: 0, default: 0 }),
      freezeAfter: int('Training rows before the choice is frozen.', 1, 1000),
    },
    ['columns'],
    'columns',
  ),
  selectTopK: step(
    'Keeps the k columns most correlated with the target.',
    {
      columns: columns(),
      k: int('Columns kept.', 1),
      target: str('Numeric target column (default: the spec target).'),
      freezeAfter: int('Training rows before the choice is frozen.', 1, 1000),
    },
    ['columns', 'k'],
  ),
  text: step(
    'Hashed TF-IDF bag of words of a text column (replaces it by a sparse vector).',
    {
      column: str('The text column.'),
      bits: { type: 'integer', doc: '2^bits slots.', min: 1, max: 28, default: 18 },
      ngrams: { type: 'list', doc: 'Word n-gram range [min, max].', minItems: 2, maxItems: 2, items: int('n.', 1), default: [1, 1] },
      stopwords: bool('Drop English stopwords.', true),
      idf: bool('Weight by online inverse document frequency.', true),
      sublinear: bool('Term frequency as 1 + ln(tf) (sublinear), so a repeated word does not swamp the rest.', false),
      output: str('Output column (default: replaces the input).'),
    },
    ['column'],
  ),
  cleanText: step(
    'Cleans text columns: lower case, strip HTML, URLs, punctuation.',
    {
      columns: columns(),
      lowercase: bool('Lower-case.', true),
      stripHtml: bool('Remove HTML tags.', true),
      stripUrls: bool('Remove URLs and e-mail addresses.', true),
      stripNumbers: bool('Remove numbers.', false),
      stripPunctuation: bool('Replace punctuation by spaces.', true),
    },
    ['columns'],
    'columns',
  ),
};

const FILE_KINDS = ['csv', 'arrow', 'parquet', 'ndjson', 'json'];
const SOCKET_KINDS = ['tcp', 'websocket'];
const TEXT_KINDS = ['csv', 'ndjson', 'json', 'tcp', 'websocket'];

const SOURCE: ObjectKey = {
  type: 'object',
  doc: 'Where rows come from: exactly one of `csv`, `arrow`, `parquet`, `ndjson`, `json`, `tcp`, `websocket`, `synthetic`, with its options beside it.',
  oneOf: [...FILE_KINDS, ...SOCKET_KINDS, 'synthetic'],
  keys: {
    csv: str('CSV file (gzip sniffed), or `-` for stdin.'),
    arrow: str('Arrow IPC file.'),
    parquet: str('Parquet file.'),
    ndjson: str('NDJSON file (one JSON object per line), or `-`.'),
    json: str('JSON file: a top-level array of objects, one row each, read as a stream (a file not starting with `[` is read as NDJSON), or `-`.'),
    tcp: {
      type: 'object',
      doc: 'A TCP stream of NDJSON or CSV lines: `listen` for a server, or `connect` to a server.',
      keys: {
        listen: { type: 'integer', doc: 'Port to listen on (0: any free port).', min: 0, max: 65535 },
        host: str('Address to bind.', { default: '127.0.0.1' }),
        connect: str('`host:port` to connect to.'),
        maxConnections: int('Server: accept this many connections; the stream ends when they have closed.', 1),
      },
    },
    websocket: str('`ws://` or `wss://` URL to read NDJSON or CSV messages from.'),
    synthetic: {
      type: 'variant',
      bare: true,
      doc: `A seeded synthetic stream: one of ${GENERATOR_NAMES.join(', ')}, with its options (checked by makeGenerator).`,
      variants: Object.fromEntries(GENERATOR_NAMES.map((g) => [g, { type: 'any', doc: `Options of the ${g} generator.` } as KeySpec])),
    },
    badRows: badRows('`skip`: count, dead-letter and go on; `fail`: stop at the first bad row with file:line:column.'),
    deadLetter: str('Dead-letter CSV (`line,reason,column,value,detail,raw`) for skipped rows.'),
    capacity: int('Batches in flight before the reader waits (the memory bound).', 1, 4),
    batchSize: int('Rows per batch.', 1),
    maxRows: int('Stop after this many rows.', 1),
    format: enm('Line format of a socket source.', ['ndjson', 'csv'], 'ndjson'),
    reconnect: bool(
      'Client sockets (`tcp.connect`, `websocket`): after a refused connect or an abnormal close (a reset, a WebSocket close code other than 1000/1001/1005), reconnect with exponential backoff. Off: a refused first connect fails at once, and an abnormal close ends the stream with a warning (the rows read are trained, reported and saved).',
      false,
    ),
    backoff: int('With `reconnect`: ms before the first retry; the delay doubles per failed attempt, up to 10 s (or `backoff` if longer).', 1, 100),
    maxRetries: int(
      'With `reconnect`: failed attempts in a row before giving up (a connection that opens resets the count). Giving up fails the run, naming the address, if no row was read; else the stream ends with a warning.',
      0,
      10,
    ),
    header: bool('CSV: the first line names the columns.', true),
    delimiter: str('CSV field separator (one character).', { default: ',' }),
    maxFieldBytes: int(
      'CSV: longest field in bytes (a row with a longer one is dead-lettered as `field-too-large`). A quoted field that would cross it is taken for a stray quote: its row ends at the first newline after the quote and reading goes on from there, so one stray quote costs one row.',
      1,
      1048576,
    ),
    quotedNewlines: bool(
      'CSV: whether a quoted field may span lines (default true for files, false for sockets, where each line is one record). Without, a quote still open at the end of its line makes that row `field-count`.',
    ),
    inferRows: int('Rows read to infer the types not declared in `schema`.', 1, 1000),
    nullValues: { type: 'list', doc: 'Values read as missing.', items: str('A value.') },
    columns: columns('Parquet: columns to read.'),
    parseThread: {
      type: 'union',
      default: 'auto',
      doc: 'CSV: parse on a second thread while the pipeline runs on the first (`auto`: files of 16 MiB or more on machines with 2+ cores; never stdin). Same batches, telemetry, dead letter and errors as one thread; at most `capacity` batches parsed ahead.',
      variants: [bool('On or off.'), enm('Decide from the file size and cores.', ['auto'])],
    },
  },
  onlyWith: {
    badRows: [...FILE_KINDS, ...SOCKET_KINDS],
    deadLetter: ['csv', 'ndjson', 'json', ...SOCKET_KINDS],
    format: SOCKET_KINDS,
    header: ['csv', ...SOCKET_KINDS],
    delimiter: ['csv', ...SOCKET_KINDS],
    maxFieldBytes: ['csv', ...SOCKET_KINDS],
    quotedNewlines: ['csv', ...SOCKET_KINDS],
    inferRows: TEXT_KINDS,
    nullValues: TEXT_KINDS,
    columns: ['parquet'],
    parseThread: ['csv'],
    reconnect: SOCKET_KINDS,
    backoff: SOCKET_KINDS,
    maxRetries: SOCKET_KINDS,
  },
};

const MODEL_OPTION_KEYS: Record<string, KeySpec> = {
  hidden: { type: 'list', doc: 'MLP hidden layer widths (none given: no hidden layer).', minItems: 1, items: int('Width.', 1) },
  activation: enm('MLP activation.', HIDDEN_ACTIVATIONS, 'relu'),
  optimizer: enm(
    'Optimizer (default: normalized for linear, logistic, softmax and svm (per row on the host, no rate to tune: docs/learn.md); adam for mlp; sgd with backend webgpu or gpujs). `ftrl` and `normalized` are for the linear kinds.',
    LEARN_OPTIMIZERS,
  ),
  lr: num('Learning rate (default: 0.5 with normalized; 0.01 with adam; 0.1 otherwise).', { min: 0, exclusive: true }),
  l1: num('L1 penalty.', { min: 0, default: 0 }),
  l2: num('L2 penalty.', { min: 0, default: 0 }),
  momentum: num('Momentum coefficient, below 1 (optimizers `momentum` and `nesterov`).', { min: 0, default: 0.9 }),
  classes: int('Class count for softmax (default: learned from a category target, else 2).', 2),
  variant: enm('Passive-aggressive update: PA, PA-I (step capped at C) or PA-II (soft margin).', PA_VARIANTS, 'PA-I'),
  C: num('Passive-aggressive aggressiveness (PA-I, PA-II).', { min: 0, exclusive: true, default: 1 }),
  epsilon: num('Passive-aggressive regression: errors within ±epsilon cost nothing.', { min: 0, default: 0.1 }),
  // The tree kinds (docs/trees.md); each class records its defaults in the saved model.
  trees: int('Members of the forest (default: 10 for arf, 100 for forest).', 1),
  maxFeatures: int('Features drawn at random per leaf (arf; default floor(√M) + 1) or per split (forest; default √M for classes, all M for regression).', 1),
  criterion: enm('Split criterion of a classification tree: entropy (information gain) or gini (default: entropy for the Hoeffding trees, gini for forest).', [
    'gini',
    'entropy',
  ]),
  maxDepth: int('Deepest a tree grows; 0 = unlimited.', 0, 0),
  gracePeriod: int('Rows a leaf sees between split attempts (default 200; 50 for arf).', 1),
  delta: num('Split confidence δ of the Hoeffding bound (default 1e-7; 0.01 for arf).', { min: 0, max: 1, exclusive: true }),
  tau: num('Tie threshold: split on the best feature when the Hoeffding bound falls below it.', { min: 0, default: 0.05 }),
  leaf: enm(
    'Leaf prediction: majority, naiveBayes or adaptive for classes; mean, linear or adaptive for regression (adaptive: whichever has erred less at that leaf).',
    ['majority', 'naiveBayes', 'adaptive', 'mean', 'linear'],
    'adaptive',
  ),
  maxLeaves: int('Active leaves kept learning (memory limit; the least promising are deactivated); 0 = unlimited.', 0, 0),
  adwinDelta: num("hat: ADWIN's δ at each node.", { min: 0, max: 1, exclusive: true }),
  lambda: num('arf: Poisson λ of online bagging.', { min: 0, exclusive: true, default: 6 }),
  warningDelta: num("arf: ADWIN's δ of each tree's warning detector.", { min: 0, max: 1, exclusive: true, default: 0.01 }),
  driftDelta: num("arf: ADWIN's δ of each tree's drift detector.", { min: 0, max: 1, exclusive: true, default: 0.001 }),
  weightedVote: bool("arf: weigh each tree's vote by its test-then-train accuracy.", true),
  workers: int('arf: worker threads the trees are spread over (0: the calling thread); same results for a seed.', 0, 0),
  bins: int('forest: histogram bins per feature (thresholds between distinct values up to this many, quantiles beyond).', 2, 1024),
  minSamplesSplit: int('forest: fewest rows a node needs to split.', 2, 2),
  minSamplesLeaf: int('forest: fewest rows in a leaf.', 1, 1),
  bootstrap: bool('forest: each tree learns a bootstrap sample of the rows.', true),
  maxRows: int('forest: rows kept to fit on (beyond, a seeded reservoir sample).', 1, 1_000_000),
};

/**
 * One table for every kind: an option that only some kinds take (learn's MODEL_OPTION_KINDS) is
 * refused under the others by checkKeys, and documented with them.
 */
const MODEL_OPTIONS: ObjectKey = {
  type: 'object',
  doc: 'Model options.',
  keys: MODEL_OPTION_KEYS,
  onlyWith: Object.fromEntries(
    Object.keys(MODEL_OPTION_KEYS)
      .filter((k) => Object.hasOwn(MODEL_OPTION_KINDS, k))
      .map((k) => [k, MODEL_OPTION_KINDS[k]!]),
  ),
};

/** The whole spec file. */
export const SPEC_KEYS: ObjectKey = {
  type: 'object',
  doc: 'A sluice run: a source, optional schema and steps, a target, a model, and how to train, evaluate and save.',
  required: ['source'],
  keys: {
    name: str('A name for the run (reports, output files).'),
    seed: int('Seed for every seeded piece (splits, model init, generators without their own).', 0, 1),
    source: SOURCE,
    schema: { type: 'map', doc: 'Column types, overriding inference (CSV, NDJSON, sockets).', keyDoc: 'column', values: enm('Column type.', INPUT_TYPES) },
    typeHints: {
      type: 'map',
      doc: 'Column types for those of these columns a CSV input has; the others are ignored, unlike `schema`. `sluice predict` reads new data with the types of the training source.',
      keyDoc: 'column',
      values: enm('Column type.', INPUT_TYPES),
    },
    steps: {
      type: 'list',
      doc: 'Transforms applied in order; each is a one-key object naming the step. They learn from training rows only.',
      items: { type: 'variant', doc: 'A step.', variants: STEP_KEYS },
    },
    target: str('The label: a column name, or an expression (`delay > 15`). Columns the expression reads are never features.'),
    task: enm(
      'Inferred from the first batch when omitted: boolean, category and integer targets with at most 20 distinct values (and at most one per two rows) → classification; other numbers → regression.',
      ['classification', 'regression'],
    ),
    positive: str(
      'The positive class of a binary task. Default: when one of the two labels reads as a negative (no, false, 0, none, normal, benign, ham, or starts with "no "/"not "/"non-"), the other; else the later label in sorted order (1 of 0/1, true, the larger number, the later string by code point).',
    ),
    features: {
      type: 'object',
      doc: 'Which columns become features (by default every column left after the steps, minus the target and the columns it reads).',
      keys: {
        drop: columns('Columns never used as features.'),
        include: columns('Use exactly these columns, in this order.'),
        missing: enm('A missing numeric feature: bad row (`error`) or 0.', ['error', 'zero'], 'error'),
      },
    },
    split: {
      type: 'object',
      doc: 'Holds out rows for evaluation: held-out rows are scored, never learned from.',
      keys: {
        test: num('Fraction of rows held out as the test split.', { min: 0, max: 1, exclusive: true }),
        key: str('Column whose value decides the split (default: the row position).'),
        stratify: str('Class column whose proportions the split keeps.'),
        seed: int('Split seed (default: the spec seed).', 0),
      },
      required: ['test'],
    },
    model: {
      type: 'variant',
      bare: true,
      doc: `The model: one of ${MODEL_KINDS.join(', ')}, with its options (\`model: logistic\` or \`model: { mlp: { hidden: [64] } }\`).`,
      default: 'logistic or linear by task',
      variants: Object.fromEntries(MODEL_KINDS.map((k) => [k, MODEL_OPTIONS])),
    },
    training: {
      type: 'object',
      doc: 'How the model trains.',
      keys: {
        batchSize: int('Rows per update (default: 1 with normalized, ftrl and passiveAggressive, which update per row; 32 otherwise).', 1),
        epochs: int('Passes over finite data (metrics are progressive over the first pass).', 1, 1),
        backend: enm('Compute backend; `auto` takes a hardware GPU when there is one, else the CPU.', BACKEND_CHOICES, 'auto'),
        maxRows: int('Stop after this many rows.', 1),
        onDivergence: enm(
          'When the loss runs away or predictions stop being finite: `stop` fails the run (exit 1, nothing saved); `restore` puts back the last good model (kept every 10,000 rows while the loss is at most twice its start), saves it and ends the run there.',
          ['stop', 'restore'],
          'stop',
        ),
        checkpoint: {
          type: 'object',
          doc: 'Checkpoints of the run (model, steps, metrics, books and the source position) into `dir`/checkpoint.json, replaced atomically: every `every` seconds, and when the run is stopped (Ctrl-C, SIGTERM). `sluice train|run … --resume DIR` goes on from the last one; see docs/checkpoints.md.',
          keys: {
            dir: str('Directory of the checkpoint file.'),
            every: num('Seconds between checkpoints.', { min: 0, exclusive: true, default: 60 }),
          },
          required: ['dir'],
        },
      },
    },
    tune: {
      type: 'object',
      doc: "Hyperparameter tuning on the stream (docs/tune.md): candidate configurations of the model drawn from `space` race on the same rows in the same order, each scored test-then-train; each row is answered by the candidate leading before it; successive halving drops the worse half at the end of each rung, and a candidate clearly worse than the leader (beyond both confidence bounds) sooner. The last one left goes on learning and is saved with the race's record (`sluice inspect`). `tune: {}` takes every default; `sluice train --auto` is the same. Not with checkpoints or drift yet.",
      keys: {
        budget: num('Model-costs per row the race may spend on average while it runs; it races 2^budget candidates unless `candidates` is given.', {
          min: 1,
          max: 10,
          default: 4,
        }),
        candidates: int('Candidates raced (default 2^budget).', 1),
        space: {
          type: 'any',
          doc: 'What to race: a family of configurations, or a list of them; each key is a model option (kind, optimizer, lr, l1, l2, elasticNet, hidden, C, variant …) with a fixed value, a list (a choice), or `{ logUniform: [lo, hi] }`, `{ uniform: [lo, hi] }`, `{ int: [lo, hi] }`. Default: for logistic, softmax and linear, the normalized optimizer over lr in [0.05, 5] and l2 in {0, 1e-7 … 1e-4}, and FTRL over lr in [0.01, 2], l1 and l2 in {0, 0.01, 0.1, 1}. The first candidate of each family is its defaults.',
        },
        rung: int('Rows of the first rung; each later rung is twice as long.', 1, 256),
        confidence: num('Two-sided confidence of an early drop (0: drops only at rung ends).', { min: 0, max: 1, exclusive: false, default: 0.99 }),
        seed: int('Seeds the draw of the candidates (each model takes the run seed).', undefined, 1),
      },
    },
    drift: {
      type: 'object',
      doc: "Error drift of the model: each training row's outcome (0/1 error; absolute error for regression), as the progressive evaluation scores it, feeds a detector; its warnings and drifts are telemetry (`warning`, `drift`, with the row) and counted in the report, and `onDrift` says what the model does about them.",
      keys: {
        detector: {
          type: 'variant',
          bare: true,
          doc: `The detector: one of ${DRIFT_DETECTORS.join(', ')} (also page-hinkley, hddm-a, hddm-w), with its options (\`detector: ddm\` or \`detector: { adwin: { delta: 0.001 } }\`; see docs/drift.md). Page-Hinkley looks for rises only unless \`mode\` says otherwise.`,
          default: 'adwin',
          variants: Object.fromEntries(
            [...DRIFT_DETECTORS, 'page-hinkley', 'hddm-a', 'hddm-w'].map((d) => [
              d,
              { type: 'any', doc: `Options of ${d} (checked by the detector).` } as KeySpec,
            ]),
          ),
        },
        onDrift: enm(
          '`alert`: report only; `reset`: the model restarts from its initial state at each drift; `swap`: a background model starts learning at the warning and replaces the live one at the drift (with a detector that has no warning level, at the drift: a restart).',
          DRIFT_POLICIES,
          'alert',
        ),
      },
    },
    dataDrift: {
      type: 'object',
      doc: "Data drift of the source's columns (DataDriftMonitor, docs/drift.md): each column's live window against a reference, by PSI and KS for numbers and Jensen–Shannon for categories; a column whose verdict rises to moderate or major is a `dataDrift` event (the log, the dashboard's column panel) and is counted in the report. Off unless given.",
      keys: {
        reference: str('A file (same kinds as the source) whose columns are the reference; default the first `referenceRows` rows of the stream.'),
        referenceRows: int('Rows of the stream that form the reference when no file is given.', 1, 10000),
        window: int('Rows in the live window (compared at each quarter of it).', 4, 10000),
        columns: { type: 'list', doc: 'Columns to watch (default all).', minItems: 1, items: { type: 'string', doc: 'A column name.' } },
      },
    },
    evaluation: {
      type: 'object',
      doc: 'How the model is scored.',
      keys: {
        progressive: bool('Test-then-train: every training row is scored before the model learns from it.', true),
        metrics: {
          type: 'list',
          doc: 'Metric names (default: accuracy, precision, recall, f1, rocAuc, logLoss for binary; accuracy, macro f1 for multiclass; mae, rmse, r2 for regression). They must fit the task.',
          minItems: 1,
          items: enm('A metric.', METRIC_NAMES),
        },
        rolling: int('Also report the metrics over the last N rows.', 1),
        threshold: num('Score at which a binary prediction becomes class 1.', { min: 0, max: 1, default: 0.5 }),
        test: str('A file scored by the final model (same format as the source).'),
      },
    },
    output: {
      type: 'object',
      doc: 'Where results go.',
      keys: {
        dir: str('Directory for `report.json` and, with `save`, `pipeline.json` (preprocessing + model).'),
        report: str('Path of the JSON report (default `<dir>/report.json` when `dir` is set).'),
        save: bool('Save the pipeline artifact to `<dir>/pipeline.json`.', true),
        registry: str(
          'A model registry directory: the run publishes its pipeline as the next version there (`v0001`, `v0002` …, with `meta.json` and `SHA256SUMS`) and makes it the active one (`sluice models`, `sluice predict REG`). Not with `dir`.',
        ),
      },
    },
  },
};
