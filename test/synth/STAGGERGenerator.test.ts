import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generatorFromJSON, STAGGERGenerator } from '../../src/synth/index.js';
import { cats, nums, snapshot, tolerance } from './util.js';

const CONCEPTS: Record<number, (size: string, color: string, shape: string) => boolean> = {
  1: (size, color) => size === 'small' && color === 'red',
  2: (_size, color, shape) => color === 'green' || shape === 'circle',
  3: (size) => size === 'medium' || size === 'large',
};

test('category columns with fixed dictionaries in value order', () => {
  const g = new STAGGERGenerator();
  assert.equal(
    g.schema.fields.map((f) => f.type),
    ['category', 'category', 'category', 'integer'],
  );
  const b = g.next(10);
  const size = b.column('size');
  assert.ok(size.type === 'category');
  if (size.type === 'category') assert.equal(size.dictionary.values, ['small', 'medium', 'large']);
  assert.equal(g.dictionaries[1]!.values, ['red', 'blue', 'green']);
  assert.equal(g.dictionaries[2]!.values, ['circle', 'square', 'triangle']);
  // The dictionary is shared by every batch, so codes mean the same thing across batches.
  const b2 = g.next(10);
  const s2 = b2.column('size');
  if (s2.type === 'category' && size.type === 'category') assert.is(s2.dictionary, size.dictionary);
});

test('labels follow each of the three concepts; attribute values are uniform', () => {
  for (const fn of [1, 2, 3]) {
    const b = new STAGGERGenerator({ function: fn, seed: fn * 10 }).next(18_000);
    const size = cats(b, 'size'),
      color = cats(b, 'color'),
      shape = cats(b, 'shape'),
      y = nums(b, 'class');
    let ones = 0;
    const small = size.filter((s) => s === 'small').length / b.length;
    assert.ok(Math.abs(small - 1 / 3) < tolerance(1 / 3, b.length));
    for (let i = 0; i < b.length; i++) {
      assert.is(y[i], CONCEPTS[fn]!(size[i]!, color[i]!, shape[i]!) ? 1 : 0);
      ones += y[i]!;
    }
    const expected = { 1: 1 / 9, 2: 5 / 9, 3: 2 / 3 }[fn]!;
    assert.ok(Math.abs(ones / b.length - expected) < tolerance(expected, b.length), `function ${fn}: ${ones / b.length} vs ${expected}`);
  }
});

test('balancing alternates classes 1, 0, 1, ...', () => {
  const b = new STAGGERGenerator({ function: 1, balance: true, seed: 3 }).next(999);
  const size = cats(b, 'size'),
    color = cats(b, 'color'),
    shape = cats(b, 'shape'),
    y = nums(b, 'class');
  for (let i = 0; i < b.length; i++) {
    assert.is(y[i], i % 2 === 0 ? 1 : 0);
    assert.is(y[i], CONCEPTS[1]!(size[i]!, color[i]!, shape[i]!) ? 1 : 0);
  }
});

test('determinism and JSON round trip', () => {
  assert.is(snapshot(new STAGGERGenerator({ seed: 5, function: 2 }).next(200)), snapshot(new STAGGERGenerator({ seed: 5, function: 2 }).next(200)));
  const g = new STAGGERGenerator({ function: 2, balance: true, seed: 6 });
  g.next(777);
  const r = generatorFromJSON(JSON.parse(JSON.stringify(g.toJSON())));
  assert.is(snapshot(r.next(500)), snapshot(g.next(500)));
});

test.run();
