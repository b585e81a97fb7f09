import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SourceSpec } from '../pipeline/index.js';
import { UsageError } from './UsageError.js';

/** Flags every data command takes (parseArgs option table). */
export const COMMON_FLAGS = {
  json: { type: 'boolean' },
  'no-tui': { type: 'boolean' },
  seed: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const COMMON_USAGE = [
  '  --json       print the final report on stdout as one JSON object',
  '  --no-tui     plain progress lines on stderr (automatic when stdout is not a terminal or CI is set)',
  '  --seed S     seed for splits, model initialisation and generators (default 1)',
  '  -q, --quiet  no progress lines',
  '  -h, --help   this help',
];

/** Checkpoint flags of the commands that train (train, run). */
export const CHECKPOINT_FLAGS = {
  checkpoint: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  resume: { type: 'string' },
} as const;

export const CHECKPOINT_USAGE = [
  '  --checkpoint DIR     checkpoint the run into DIR/checkpoint.json (model, steps, metrics, books,',
  '                       source position) every 60 s and when stopped by Ctrl-C or SIGTERM',
  '  --checkpoint-every S seconds between checkpoints (default 60)',
  '  --resume DIR         go on from the checkpoint in DIR (the same command on the same input:',
  '                       a CSV file from the byte offset reached, other files read again and',
  '                       the rows already learned passed over), and keep checkpointing there;',
  '                       with no checkpoint there yet, start (docs/checkpoints.md)',
];

/**
 * The spec's training.checkpoint from the flags (`spec` holds the spec's own, for run), and whether
 * to resume. --resume DIR checkpoints into DIR too; another --checkpoint with it is a usage error.
 */
export function checkpointFlags(
  v: { checkpoint?: string; 'checkpoint-every'?: string; resume?: string },
  spec: { dir: string; every?: number } | undefined,
): { checkpoint: { dir: string; every?: number } | undefined; resume: boolean } {
  if (v.checkpoint !== undefined && v.resume !== undefined && v.checkpoint !== v.resume)
    throw new UsageError(`--checkpoint ${v.checkpoint} and --resume ${v.resume}: a resumed run checkpoints where it resumes from; give one directory`);
  for (const k of ['checkpoint', 'resume'] as const) if (v[k] !== undefined && v[k]!.trim() === '') throw new UsageError(`--${k}: expected a directory`);
  const every = numFlag('checkpoint-every', v['checkpoint-every'], 0, Infinity, true);
  const dir = v.resume ?? v.checkpoint ?? spec?.dir;
  if (every !== undefined && dir === undefined) throw new UsageError('--checkpoint-every: give --checkpoint DIR (or --resume DIR) too');
  const e = every ?? spec?.every;
  return { checkpoint: dir === undefined ? undefined : { dir, ...(e !== undefined ? { every: e } : {}) }, resume: v.resume !== undefined };
}

/** An integer flag ≥ min, or the default. */
export function intFlag(name: string, raw: string | undefined, def: number | undefined, min: number): number | undefined {
  if (raw === undefined) return def;
  const v = Number(raw.replace(/_/g, ''));
  if (raw.trim() === '' || !Number.isSafeInteger(v) || v < min) throw new UsageError(`--${name}: expected an integer ≥ ${min}, got "${raw}"`);
  return v;
}

/** A number flag in (lo, hi) when `exclusive`, else ≥ lo. */
export function numFlag(name: string, raw: string | undefined, lo: number, hi = Infinity, exclusive = false): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  const ok = raw.trim() !== '' && Number.isFinite(v) && (exclusive ? v > lo && v < hi : v >= lo && v <= hi);
  if (!ok) throw new UsageError(`--${name}: expected a number ${exclusive ? `in (${lo}, ${hi})` : `≥ ${lo}`}, got "${raw}"`);
  return v;
}

/** One of the allowed words. */
export function enumFlag<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!allowed.includes(raw as T)) throw new UsageError(`--${name}: expected one of ${allowed.join('|')}, got "${raw}"`);
  return raw as T;
}

/** A comma-separated list (`--drop a,b`). */
export function listFlag(raw: string | undefined): string[] | undefined {
  return raw === undefined
    ? undefined
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

/** Flags of the commands that read an input (train, inspect): how its text is parsed and its bad rows handled. */
export const INPUT_FLAGS = {
  delimiter: { type: 'string' },
  'null-values': { type: 'string' },
  'bad-rows': { type: 'string' },
  'dead-letter': { type: 'string' },
} as const;

export const INPUT_USAGE = [
  '  --delimiter C     CSV field separator: one character, or \\t / tab (default , ; .tsv: tab)',
  '  --null-values A,B values read as missing, replacing the defaults (empty, NA, N/A, null,',
  '                    NULL, None); an empty item, as in ",-", keeps empty fields missing',
  '  --bad-rows P      skip (default: count, dead-letter, go on) | fail (stop at the first, exit 1)',
  '  --dead-letter F   write skipped rows to this CSV (line,reason,column,value,detail,raw)',
];

/** The source options of INPUT_FLAGS, checked against the input's kind (`source` from sourceFromPath). */
export function inputFlags(
  v: { delimiter?: string; 'null-values'?: string; 'bad-rows'?: string; 'dead-letter'?: string },
  source: SourceSpec,
  input: string,
): Partial<SourceSpec> {
  const kind =
    source.csv !== undefined
      ? 'csv'
      : source.arrow !== undefined
        ? 'arrow'
        : source.parquet !== undefined
          ? 'parquet'
          : source.json !== undefined
            ? 'json'
            : source.ndjson !== undefined
              ? 'ndjson'
              : `${source.tcp ? 'tcp' : 'websocket'} ${source.format ?? 'ndjson'}`;
  const only = (flag: string, ok: boolean, what: string) => {
    if (!ok) throw new UsageError(`--${flag} applies to ${what}; ${input} is read as ${kind}`);
  };
  const out: Partial<SourceSpec> = {};
  if (v.delimiter !== undefined) {
    only('delimiter', kind === 'csv' || kind.endsWith(' csv'), 'CSV input');
    const d = v.delimiter === '\\t' || v.delimiter.toLowerCase() === 'tab' ? '\t' : v.delimiter;
    if (d.length !== 1 || d.charCodeAt(0) > 127 || '"\r\n'.includes(d)) {
      throw new UsageError(`--delimiter: expected one ASCII character other than a quote or newline (or \\t), got ${JSON.stringify(v.delimiter)}`);
    }
    out.delimiter = d;
  }
  if (v['null-values'] !== undefined) {
    only('null-values', kind !== 'arrow' && kind !== 'parquet', 'text input (CSV, NDJSON, JSON, sockets)');
    out.nullValues = [...new Set(v['null-values'].split(',').map((s) => s.trim()))];
  }
  const badRows = enumFlag('bad-rows', v['bad-rows'], ['skip', 'fail'] as const);
  if (badRows) out.badRows = badRows;
  const dl = v['dead-letter'];
  if (dl !== undefined) {
    only('dead-letter', kind !== 'arrow' && kind !== 'parquet', 'text input (CSV, NDJSON, JSON, sockets)');
    if (dl.trim() === '') throw new UsageError('--dead-letter: expected a file path');
    if (badRows === 'fail') throw new UsageError('--dead-letter: --bad-rows fail stops at the first bad row, so nothing would be written; use --bad-rows skip');
    const dir = dirname(resolve(dl));
    if (!existsSync(dir)) throw new UsageError(`--dead-letter ${dl}: directory ${dir} does not exist`);
    out.deadLetter = dl;
  }
  return out;
}
