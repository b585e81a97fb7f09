import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { SpecError, writeFileAtomic } from '../core/index.js';
import { DRIFT_DETECTOR_NAMES, DRIFT_DETECTORS, DRIFT_POLICIES } from '../drift/index.js';
import { SPLIT_COLUMN } from '../features/index.js';
import { BACKEND_CHOICES } from '../kernels/index.js';
import { LEARN_OPTIMIZERS, MODEL_KINDS } from '../learn/index.js';
import { parseSpec, type Spec } from '../pipeline/index.js';
import { type AutoPlan, autoSteps, parseInteractions } from './autoSteps.js';
import type { Command } from './Command.js';
import {
  CHECKPOINT_FLAGS,
  CHECKPOINT_USAGE,
  COMMON_FLAGS,
  COMMON_USAGE,
  checkpointFlags,
  enumFlag,
  INPUT_FLAGS,
  INPUT_USAGE,
  inputFlags,
  intFlag,
  listFlag,
  numFlag,
} from './commonFlags.js';
import { type ExecuteOptions, execute } from './execute.js';
import { finishRun } from './finishRun.js';
import { publishToRegistry } from './publishToRegistry.js';
import type { Report } from './Report.js';
import { sealSaved } from './sealSaved.js';
import { sourceFromPath } from './sourceFromPath.js';
import { UsageError } from './UsageError.js';

/** `sluice train <input> --target …`: the quick path, with default preprocessing from the inferred types. */
export const trainCommand: Command = {
  summary: 'train a model on a file or stream with default preprocessing (the quick path)',
  usage: [
    'Usage: sluice train <file|-|tcp://host:port> --target <column or expression> [options]',
    '',
    'Infers the column types and preprocesses: numbers imputed then standardized (skewed',
    'non-negative ones through log1p first); categories one-hot (up to 50 values) or hashed;',
    'datetimes as hour, day of week and month, each one-hot; text as hashed TF-IDF (sublinear tf,',
    'L2-normalized). Integer targets with at most 20 distinct values are classes; classes sort',
    '(numbers ascending, strings by code point). The task and positive class chosen are printed',
    'and in the report (choices). Columns the target reads are never features. tcp://host:port',
    'listens there for one producer (with --connect, connects to a server instead).',
    '',
    'Options:',
    '  --target T        column or expression to learn (required), e.g. "delay > 15"',
    '  --task T          classification|regression (inferred from the target when omitted)',
    '  --positive V      the positive class of a binary task (default: the other label when one',
    '                    reads as negative (no, false, 0, benign, ham, no …), else the later one',
    '                    in sorted order: 1 of 0/1, true, yes)',
    '  --interactions I  auto|none|a:b,c:d: hashed crosses of category pairs (default none;',
    '                    auto: every pair of one-hot columns and datetime parts)',
    `  --model M         ${MODEL_KINDS.join('|')} (default: logistic, softmax or linear by task)`,
    '  --hidden W,W      MLP hidden layer widths, e.g. 256,128',
    '  --trees N         members of an arf or forest model (default 10 and 100; docs/trees.md)',
    '  --batch N         rows per update (default 32)',
    `  --optimizer O     ${LEARN_OPTIMIZERS.join('|')} (ftrl: linear and logistic)`,
    '  --lr X            learning rate',
    '  --epochs N        passes over a file (default 1)',
    '  --l2 X            L2 penalty',
    '  --auto            tune on the stream: race candidate configurations (optimizer, rate,',
    '                    L1/L2 …) test-then-train on the same rows, drop the worse half at each',
    '                    rung, keep the winner learning (docs/tune.md); the dashboard shows the',
    '                    leaderboard, the report and saved model the race (sluice inspect)',
    '  --budget B        with --auto: model-costs per row while racing (default 4: 16 candidates)',
    '  --candidates K    with --auto: candidates raced (default 2^budget)',
    '  --space S         with --auto: the search space, JSON or a JSON/YAML file (default by task',
    '                    and --model; a space of plain values is one configuration)',
    '  --drop A,B        columns never used as features',
    '  --holdout F       fraction of rows held out and scored, never learned, e.g. 0.2',
    '  --on-divergence P stop|restore when the loss runs away (default stop: exit 1, nothing saved;',
    '                    restore: keep the last good model, save it, end the run there)',
    `  --drift D         watch the model's errors for drift: ${DRIFT_DETECTOR_NAMES.join('|')};`,
    '                    warnings and drifts are logged with their row and counted in the report',
    '  --on-drift P      alert|reset|swap (default alert; alone, the detector is adwin): reset',
    '                    restarts the model at a drift; swap trains a background model from the',
    '                    warning and swaps it in at the drift (see docs/drift.md)',
    '  --data-drift      watch each column of the input for a shift: its last 10,000 rows against',
    '                    the first 10,000 (PSI, KS, Jensen–Shannon); alerts are logged with their row,',
    "                    marked in the dashboard's column panel and counted in the report",
    '  --data-drift-reference F   the same against file F (implies --data-drift)',
    '  --test FILE       a final evaluation of the trained model on another file',
    `  --backend B       ${BACKEND_CHOICES.join('|')} (default auto)`,
    '  --metrics A,B     metric names (default by task)',
    '  --save DIR        write pipeline.json (preprocessing + model) and report.json there',
    '  --registry REG    publish the model as the next version of the model registry REG',
    '                    (v0001, v0002 …, made active; see sluice models). Not with --save',
    '  --max-rows N      stop after N rows',
    ...CHECKPOINT_USAGE,
    ...INPUT_USAGE,
    '  --format F        csv|ndjson for - (stdin; default csv), tcp:// and ws:// inputs (default ndjson)',
    '  --connect         tcp://host:port: connect to a server instead of listening',
    '  --reconnect       tcp:// with --connect, ws://: after a refused connect or an abnormal',
    '                    close, reconnect with backoff (default: no; a refused first connect',
    '                    fails, an abnormal close ends the stream with a warning)',
    '  --backoff MS      with --reconnect: first retry delay, doubling up to 10 s (default 100)',
    '  --max-retries N   with --reconnect: failed attempts in a row before giving up (default 10)',
    ...COMMON_USAGE,
  ].join('\n'),
  async run(args, io) {
    const { values: v, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        ...COMMON_FLAGS,
        ...INPUT_FLAGS,
        ...CHECKPOINT_FLAGS,
        target: { type: 'string' },
        task: { type: 'string' },
        positive: { type: 'string' },
        interactions: { type: 'string' },
        model: { type: 'string' },
        hidden: { type: 'string' },
        trees: { type: 'string' },
        batch: { type: 'string' },
        optimizer: { type: 'string' },
        lr: { type: 'string' },
        epochs: { type: 'string' },
        l2: { type: 'string' },
        drop: { type: 'string' },
        auto: { type: 'boolean' },
        budget: { type: 'string' },
        candidates: { type: 'string' },
        space: { type: 'string' },
        holdout: { type: 'string' },
        'on-divergence': { type: 'string' },
        drift: { type: 'string' },
        'data-drift': { type: 'boolean' },
        'data-drift-reference': { type: 'string' },
        'on-drift': { type: 'string' },
        test: { type: 'string' },
        backend: { type: 'string' },
        metrics: { type: 'string' },
        save: { type: 'string' },
        registry: { type: 'string' },
        'max-rows': { type: 'string' },
        format: { type: 'string' },
        connect: { type: 'boolean' },
        reconnect: { type: 'boolean' },
        backoff: { type: 'string' },
        'max-retries': { type: 'string' },
      },
    });
    if (v.help) {
      io.out(this.usage);
      return 0;
    }
    if (positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? 'expected an input: a file, - or tcp://host:port' : `expected one input, got ${positionals.join(' ')}`);
    if (v.target === undefined || v.target.trim() === '') throw new UsageError('--target is required: the column or expression to learn');
    if (v.save !== undefined && v.registry !== undefined)
      throw new UsageError('--save and --registry: give one or the other (a registry version is itself a saved directory)');
    const input = positionals[0]!;
    const model = enumFlag('model', v.model, MODEL_KINDS);
    const hidden = listFlag(v.hidden)?.map((w) => intFlag('hidden', w, undefined, 1)!);
    const format = enumFlag('format', v.format, ['csv', 'ndjson'] as const);
    const seed = intFlag('seed', v.seed, undefined, 0);
    const backoff = intFlag('backoff', v.backoff, undefined, 1),
      maxRetries = intFlag('max-retries', v['max-retries'], undefined, 0);
    const source = sourceFromPath(input, {
      ...(v.connect ? { connect: true } : {}),
      ...(format ? { format } : {}),
      ...(v.reconnect ? { reconnect: true } : {}),
      ...(backoff !== undefined ? { backoff } : {}),
      ...(maxRetries !== undefined ? { maxRetries } : {}),
    });
    const maxRows = intFlag('max-rows', v['max-rows'], undefined, 1);
    const holdout = numFlag('holdout', v.holdout, 0, 1, true);
    const drop = listFlag(v.drop);
    const { checkpoint, resume } = checkpointFlags(v, undefined);
    const modelOptions = defined({
      hidden,
      trees: intFlag('trees', v.trees, undefined, 1),
      optimizer: enumFlag('optimizer', v.optimizer, LEARN_OPTIMIZERS),
      lr: numFlag('lr', v.lr, 0),
      l2: numFlag('l2', v.l2, 0),
    });
    const raw = defined({
      name: 'train',
      source: { ...source, ...inputFlags(v, source, input), ...(maxRows !== undefined ? { maxRows } : {}) },
      target: v.target.trim(),
      task: enumFlag('task', v.task, ['classification', 'regression'] as const),
      positive: v.positive,
      features: drop ? { drop } : undefined,
      split: holdout !== undefined ? { test: holdout } : undefined,
      model: model ? { [model]: modelOptions } : undefined,
      training: defined({
        batchSize: intFlag('batch', v.batch, undefined, 1),
        epochs: intFlag('epochs', v.epochs, undefined, 1),
        backend: enumFlag('backend', v.backend, BACKEND_CHOICES),
        onDivergence: enumFlag('on-divergence', v['on-divergence'], ['stop', 'restore'] as const),
        checkpoint,
      }),
      tune: tuneFlags(v),
      drift: driftFlags(v.drift, v['on-drift']),
      dataDrift: v['data-drift'] || v['data-drift-reference'] !== undefined ? defined({ reference: v['data-drift-reference'] }) : undefined,
      evaluation: defined({ metrics: listFlag(v.metrics), test: v.test }),
      output: v.save ? { dir: v.save } : v.registry ? { registry: v.registry } : undefined,
      seed,
    });
    // The same validation as spec files, so flag values get the same messages (did-you-mean for metrics).
    const spec: Spec = parseSpec(JSON.stringify(raw), 'command line');
    const exclude = new Set(drop ?? []);
    const interactions = parseInteractions(v.interactions);
    let plan: AutoPlan | null = null;
    // The per-column choices join the report's task choices (stdout and the saved report.json).
    const withPlan = (spec: Spec, r: Report): Report => {
      if (!plan) return r;
      const out = { ...r, choices: { ...(r.choices ?? {}), columns: plan.columns, interactions: plan.interactions } } as Report;
      const file = spec.output?.report ?? (spec.output?.dir ? join(spec.output.dir, 'report.json') : null);
      if (file && existsSync(file)) writeFileAtomic(file, `${JSON.stringify(out, null, 2)}\n`);
      if (spec.output?.dir && spec.output.save !== false) sealSaved(spec.output.dir);
      return out;
    };
    const run = (o: ExecuteOptions): Promise<Report> =>
      publishToRegistry(spec, io.err, async (spec) => {
        try {
          return withPlan(spec, await execute(spec, o));
        } catch (e) {
          // A failed run's report (diverged, no rows) carries the choices too.
          const failed = e as { report?: Report };
          if (failed.report) failed.report = withPlan(spec, failed.report);
          throw e;
        }
      });
    return finishRun(io, v.json === true, (signal, terminate) =>
      run({
        json: v.json === true,
        quiet: v.quiet === true,
        noTui: v['no-tui'] === true,
        targetPath: '--target',
        taskPath: '--task',
        autoSteps: (batch, target) => {
          // Like an unknown --target: a --drop column the data lacks is a usage error, not ignored.
          const unknown = [...exclude].filter((c) => !batch.has(c));
          if (unknown.length > 0) {
            const data = batch.names.filter((n) => n !== SPLIT_COLUMN && !(target?.expression && n === target.column));
            throw new SpecError(
              '--drop',
              `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')}; the data has ${data.join(', ')}`,
            );
          }
          const ex = new Set([...exclude, ...(target ? [target.column, ...target.reads] : [])]);
          plan = autoSteps(batch, { exclude: ex, ...(interactions ? { interactions } : {}) });
          return plan.steps;
        },
        ...(model ? {} : { modelOptions }),
        lineage: { command: 'train', args },
        err: io.err,
        signal,
        terminate,
        resume,
        // The per-column choices are made from the first batch of the first run: a resumed run reports them too.
        checkpointExtra: {
          save: () => plan,
          restore: (saved) => {
            plan = saved as AutoPlan | null;
          },
        },
      }),
    );
  },
};

/** `--auto` and its flags as the spec's tune section (undefined without --auto; its flags alone are refused). */
function tuneFlags(v: { auto?: boolean; budget?: string; candidates?: string; space?: string; seed?: string }): Record<string, unknown> | undefined {
  if (!v.auto) {
    const alone = (['budget', 'candidates', 'space'] as const).find((k) => v[k] !== undefined);
    if (alone) throw new UsageError(`--${alone} tunes: give it with --auto`);
    return undefined;
  }
  return defined({
    budget: numFlag('budget', v.budget, 1, 10),
    candidates: intFlag('candidates', v.candidates, undefined, 1),
    space: v.space === undefined ? undefined : readSpace(v.space),
  });
}

/** `--space`: JSON text, or a JSON or YAML file. */
function readSpace(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch (e) {
      throw new UsageError(`--space: not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!existsSync(t)) throw new UsageError(`--space: expected JSON or a JSON/YAML file, and there is no file ${t}`);
  try {
    return parseYaml(readFileSync(t, 'utf8'));
  } catch (e) {
    throw new UsageError(`--space ${t}: not valid JSON or YAML: ${(e as Error).message}`);
  }
}

/** `--drift D` and `--on-drift P` as the spec's drift section (undefined when neither is given). */
function driftFlags(detector: string | undefined, policy: string | undefined): { detector?: string; onDrift?: string } | undefined {
  if (detector === undefined && policy === undefined) return undefined;
  if (detector !== undefined && !(DRIFT_DETECTORS as readonly string[]).includes(detector)) enumFlag('drift', detector, DRIFT_DETECTOR_NAMES);
  return defined({ detector, onDrift: enumFlag('on-drift', policy, DRIFT_POLICIES) });
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}
