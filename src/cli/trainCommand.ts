import { parseArgs } from 'node:util';
import { SpecError } from '../core/index.js';
import { SPLIT_COLUMN } from '../features/index.js';
import { BACKEND_CHOICES } from '../kernels/index.js';
import { LEARN_OPTIMIZERS, MODEL_KINDS } from '../learn/index.js';
import { parseSpec, type Spec } from '../pipeline/index.js';
import { autoSteps } from './autoSteps.js';
import type { Command } from './Command.js';
import { COMMON_FLAGS, COMMON_USAGE, enumFlag, INPUT_FLAGS, INPUT_USAGE, inputFlags, intFlag, listFlag, numFlag } from './commonFlags.js';
import { execute } from './execute.js';
import { finishRun } from './finishRun.js';
import { sourceFromPath } from './sourceFromPath.js';
import { UsageError } from './UsageError.js';

/** `sluice train <input> --target …`: the quick path, with default preprocessing from the inferred types. */
export const trainCommand: Command = {
  summary: 'train a model on a file or stream with default preprocessing (the quick path)',
  usage: [
    'Usage: sluice train <file|-|tcp://host:port> --target <column or expression> [options]',
    '',
    'Infers the column types and preprocesses: numbers imputed then standardized; categories',
    'one-hot (up to 50 values) or hashed; datetimes as hour, day of week and month; text as a',
    'hashed bag of words. Columns the target reads are never features. tcp://host:port listens',
    'there for one producer (with --connect, connects to a server instead).',
    '',
    'Options:',
    '  --target T        column or expression to learn (required), e.g. "delay > 15"',
    '  --task T          classification|regression (inferred from the target when omitted)',
    `  --model M         ${MODEL_KINDS.join('|')} (default: logistic, softmax or linear by task)`,
    '  --hidden W,W      MLP hidden layer widths, e.g. 256,128',
    '  --batch N         rows per update (default 32)',
    `  --optimizer O     ${LEARN_OPTIMIZERS.join('|')} (ftrl: linear and logistic)`,
    '  --lr X            learning rate',
    '  --epochs N        passes over a file (default 1)',
    '  --l2 X            L2 penalty',
    '  --drop A,B        columns never used as features',
    '  --holdout F       fraction of rows held out and scored, never learned, e.g. 0.2',
    '  --on-divergence P stop|restore when the loss runs away (default stop: exit 1, nothing saved;',
    '                    restore: keep the last good model, save it, end the run there)',
    '  --test FILE       a final evaluation of the trained model on another file',
    `  --backend B       ${BACKEND_CHOICES.join('|')} (default auto)`,
    '  --metrics A,B     metric names (default by task)',
    '  --save DIR        write pipeline.json (preprocessing + model) and report.json there',
    '  --max-rows N      stop after N rows',
    ...INPUT_USAGE,
    '  --format F        csv|ndjson for tcp:// and ws:// inputs (default ndjson)',
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
        target: { type: 'string' },
        task: { type: 'string' },
        model: { type: 'string' },
        hidden: { type: 'string' },
        batch: { type: 'string' },
        optimizer: { type: 'string' },
        lr: { type: 'string' },
        epochs: { type: 'string' },
        l2: { type: 'string' },
        drop: { type: 'string' },
        holdout: { type: 'string' },
        'on-divergence': { type: 'string' },
        test: { type: 'string' },
        backend: { type: 'string' },
        metrics: { type: 'string' },
        save: { type: 'string' },
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
    const modelOptions = defined({
      hidden,
      optimizer: enumFlag('optimizer', v.optimizer, LEARN_OPTIMIZERS),
      lr: numFlag('lr', v.lr, 0),
      l2: numFlag('l2', v.l2, 0),
    });
    const raw = defined({
      name: 'train',
      source: { ...source, ...inputFlags(v, source, input), ...(maxRows !== undefined ? { maxRows } : {}) },
      target: v.target.trim(),
      task: enumFlag('task', v.task, ['classification', 'regression'] as const),
      features: drop ? { drop } : undefined,
      split: holdout !== undefined ? { test: holdout } : undefined,
      model: model ? { [model]: modelOptions } : undefined,
      training: defined({
        batchSize: intFlag('batch', v.batch, undefined, 1),
        epochs: intFlag('epochs', v.epochs, undefined, 1),
        backend: enumFlag('backend', v.backend, BACKEND_CHOICES),
        onDivergence: enumFlag('on-divergence', v['on-divergence'], ['stop', 'restore'] as const),
      }),
      evaluation: defined({ metrics: listFlag(v.metrics), test: v.test }),
      output: v.save ? { dir: v.save } : undefined,
      seed,
    });
    // The same validation as spec files, so flag values get the same messages (did-you-mean for metrics).
    const spec: Spec = parseSpec(JSON.stringify(raw), 'command line');
    const exclude = new Set(drop ?? []);
    return finishRun(io, v.json === true, (signal) =>
      execute(spec, {
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
          return autoSteps(batch, { exclude: ex });
        },
        ...(model ? {} : { modelOptions }),
        lineage: { command: 'train', args },
        err: io.err,
        signal,
      }),
    );
  },
};

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}
