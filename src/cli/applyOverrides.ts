import { parse } from 'yaml';
import { UsageError } from './UsageError.js';

/**
 * Applies `--set key.path=value` overrides to a parsed spec (values read as YAML: `0`, `true`,
 * `[a, b]`), creating objects on the way; list items by index (`steps.0.impute.strategy`).
 */
export function applyOverrides(spec: unknown, sets: readonly string[]): unknown {
  const root = (spec ?? {}) as Record<string, unknown>;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set: expected key.path=value, got "${s}"`);
    const keys = s.slice(0, eq).split('.');
    let node: Record<string, unknown> = root;
    for (const k of keys.slice(0, -1)) {
      const next = node[k];
      if (typeof next !== 'object' || next === null) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = parse(s.slice(eq + 1));
  }
  return root;
}
