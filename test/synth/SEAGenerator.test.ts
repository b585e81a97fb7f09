import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generatorFromJSON, SEAGenerator } from '../../src/synth/index.js';
import { nums, snapshot, tolerance } from './util.js';

const THETA: Record<number, number> = { 1: 8, 2: 9, 3: 7, 4: 9.5 };

test('schema: three numeric attributes and an integer class', () => {
  const g = new SEAGenerator();
  assert.equal(
    g.schema.fields.map((f) => `${f.name}:${f.type}`),
    ['attrib1:number', 'attrib2:number', 'attrib3:number', 'class:integer'],
  );
  assert.is(g.numClasses, 2);
});

test('without noise, class = attrib1 + attrib2 > θ for each of the four functions', () => {
  for (const fn of [1, 2, 3, 4]) {
    const b = new SEAGenerator({ function: fn, noise: 0, seed: fn }).next(20_000);
    const a1 = nums(b, 'attrib1'),
      a2 = nums(b, 'attrib2'),
      a3 = nums(b, 'attrib3'),
      y = nums(b, 'class');
    let ones = 0;
    for (let i = 0; i < b.length; i++) {
      for (const v of [a1[i]!, a2[i]!, a3[i]!]) assert.ok(v >= 0 && v < 10, `attribute ${v} outside [0, 10)`);
      assert.is(y[i], a1[i]! + a2[i]! <= THETA[fn]! ? 0 : 1, `function ${fn}, row ${i}`);
      ones += y[i]!;
    }
    // P(x1 + x2 > θ) for x uniform on [0, 10)²: 1 − θ²/200 when θ ≤ 10.
    const expected = 1 - THETA[fn]! ** 2 / 200;
    assert.ok(
      Math.abs(ones / b.length - expected) < tolerance(expected, b.length),
      `function ${fn}: share of class 1 ${ones / b.length}, expected ${expected}`,
    );
  }
});

test('label noise flips the stated fraction of labels', () => {
  for (const noise of [0.1, 0.3]) {
    const b = new SEAGenerator({ function: 2, noise, seed: 11 }).next(40_000);
    const a1 = nums(b, 'attrib1'),
      a2 = nums(b, 'attrib2'),
      y = nums(b, 'class');
    let flipped = 0;
    for (let i = 0; i < b.length; i++) if (y[i] !== (a1[i]! + a2[i]! <= 9 ? 0 : 1)) flipped++;
    assert.ok(Math.abs(flipped / b.length - noise) < tolerance(noise, b.length), `noise ${noise}: flipped ${flipped / b.length}`);
  }
});

test('class balancing alternates 1, 0, 1, ... and keeps the concept', () => {
  const b = new SEAGenerator({ function: 3, noise: 0, balance: true, seed: 5 }).next(2001);
  const a1 = nums(b, 'attrib1'),
    a2 = nums(b, 'attrib2'),
    y = nums(b, 'class');
  for (let i = 0; i < b.length; i++) {
    assert.is(y[i], i % 2 === 0 ? 1 : 0);
    assert.is(y[i], a1[i]! + a2[i]! <= 7 ? 0 : 1);
  }
});

test('same seed gives the same rows, another seed other rows; rowIds continue', () => {
  const a = new SEAGenerator({ seed: 42 }),
    b = new SEAGenerator({ seed: 42 }),
    c = new SEAGenerator({ seed: 43 });
  assert.is(snapshot(a.next(500)), snapshot(b.next(500)));
  assert.is.not(snapshot(new SEAGenerator({ seed: 42 }).next(500)), snapshot(c.next(500)));
  const next = a.next(10);
  assert.equal(Array.from(next.rowIds), [500, 501, 502, 503, 504, 505, 506, 507, 508, 509]);
  assert.is(a.position, 510);
});

test('JSON state round trip continues identically (balance state included)', () => {
  const g = new SEAGenerator({ function: 4, noise: 0.2, balance: true, seed: 9 });
  g.next(1233);
  const restored = generatorFromJSON(JSON.parse(JSON.stringify(g.toJSON())));
  assert.instance(restored, SEAGenerator);
  assert.is(restored.position, 1233);
  assert.is(snapshot(restored.next(700)), snapshot(g.next(700)));
  assert.is(snapshot(SEAGenerator.fromJSON(g.toJSON()).next(5)), snapshot(g.next(5)));
});

test.run();
