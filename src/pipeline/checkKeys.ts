import { SpecError } from '../core/index.js';
import { suggest } from '../metrics/index.js';
import type { KeySpec, ObjectKey } from './KeySpec.js';

/**
 * Keys refused anywhere in a spec: in JavaScript they reach an object's prototype (assigning
 * `__proto__` replaces it, `constructor.prototype` is Object.prototype), so a spec or `--set`
 * naming them could change every object of the process.
 */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** The problem for a reserved key at `path`. */
function reservedKeyError(path: string, key: string): SpecError {
  return new SpecError(path, `${JSON.stringify(key)} cannot be a key (${RESERVED_KEYS.join(', ')} are refused: they reach JavaScript prototypes)`);
}

/** Collects structural problems of `value` against `spec` at `path`, all of them, into `problems`. */
export function checkKeys(spec: KeySpec, value: unknown, path: string, problems: SpecError[]): void {
  const fail = (message: string): void => {
    problems.push(new SpecError(path || '(root)', message));
  };
  switch (spec.type) {
    // Not checked here, but its keys are still refused where reserved.
    case 'any':
      checkReserved(value, path, problems);
      return;
    case 'string':
      if (typeof value !== 'string') return fail(`expected ${spec.enum ? `one of ${spec.enum.join('|')}` : 'a string'}, got ${show(value)}`);
      if (spec.enum && !spec.enum.includes(value)) {
        const s = suggest(value, spec.enum);
        return fail(`expected one of ${spec.enum.join('|')}, got ${show(value)}${s ? `; did you mean "${s}"?` : ''}`);
      }
      return;
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value) || (spec.type === 'integer' && !Number.isInteger(value)))
        return fail(`expected ${spec.type === 'integer' ? 'an integer' : 'a number'}${range(spec)}, got ${show(value)}`);
      const lowOk = spec.min === undefined || (spec.exclusive ? value > spec.min : value >= spec.min);
      const highOk = spec.max === undefined || (spec.exclusive ? value < spec.max : value <= spec.max);
      if (!lowOk || !highOk) fail(`expected ${spec.type === 'integer' ? 'an integer' : 'a number'}${range(spec)}, got ${show(value)}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail(`expected true or false, got ${show(value)}`);
      return;
    case 'list':
      if (!Array.isArray(value)) return fail(`expected a list, got ${show(value)}`);
      if (spec.minItems !== undefined && value.length < spec.minItems)
        fail(`expected at least ${spec.minItems} item${spec.minItems === 1 ? '' : 's'}, got ${value.length}`);
      if (spec.maxItems !== undefined && value.length > spec.maxItems) fail(`expected at most ${spec.maxItems} items, got ${value.length}`);
      value.forEach((v, i) => checkKeys(spec.items, v, `${path}[${i}]`, problems));
      return;
    case 'map':
      if (!isObject(value)) return fail(`expected a map of ${spec.keyDoc} → value, got ${show(value)}`);
      for (const [k, v] of Object.entries(value)) {
        if (RESERVED_KEYS.includes(k)) problems.push(reservedKeyError(join(path, k), k));
        else checkKeys(spec.values, v, join(path, k), problems);
      }
      return;
    case 'union': {
      const variant = spec.variants.find((v) => accepts(v, value));
      if (!variant) return fail(`expected ${spec.variants.map(describe).join(' or ')}, got ${show(value)}`);
      checkKeys(variant, value, path, problems);
      return;
    }
    case 'variant': {
      const names = Object.keys(spec.variants);
      if (isObject(value)) {
        const reserved = Object.keys(value).filter((k) => RESERVED_KEYS.includes(k));
        if (reserved.length > 0) {
          for (const k of reserved) problems.push(reservedKeyError(join(path, k), k));
          return;
        }
      }
      if (typeof value === 'string' && spec.bare) {
        if (!names.includes(value)) {
          const s = suggest(value, names);
          fail(`expected one of ${names.join('|')}, got ${show(value)}${s ? `; did you mean "${s}"?` : ''}`);
        }
        return;
      }
      if (!isObject(value) || Object.keys(value).length !== 1) return fail(`expected a one-key object naming one of ${names.join('|')}, got ${show(value)}`);
      const [name, inner] = Object.entries(value)[0]!;
      if (!names.includes(name)) {
        const s = suggest(name, names);
        problems.push(
          new SpecError(
            join(path, name),
            `unknown ${path.startsWith('steps') ? 'step' : 'kind'} "${name}"${s ? `; did you mean "${s}"?` : ''} (expected one of ${names.join(', ')})`,
          ),
        );
        return;
      }
      const sub = spec.variants[name]!;
      // A variant with only options accepts `null` (`- drop:` with nothing after it is an error of its own).
      if (inner === null && sub.type === 'object' && !sub.required?.length) return;
      checkKeys(sub, inner, join(path, name), problems);
      if (sub.type === 'object' && sub.onlyWith && !sub.oneOf && isObject(inner)) {
        for (const [k, kinds] of Object.entries(sub.onlyWith)) {
          if (Object.hasOwn(inner, k) && !kinds.includes(name))
            problems.push(new SpecError(join(join(path, name), k), `not an option of ${name} (it applies to ${kinds.join(', ')})`));
        }
      }
      return;
    }
    case 'object':
      checkObject(spec, value, path, problems);
      return;
  }
}

function checkObject(spec: ObjectKey, value: unknown, path: string, problems: SpecError[]): void {
  if (spec.shorthand && (typeof value === 'string' || Array.isArray(value))) {
    checkKeys(spec.keys[spec.shorthand]!, typeof value === 'string' ? [value] : value, path, problems);
    return;
  }
  if (!isObject(value)) {
    problems.push(new SpecError(path || '(root)', `expected an object${spec.shorthand ? ` or a list of ${spec.shorthand}` : ''}, got ${show(value)}`));
    return;
  }
  const known = Object.keys(spec.keys);
  for (const [k, v] of Object.entries(value)) {
    if (RESERVED_KEYS.includes(k)) {
      problems.push(reservedKeyError(join(path, k), k));
      continue;
    }
    // Own keys only: `toString` is not a spec key because Object.prototype has it.
    const sub = Object.hasOwn(spec.keys, k) ? spec.keys[k] : undefined;
    if (!sub) {
      const s = suggest(k, known);
      problems.push(new SpecError(join(path, k), `unknown key${s ? `; did you mean "${s}"?` : ''} (expected one of ${known.join(', ')})`));
      continue;
    }
    checkKeys(sub, v, join(path, k), problems);
  }
  for (const r of spec.required ?? []) if (!Object.hasOwn(value, r)) problems.push(new SpecError(join(path, r), 'required key is missing'));
  if (spec.oneOf) {
    const present = spec.oneOf.filter((k) => Object.hasOwn(value, k));
    if (present.length !== 1)
      problems.push(
        new SpecError(
          path || '(root)',
          present.length === 0
            ? `expected one of the keys ${spec.oneOf.join(', ')}`
            : `expected exactly one of ${spec.oneOf.join(', ')}, got ${present.join(' and ')}`,
        ),
      );
    const kind = present[0];
    if (kind && spec.onlyWith) {
      for (const [k, kinds] of Object.entries(spec.onlyWith)) {
        if (Object.hasOwn(value, k) && !kinds.includes(kind))
          problems.push(new SpecError(join(path, k), `not an option of a ${kind} source (it applies to ${kinds.join(', ')})`));
      }
    }
  }
}

function accepts(spec: KeySpec, v: unknown): boolean {
  switch (spec.type) {
    case 'string':
      return typeof v === 'string';
    case 'number':
    case 'integer':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'list':
      return Array.isArray(v);
    case 'map':
    case 'object':
      return isObject(v);
    case 'variant':
      return isObject(v) || (spec.bare === true && typeof v === 'string');
    case 'union':
      return spec.variants.some((x) => accepts(x, v));
    case 'any':
      return true;
  }
}

/** "a string", "a list of column names"... for messages and docs. */
export function describe(spec: KeySpec): string {
  switch (spec.type) {
    case 'string':
      return spec.enum ? spec.enum.join('|') : 'a string';
    case 'number':
    case 'integer':
      return (spec.type === 'integer' ? 'an integer' : 'a number') + range(spec);
    case 'boolean':
      return 'true or false';
    case 'list':
      return 'a list';
    case 'map':
      return `a map of ${spec.keyDoc} → value`;
    case 'object':
      return 'an object';
    case 'variant':
      return `one of ${Object.keys(spec.variants).join('|')}`;
    case 'union':
      return spec.variants.map(describe).join(' or ');
    case 'any':
      return 'any value';
  }
}

function range(spec: { min?: number; max?: number; exclusive?: boolean }): string {
  const lo = spec.min,
    hi = spec.max;
  if (lo !== undefined && hi !== undefined) return spec.exclusive ? ` in (${lo}, ${hi})` : ` in [${lo}, ${hi}]`;
  if (lo !== undefined) return spec.exclusive ? ` > ${lo}` : ` ≥ ${lo}`;
  if (hi !== undefined) return ` ≤ ${hi}`;
  return '';
}

/** Reserved keys anywhere inside a value no KeySpec describes (generator options, fill values). */
function checkReserved(value: unknown, path: string, problems: SpecError[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => checkReserved(v, `${path}[${i}]`, problems));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (RESERVED_KEYS.includes(k)) problems.push(reservedKeyError(join(path, k), k));
      else checkReserved(v, join(path, k), problems);
    }
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? k : `${path}.${k}`;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}..."` : s;
}
