import { parseArgs } from 'node:util';
import { fromEvent, lastValueFrom, takeUntil } from 'rxjs';
import { asyncMap, BadRows, type Batch, DeadLetter, type RowAccount, Telemetry, textLogger } from '../core/index.js';
import { type OutputFormat, openBatchWriter } from '../io/index.js';
import { loadPipeline } from '../operators/index.js';
import { buildPipeline } from '../pipeline/index.js';
import type { Command } from './Command.js';
import { enumFlag, INPUT_FLAGS, INPUT_USAGE, inputFlags, intFlag, numFlag } from './commonFlags.js';
import { sourceFromPath } from './sourceFromPath.js';
import { UsageError } from './UsageError.js';

const FORMATS: readonly OutputFormat[] = ['csv', 'ndjson', 'arrow'];
/** Exit status after Ctrl-C: 128 + SIGINT. */
const INTERRUPTED = 130;

/** `sluice predict <model> <data>`: batch scoring with a pipeline saved by `train --save`. */
export const predictCommand: Command = {
  summary: 'score a file with a saved pipeline (train --save), appending the predictions',
  usage: [
    'Usage: sluice predict <model> <data> [options]',
    '',
    '<model> is a directory written by `sluice train --save DIR` (or its pipeline.json), a model',
    'registry (`train --registry REG`: its active version) or one of its versions (REG/v0002). <data>',
    'is a CSV, Arrow, Parquet, NDJSON or JSON file (by extension; - is stdin, CSV or --input-format). Each row',
    "goes through the saved steps, frozen, and the model; the output is the input's rows with",
    'added columns:',
    '  binary       prediction (the class) and probability (of the positive class)',
    '  multiclass   prediction and probability_<class> for each class',
    '  regression   prediction',
    'The label is not needed and not read (nor the columns a target expression reads). A CSV is',
    'read with the types of the training data. Rows the steps cannot take follow --bad-rows (default: skip,',
    'count on stderr and --dead-letter). The model does not learn.',
    '',
    'Options:',
    '  --out F           write to F instead of stdout (written beside it and renamed when complete)',
    `  --format F        ${FORMATS.join('|')} (default: from --out's extension, .csv .tsv .ndjson .jsonl`,
    '                    .arrow; csv on stdout)',
    "  --prefix P        put P before the added columns' names (when the input has a prediction column)",
    '  --threshold T     binary: predict the positive class from probability T on (default 0.5)',
    '  --input-format F  csv|ndjson: what - (stdin) holds (default csv)',
    '  --max-rows N      read at most N rows',
    ...INPUT_USAGE,
    '  --json            print a report { rows, output, … } when done (on stderr when the data goes to stdout)',
    '  -q, --quiet       no progress lines',
    '  -h, --help        this help',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        format: { type: 'string' },
        'input-format': { type: 'string' },
        prefix: { type: 'string' },
        threshold: { type: 'string' },
        'max-rows': { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
        ...INPUT_FLAGS,
      },
    });
    if (values.help) {
      io.out(this.usage);
      return 0;
    }
    if (positionals.length !== 2)
      throw new UsageError(
        positionals.length < 2 ? 'expected a model directory and a data file' : `expected a model and one data file, got ${positionals.join(' ')}`,
      );
    const [modelPath, file] = positionals as [string, string];
    const format = enumFlag('format', values.format, FORMATS);
    const threshold = numFlag('threshold', values.threshold, 0, 1, true);
    const maxRows = intFlag('max-rows', values['max-rows'], undefined, 1);
    const inputFormat = enumFlag('input-format', values['input-format'], ['csv', 'ndjson'] as const);
    if (inputFormat !== undefined && file !== '-') throw new UsageError('--input-format: applies to - (stdin); a file says its format by its extension');
    const source = sourceFromPath(file, inputFormat ? { format: inputFormat } : {});
    if (source.tcp || source.websocket) throw new UsageError(`${file}: predict reads files or stdin; sockets are for train and run`);
    const input = inputFlags(values, source, file);
    const toStdout = values.out === undefined || values.out === '-';
    if (toStdout && format === 'arrow' && process.stdout.isTTY)
      throw new UsageError('--format arrow: binary output to a terminal; give --out F or redirect stdout');

    // The model first: a wrong path fails before any data is read.
    const saved = await loadPipeline(modelPath);
    if (threshold !== undefined && saved.task !== 'binary') {
      await saved.dispose();
      throw new UsageError(`--threshold: applies to a binary model; ${modelPath} is ${saved.task}`);
    }
    const telemetry = new Telemetry();
    const policy = input.badRows ?? 'skip';
    const letter = input.deadLetter ? { deadLetter: input.deadLetter, deadLetterAppend: true } : {};
    const books = new Map<string, BadRows>();
    saved.setBadRows((step) => {
      const b = new BadRows(step, { badRows: policy, telemetry, ...letter });
      books.set(step, b);
      return b;
    });
    // A CSV is typed as the training source was (a number column with a stray word stays a number
    // column, that row a bad row); JSON carries its own types, Arrow and Parquet theirs.
    const schema = source.csv !== undefined && saved.inputTypes ? { typeHints: { ...saved.inputTypes } } : {};
    const built = buildPipeline({ source: { ...source, ...input, ...(maxRows !== undefined ? { maxRows } : {}) }, ...schema }, { telemetry });
    let sourceBooks: Pick<RowAccount, 'read' | 'skipped' | 'skippedByReason'> | null = null;
    const sub = telemetry.on('account').subscribe((e) => {
      if (!books.has(e.source)) sourceBooks = e;
    });
    const log = values.quiet ? null : textLogger({ telemetry, write: io.err });
    // The dead letter starts fresh each run (as train's); the reader and the steps append to it.
    const release = built.deadLetter ? DeadLetter.share(built.deadLetter) : null;
    const started = performance.now();
    const writer = openBatchWriter(toStdout ? process.stdout : values.out!, format);
    const opts = { ...(values.prefix !== undefined ? { prefix: values.prefix } : {}), ...(threshold !== undefined ? { threshold } : {}) };
    // Ctrl-C stops reading and leaves no output file (a partial one would pass for a complete one).
    const stop = new AbortController();
    const onInt = () => stop.abort();
    process.once('SIGINT', onInt);
    let read = 0;
    try {
      await lastValueFrom(
        built.source().pipe(
          takeUntil(fromEvent(stop.signal, 'abort')),
          asyncMap(async (b: Batch) => {
            read += b.length;
            await writer.write(await saved.predictBatch(b, opts));
            return null;
          }),
        ),
        { defaultValue: null },
      );
      if (stop.signal.aborted) {
        await writer.discard();
        io.err(`sluice predict: interrupted after ${writer.rows} rows; ${toStdout ? 'the output stops there' : `${values.out} not written`}`);
        return INTERRUPTED;
      }
      await writer.close();
    } catch (e) {
      await writer.discard().catch(() => {});
      throw e;
    } finally {
      process.removeListener('SIGINT', onInt);
      log?.unsubscribe();
      sub.unsubscribe();
      // Flushes the steps' dead-letter rows.
      for (const b of books.values()) b.close();
      release?.();
      await saved.dispose();
    }
    const seconds = (performance.now() - started) / 1000;
    // Rows skipped before the steps (the reader's) and by them.
    const src = sourceBooks as Pick<RowAccount, 'read' | 'skipped' | 'skippedByReason'> | null;
    const skippedByReason: Record<string, number> = {};
    let skipped = 0;
    for (const a of [src, ...[...books.values()].map((b) => b.account())]) {
      if (!a) continue;
      skipped += a.skipped;
      for (const [r, n] of Object.entries(a.skippedByReason)) skippedByReason[r] = (skippedByReason[r] ?? 0) + (n ?? 0);
    }
    const report = {
      // Rows passed on by the reader (--max-rows stops there) and those it skipped.
      rows: { read: read + (src?.skipped ?? 0), predicted: writer.rows, skipped, skippedByReason },
      output: toStdout ? '-' : values.out!,
      format: writer.format,
      model: { path: modelPath, task: saved.task, classes: saved.classes },
      elapsedSeconds: seconds,
      rowsPerSecond: writer.rows / Math.max(seconds, 1e-9),
    };
    if (values.json) (toStdout ? io.err : io.out)(JSON.stringify(report));
    else if (!values.quiet || skipped > 0) {
      const why = Object.entries(skippedByReason)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ');
      io.err(
        `sluice predict: ${writer.rows} rows predicted${skipped > 0 ? `, ${skipped} skipped (${why})${input.deadLetter ? `; written to ${input.deadLetter}` : ''}` : ''} → ${report.output} in ${seconds.toFixed(1)} s`,
      );
    }
    return 0;
  },
};
