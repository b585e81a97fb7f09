import { SpecError } from '../core/index.js';

/**
 * A key's range in a search space. A plain value is fixed; a list is a choice among its values
 * (so a fixed list value, such as MLP `hidden`, is written as a list of one list: `[[32]]`).
 */
export type Domain = { logUniform: [number, number] } | { uniform: [number, number] } | { int: [number, number] } | { choice: unknown[] };

/**
 * One family of configurations: model options (see ModelOptions: kind, optimizer, lr, l1, l2,
 * elasticNet, hidden, ...) and the feature-view keys `hashBits` and `interactions`, each a plain
 * value or a Domain. A search space is one family or a list of them.
 */
export type SubSpace = Record<string, unknown>;
export type SearchSpace = SubSpace | SubSpace[];

export type ResolvedDomain =
  | { type: 'logUniform'; lo: number; hi: number }
  | { type: 'uniform'; lo: number; hi: number }
  | { type: 'int'; lo: number; hi: number }
  | { type: 'choice'; values: unknown[] };

export interface ResolvedSubSpace {
  fixed: Record<string, unknown>;
  /** Sampled keys in the order written (sampling order, so a seed draws the same candidates). */
  domains: Array<[string, ResolvedDomain]>;
}

/** Keys a race sets itself or that every candidate shares: a space may not vary them. */
const SHARED_KEYS = ['task', 'classes', 'inputs', 'targetScale', 'backend', 'backendOptions', 'device', 'seed', 'classWeights', 'workers'];

/** Splits each family into fixed values and domains, checking every domain; `path` names the spec key in errors. */
export function resolveSearchSpace(space: SearchSpace, path = 'tune.space'): ResolvedSubSpace[] {
  const list = Array.isArray(space) ? space : [space];
  if (list.length === 0) throw new SpecError(path, 'needs at least one family of configurations');
  return list.map((sub, i) => {
    const at = Array.isArray(space) ? `${path}[${i}]` : path;
    if (sub === null || typeof sub !== 'object' || Array.isArray(sub))
      throw new SpecError(at, `a family is an object of option: value or range, got ${JSON.stringify(sub)}`);
    const fixed: Record<string, unknown> = {};
    const domains: Array<[string, ResolvedDomain]> = [];
    for (const [key, v] of Object.entries(sub)) {
      if (v === undefined) continue;
      if (SHARED_KEYS.includes(key)) throw new SpecError(`${at}.${key}`, `every candidate of a race shares ${key}: set it outside the search space`);
      const d = domainOf(v, `${at}.${key}`);
      if (d) domains.push([key, d]);
      else fixed[key] = v;
    }
    return { fixed, domains };
  });
}

function domainOf(v: unknown, at: string): ResolvedDomain | null {
  if (Array.isArray(v)) {
    if (v.length === 0) throw new SpecError(at, 'a choice needs at least one value');
    return { type: 'choice', values: v };
  }
  if (v === null || typeof v !== 'object') return null;
  const keys = Object.keys(v);
  const kind = keys[0];
  if (keys.length !== 1 || !['logUniform', 'uniform', 'int', 'choice'].includes(kind!)) return null;
  const arg = (v as Record<string, unknown>)[kind!];
  if (kind === 'choice') return domainOf(arg, at) ?? fail(at, `choice takes a list, got ${JSON.stringify(arg)}`);
  if (!Array.isArray(arg) || arg.length !== 2 || !arg.every((x) => typeof x === 'number' && Number.isFinite(x)))
    return fail(at, `${kind} takes [low, high], two finite numbers; got ${JSON.stringify(arg)}`);
  const [lo, hi] = arg as [number, number];
  if (!(lo <= hi)) return fail(at, `${kind}: low ${lo} is above high ${hi}`);
  if (kind === 'logUniform' && !(lo > 0)) return fail(at, `logUniform needs a positive low end, got ${lo}`);
  if (kind === 'int' && !(Number.isInteger(lo) && Number.isInteger(hi))) return fail(at, `int takes two integers, got [${lo}, ${hi}]`);
  return { type: kind as 'logUniform' | 'uniform' | 'int', lo, hi };
}

function fail(at: string, message: string): never {
  throw new SpecError(at, message);
}
