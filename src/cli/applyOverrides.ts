import { parseDocument } from 'yaml';
import { RESERVED_KEYS } from '../pipeline/index.js';
import { UsageError } from './UsageError.js';

/**
 * Applies `--set key.path=value` overrides to a parsed spec (values read as YAML: `0`, `true`,
 * `[a, b]`), creating objects on the way; list items by index (`steps.0.impute.strategy`).
 * Only own properties are followed and objects made here have no prototype, and the key names
 * that reach prototypes are refused, so an override can change the spec and nothing else.
 * Every problem is a UsageError naming the `--set` argument.
 */
export function applyOverrides(spec: unknown, sets: readonly string[]): unknown {
  // A root that is not a map is left for validation to report.
  if (spec !== null && spec !== undefined && (typeof spec !== 'object' || Array.isArray(spec))) return spec;
  const root = (spec ?? Object.create(null)) as Record<string, unknown>;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set: expected key.path=value, got "${s}"`);
    const path = s.slice(0, eq);
    const keys = path.split('.');
    const fail = (why: string) => new UsageError(`--set ${s}: key path ${path}: ${why}`);
    for (const k of keys) {
      if (k === '') throw fail('empty key (two dots, or a dot at an end)');
      if (RESERVED_KEYS.includes(k))
        throw fail(`${JSON.stringify(k)} cannot be a key (${RESERVED_KEYS.join(', ')} are refused: they reach JavaScript prototypes)`);
    }
    const value = parseValue(s, s.slice(eq + 1));
    let node: Record<string, unknown> = root;
    keys.forEach((k, i) => {
      if (Array.isArray(node) && !(/^\d+$/.test(k) && Number(k) <= node.length)) {
        throw fail(`${keys.slice(0, i).join('.')} is a list of ${node.length}: expected an item index 0..${node.length}, got "${k}"`);
      }
      if (i === keys.length - 1) {
        node[k] = value;
        return;
      }
      const next = Object.hasOwn(node, k) ? node[k] : undefined;
      if (typeof next !== 'object' || next === null) node[k] = Object.create(null);
      node = node[k] as Record<string, unknown>;
    });
  }
  return root;
}

/** A `--set` value as YAML; a syntax error (or an alias bomb) is a usage error naming the argument. */
function parseValue(arg: string, text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) throw new UsageError(`--set ${arg}: the value is not valid YAML: ${error.message.split('\n')[0]}`);
  try {
    return doc.toJS();
  } catch (e) {
    throw new UsageError(`--set ${arg}: the value cannot be read: ${(e as Error).message}`);
  }
}
