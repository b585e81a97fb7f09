import { parseArgs } from 'node:util';
import { readSpec } from '../pipeline/index.js';
import { applyOverrides } from './applyOverrides.js';
import type { Command } from './Command.js';
import { CHECKPOINT_FLAGS, CHECKPOINT_USAGE, COMMON_FLAGS, COMMON_USAGE, checkpointFlags, intFlag } from './commonFlags.js';
import { execute } from './execute.js';
import { finishRun } from './finishRun.js';
import { publishToRegistry } from './publishToRegistry.js';
import { UsageError } from './UsageError.js';

/** `sluice run <spec>`: a whole pipeline from a YAML or JSON spec file (docs/spec.md). */
export const runCommand: Command = {
  summary: 'run a whole pipeline from a YAML or JSON spec file (docs/spec.md)',
  usage: [
    'Usage: sluice run <spec.yaml|spec.json> [options]',
    '',
    'Validates the spec (every problem, with its key path and line, exit 2), then streams the',
    'source through the steps into the model and prints the report. Keys: docs/spec.md.',
    '',
    'Options:',
    '  --set K=V    override a spec key before validation, e.g. --set training.maxRows=1000',
    '               or --set source.tcp.listen=0 (values read as YAML; repeatable)',
    '  --check      validate the spec and exit',
    ...CHECKPOINT_USAGE,
    ...COMMON_USAGE,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        ...COMMON_FLAGS,
        ...CHECKPOINT_FLAGS,
        set: { type: 'string', multiple: true },
        check: { type: 'boolean' },
      },
    });
    if (values.help) {
      io.out(this.usage);
      return 0;
    }
    if (positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? 'expected a spec file' : `expected one spec file, got ${positionals.length}: ${positionals.join(' ')}`);
    const file = positionals[0]!;
    const seed = intFlag('seed', values.seed, undefined, 0);
    const read = readSpec(file, values.set?.length ? (raw) => applyOverrides(raw, values.set!) : undefined);
    const { checkpoint, resume } = checkpointFlags(values, read.training?.checkpoint);
    const spec = checkpoint ? { ...read, training: { ...read.training, checkpoint } } : read;
    if (values.check) {
      io.out(`${file}: ok`);
      return 0;
    }
    return finishRun(io, values.json === true, (signal, terminate) =>
      publishToRegistry(spec, io.err, (spec) =>
        execute(spec, {
          json: values.json === true,
          quiet: values.quiet === true,
          noTui: values['no-tui'] === true,
          ...(seed !== undefined ? { seed } : {}),
          lineage: { command: 'run', file, spec },
          err: io.err,
          signal,
          terminate,
          resume,
        }),
      ),
    );
  },
};
