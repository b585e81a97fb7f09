import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generatorFromJSON, LEDGenerator } from '../../src/synth/index.js';
import { nums, snapshot, tolerance } from './util.js';

// Seven-segment encodings (segments top, top-left, top-right, middle, bottom-left, bottom-right, bottom).
const DIGITS = ['1110111', '0010010', '1011101', '1011011', '0111010', '1101011', '1101111', '1010010', '1111111', '1111011'];

test('24 boolean attributes and a digit class; 7 with suppressIrrelevant', () => {
  const g = new LEDGenerator();
  assert.is(g.schema.fields.length, 25);
  assert.ok(g.schema.fields.slice(0, 24).every((f) => f.type === 'boolean'));
  assert.is(g.schema.field('class').type, 'integer');
  assert.is(g.numClasses, 10);
  assert.equal(new LEDGenerator({ suppressIrrelevant: true }).schema.names, ['att1', 'att2', 'att3', 'att4', 'att5', 'att6', 'att7', 'class']);
});

test('without noise the seven segments spell the digit; digits are uniform; irrelevant bits are fair coins', () => {
  const b = new LEDGenerator({ noise: 0, seed: 12 }).next(20_000);
  const y = nums(b, 'class');
  const seg = Array.from({ length: 7 }, (_, j) => nums(b, `att${j + 1}`));
  const counts = new Array(10).fill(0);
  for (let i = 0; i < b.length; i++) {
    counts[y[i]!]++;
    assert.is(seg.map((s) => s[i]).join(''), DIGITS[y[i]!], `row ${i}, digit ${y[i]}`);
  }
  for (const c of counts) assert.ok(Math.abs(c / b.length - 0.1) < tolerance(0.1, b.length));
  for (let j = 8; j <= 24; j++) {
    const mean = nums(b, `att${j}`).reduce((s, v) => s + v, 0) / b.length;
    assert.ok(Math.abs(mean - 0.5) < tolerance(0.5, b.length), `att${j} mean ${mean}`);
  }
});

test('noise flips each segment with the stated probability', () => {
  const noise = 0.1;
  const b = new LEDGenerator({ noise, seed: 13 }).next(30_000);
  const y = nums(b, 'class');
  for (let j = 0; j < 7; j++) {
    const s = nums(b, `att${j + 1}`);
    let flipped = 0;
    for (let i = 0; i < b.length; i++) if (String(s[i]) !== DIGITS[y[i]!]![j]) flipped++;
    assert.ok(Math.abs(flipped / b.length - noise) < tolerance(noise, b.length), `segment ${j + 1}: ${flipped / b.length}`);
  }
});

test('determinism and JSON round trip', () => {
  assert.is(snapshot(new LEDGenerator({ seed: 1 }).next(100)), snapshot(new LEDGenerator({ seed: 1 }).next(100)));
  const g = new LEDGenerator({ seed: 21, noise: 0.2 });
  g.next(999);
  const r = generatorFromJSON(JSON.parse(JSON.stringify(g.toJSON())));
  assert.is(snapshot(r.next(300)), snapshot(g.next(300)));
});

test.run();
