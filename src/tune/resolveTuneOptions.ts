import { SpecError } from '../core/index.js';
import type { SearchSpace } from './resolveSearchSpace.js';

/** The `tune:` spec key, `--auto` and its flags, and the library's race options. Everything has a default. */
export interface TuneOptions {
  /**
   * Model-costs per row the race may spend on average while it runs (default 4). Successive
   * halving with rungs that double in length spends about log2 K of them per row, so a budget B
   * races 2^B candidates unless `candidates` says otherwise.
   */
  budget?: number;
  /** Candidates raced (default 2^budget, 16). */
  candidates?: number;
  /** What to race (default: defaultSearchSpace for the task and the kind given, if any). */
  space?: SearchSpace;
  /** Rows of the first rung (default 256): each later rung is twice as long, and halves the field at its end. */
  rung?: number;
  /** Two-sided confidence for dropping a candidate before its rung ends (default 0.99; 0 turns early drops off). */
  confidence?: number;
  /** Seeds the draw of the candidates (default 1). Every candidate's model takes the run's seed. */
  seed?: number;
  /** Per-row normalized candidates that differ only in lr, l1 and l2 share one pass (BatchedSparseLinear; default true). */
  batched?: boolean;
}

export interface ResolvedTuneOptions {
  budget: number;
  candidates: number;
  space: SearchSpace | null;
  rung: number;
  confidence: number;
  seed: number;
  batched: boolean;
}

/** At most this many candidates: each keeps a model; beyond it a race is an offline search. */
const MAX_CANDIDATES = 1024;
export const TUNE_KEYS = ['budget', 'candidates', 'space', 'rung', 'confidence', 'seed', 'batched'] as const;

/** Defaults and checks; a bad value throws SpecError naming `path.key`. */
export function resolveTuneOptions(o: TuneOptions | true | null | undefined, path = 'tune'): ResolvedTuneOptions {
  const t = (o === true || o == null ? {} : o) as Record<string, unknown>;
  if (typeof t !== 'object' || Array.isArray(t)) throw new SpecError(path, `takes an object of ${TUNE_KEYS.join(', ')} (or true), got ${JSON.stringify(o)}`);
  for (const k of Object.keys(t))
    if (!(TUNE_KEYS as readonly string[]).includes(k)) throw new SpecError(`${path}.${k}`, `unknown tuning option; expected one of ${TUNE_KEYS.join(', ')}`);
  const num = (k: string, def: number, ok: (v: number) => boolean, what: string): number => {
    const v = t[k] ?? def;
    if (typeof v !== 'number' || !ok(v)) throw new SpecError(`${path}.${k}`, `must be ${what}, got ${JSON.stringify(t[k])}`);
    return v;
  };
  const budget = num('budget', 4, (v) => Number.isFinite(v) && v >= 1 && v <= 10, 'a number from 1 to 10 (model-costs per row while racing)');
  const candidates = num(
    'candidates',
    Math.max(2, Math.round(2 ** budget)),
    (v) => Number.isInteger(v) && v >= 1 && v <= MAX_CANDIDATES,
    `an integer from 1 to ${MAX_CANDIDATES}`,
  );
  const rung = num('rung', 256, (v) => Number.isInteger(v) && v >= 1, 'a positive integer (rows)');
  const confidence = num('confidence', 0.99, (v) => v === 0 || (v > 0.5 && v < 1), '0 (no early drops) or a number in (0.5, 1)');
  const seed = num('seed', 1, (v) => Number.isSafeInteger(v), 'an integer');
  const space = (t.space ?? null) as SearchSpace | null;
  const batched = t.batched ?? true;
  if (typeof batched !== 'boolean') throw new SpecError(`${path}.batched`, `must be true or false, got ${JSON.stringify(t.batched)}`);
  return { budget, candidates, space, rung, confidence, seed, batched };
}
