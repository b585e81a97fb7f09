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
  return raw === undefined ? undefined : raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
