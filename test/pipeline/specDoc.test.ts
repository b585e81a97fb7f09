import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SPEC_KEYS, STEP_KEYS, specDoc } from '../../src/pipeline/index.js';

const file = resolve(import.meta.dirname, '../../docs/spec.md');

test('docs/spec.md is generated from SPEC_KEYS and up to date', () => {
  const doc = specDoc();
  if (process.env.SLUICE_WRITE_DOCS) writeFileSync(file, doc);
  assert.is(readFileSync(file, 'utf8'), doc, 'docs/spec.md is stale: SLUICE_WRITE_DOCS=1 npm test -- pipeline/specDoc');
});

test('every key and every step is documented', () => {
  const doc = specDoc();
  for (const k of Object.keys(SPEC_KEYS.keys)) assert.ok(doc.includes(`\`${k}\``), k);
  for (const [name, step] of Object.entries(STEP_KEYS)) {
    assert.ok(doc.includes(`### \`${name}\``), name);
    for (const k of Object.keys(step.keys)) assert.ok(doc.includes(`| \`${k}\``), `${name}.${k}`);
  }
});

test.run();
