import { Rng } from '../core/index.js';
import type { ResolvedDomain, ResolvedSubSpace } from './resolveSearchSpace.js';

/** One configuration of a race: model options and feature-view keys, with short words for the dashboard. */
export interface Candidate {
  id: number;
  /** Index of the family it was drawn from. */
  family: number;
  config: Record<string, unknown>;
  label: string;
}

/**
 * K configurations from a resolved space, deterministic for a seed. Families take turns
 * (candidate i is drawn from family i mod families). The first candidate of each family takes
 * the first value of each choice and leaves its ranges out (the model's defaults), so the
 * untuned configuration always races; the others draw each range (log-uniform, uniform,
 * integer) and each choice. Repeated configurations are drawn again (up to 20 times), since two
 * equal candidates waste a slot.
 */
export function sampleCandidates(space: ResolvedSubSpace[], count: number, seed = 1): Candidate[] {
  const rng = new Rng(seed);
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (let id = 0; id < count; id++) {
    const family = id % space.length;
    const sub = space[family]!;
    let config: Record<string, unknown> = {};
    for (let attempt = 0; attempt < 20; attempt++) {
      config = { ...sub.fixed };
      for (const [key, d] of sub.domains) {
        if (id < space.length) {
          if (d.type === 'choice') config[key] = d.values[0];
        } else config[key] = draw(d, rng);
      }
      if (!seen.has(JSON.stringify(config))) break;
    }
    seen.add(JSON.stringify(config));
    out.push({ id, family, config, label: labelOf(config) });
  }
  return out;
}

function draw(d: ResolvedDomain, rng: Rng): unknown {
  switch (d.type) {
    case 'choice':
      return d.values[rng.int(d.values.length)];
    case 'int':
      return d.lo + rng.int(d.hi - d.lo + 1);
    case 'uniform':
      return round(rng.uniform(d.lo, d.hi));
    case 'logUniform':
      return round(Math.exp(rng.uniform(Math.log(d.lo), Math.log(d.hi))));
  }
}

/** Four significant digits: labels and saved configurations stay readable; a rate is never that precise. */
function round(v: number): number {
  return Number(v.toPrecision(4));
}

/** `logistic normalized lr=0.31 l2=1e-5`: the kind and optimizer bare, the rest as key=value. */
function labelOf(config: Record<string, unknown>): string {
  const parts: string[] = [];
  if (config.kind !== undefined) parts.push(String(config.kind));
  if (config.optimizer !== undefined) parts.push(String(config.optimizer));
  for (const [k, v] of Object.entries(config)) {
    if (k === 'kind' || k === 'optimizer') continue;
    parts.push(`${k}=${typeof v === 'number' ? Number(v.toPrecision(3)) : JSON.stringify(v).replace(/"/g, '')}`);
  }
  return parts.length ? parts.join(' ') : 'defaults';
}
