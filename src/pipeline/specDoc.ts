import { describe } from './checkKeys.js';
import type { KeySpec, ObjectKey } from './KeySpec.js';
import { SPEC_KEYS, STEP_KEYS } from './SPEC_KEYS.js';

/**
 * docs/spec.md, generated from SPEC_KEYS: one table per object, every key with its type,
 * default and meaning. test/pipeline/specDoc.test.ts fails when the file is out of date
 * (`SLUICE_WRITE_DOCS=1 npm test -- spec/specDoc` rewrites it).
 */
export function specDoc(): string {
  const out: string[] = [
    '# Spec files',
    '',
    '<!-- Generated from src/pipeline/SPEC_KEYS.ts by specDoc(); do not edit by hand. -->',
    '',
    '`sluice run <spec.yaml|spec.json>` runs a whole pipeline from a spec file: YAML or JSON with the keys below.',
    'The spec is validated before any data is read; every problem is reported with its key path, its line and,',
    'for unknown keys and values, a did-you-mean (`steps[2].impute.strategy: expected one of mean|median|mode|constant|previous, got "avg"`).',
    'Problems exit with status 2.',
    '',
    '```yaml',
    'source: { csv: flights.csv, badRows: skip }',
    'target: delay > 15',
    'steps:',
    '  - impute: { columns: [distance], strategy: median }',
    '  - standardize: [distance]',
    '  - oneHot: { columns: [origin, destination], maxCategories: 400 }',
    '  - datetime: { column: date, parts: [hour, dayOfWeek] }',
    'model: { logistic: { optimizer: adam, lr: 0.01 } }',
    'training: { batchSize: 256, backend: auto }',
    'evaluation: { metrics: [accuracy, rocAuc, logLoss], rolling: 10000 }',
    'output: { dir: runs/flights }',
    '```',
    '',
  ];
  section(out, 'Top level', SPEC_KEYS);
  for (const [name, k] of Object.entries(SPEC_KEYS.keys)) {
    if (k.type === 'object') section(out, `\`${name}\``, k);
  }
  out.push(
    '## `steps`',
    '',
    'Each step is a one-key object naming the step. Steps marked *list shorthand* also take a plain list of columns (`- standardize: [a, b]`).',
    '',
  );
  for (const [name, k] of Object.entries(STEP_KEYS)) section(out, `\`${name}\``, k, 3);
  const model = SPEC_KEYS.keys.model!;
  if (model.type === 'variant') {
    const first = Object.values(model.variants)[0] as ObjectKey;
    out.push('## `model`', '', model.doc, '');
    section(out, 'Model options', first, 3);
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function section(out: string[], title: string, spec: ObjectKey, level = 2): void {
  out.push(`${'#'.repeat(level)} ${title}`, '', spec.doc, '');
  if (spec.oneOf) out.push(`Exactly one of: ${spec.oneOf.map((k) => `\`${k}\``).join(', ')}.`, '');
  if (spec.shorthand) out.push(`*List shorthand:* a list (or one name) stands for \`${spec.shorthand}\`.`, '');
  out.push('| key | type | default | description |', '|---|---|---|---|');
  for (const [k, v] of Object.entries(spec.keys)) {
    const req = spec.required?.includes(k) ? ' (required)' : '';
    const only = spec.onlyWith?.[k] ? ` Only with ${spec.onlyWith[k]!.map((x) => `\`${x}\``).join(', ')}.` : '';
    out.push(
      `| \`${k}\`${req} | ${cell(typeOf(v))} | ${v.default === undefined ? '' : cell(`\`${JSON.stringify(v.default)}\``)} | ${cell(v.doc + only + nested(v))} |`,
    );
  }
  out.push('');
}

function typeOf(k: KeySpec): string {
  switch (k.type) {
    case 'list':
      return `list of ${typeOf(k.items)}`;
    case 'map':
      return `map ${k.keyDoc} → ${typeOf(k.values)}`;
    case 'union':
      return k.variants.map(typeOf).join(' or ');
    case 'object':
      return 'object';
    case 'variant':
      return `one of ${Object.keys(k.variants).join(', ')}`;
    default:
      return describe(k);
  }
}

/** Keys of an object nested inside a list, map or union, inline (they have no section of their own). */
function nested(k: KeySpec): string {
  const obj =
    k.type === 'object'
      ? null
      : k.type === 'map' && k.values.type === 'object'
        ? k.values
        : k.type === 'union'
          ? (k.variants.find((v) => v.type === 'object') ?? k.variants.find((v) => v.type === 'map'))
          : null;
  const o = obj?.type === 'map' ? (obj.values.type === 'object' ? obj.values : null) : obj;
  if (o?.type !== 'object') return '';
  return (
    ' Keys: ' +
    Object.entries(o.keys)
      .map(([n, v]) => `\`${n}\` (${typeOf(v)}): ${v.doc}`)
      .join('; ')
  );
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
