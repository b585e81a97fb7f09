import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generatorFromJSON, HyperplaneGenerator } from '../../src/synth/index.js';
import { nums, snapshot, tolerance } from './util.js';

function label(w: Float64Array, x: number[]): number {
  let s = 0,
    sw = 0;
  for (let i = 0; i < w.length; i++) {
    s += w[i]! * x[i]!;
    sw += w[i]!;
  }
  return s >= 0.5 * sw ? 1 : 0;
}

function rowOf(b: ReturnType<HyperplaneGenerator['next']>, d: number, i: number): number[] {
  return Array.from({ length: d }, (_, j) => b.value(`att${j + 1}`, i) as number);
}

test('schema and initial weights in [0, 1)', () => {
  const g = new HyperplaneGenerator({ numAttributes: 5 });
  assert.equal(g.schema.names, ['att1', 'att2', 'att3', 'att4', 'att5', 'class']);
  assert.is(g.currentWeights.length, 5);
  for (const w of g.currentWeights) assert.ok(w >= 0 && w < 1);
});

test('without drift or noise, class = Σ wᵢxᵢ ≥ ½ Σ wᵢ', () => {
  const g = new HyperplaneGenerator({ numAttributes: 7, noise: 0, magChange: 0, seed: 3 });
  const w = g.currentWeights;
  const b = g.next(20_000);
  const y = nums(b, 'class');
  let ones = 0;
  for (let i = 0; i < b.length; i++) {
    const x = rowOf(b, 7, i);
    for (const v of x) assert.ok(v >= 0 && v < 1);
    assert.is(y[i], label(w, x), `row ${i}`);
    ones += y[i]!;
  }
  // The hyperplane passes through the cube's centre: about half the rows each side.
  assert.ok(Math.abs(ones / b.length - 0.5) < 0.02);
  assert.equal(Array.from(g.currentWeights), Array.from(w));
});

test('label noise flips the stated fraction', () => {
  const g = new HyperplaneGenerator({ numAttributes: 4, noise: 0.05, seed: 8 });
  const w = g.currentWeights;
  const b = g.next(40_000);
  const y = nums(b, 'class');
  let flipped = 0;
  for (let i = 0; i < b.length; i++) if (y[i] !== label(w, rowOf(b, 4, i))) flipped++;
  assert.ok(Math.abs(flipped / b.length - 0.05) < tolerance(0.05, b.length), `flipped ${flipped / b.length}`);
});

test('weights rotate: drifting ones move by magChange per row, the others stay, labels follow the moving plane', () => {
  const g = new HyperplaneGenerator({ numAttributes: 5, numDriftAttributes: 2, magChange: 0.001, sigma: 0, noise: 0, seed: 4 });
  const w0 = g.currentWeights;
  for (let i = 0; i < 3000; i++) {
    const w = g.currentWeights; // the plane in force for this row
    const b = g.next(1);
    assert.is(b.value('class', 0), label(w, rowOf(b, 5, 0)), `row ${i}`);
  }
  const w1 = g.currentWeights;
  // sigma 0: the direction never reverses, so each drifting weight gained exactly 3000 · 0.001.
  for (const i of [0, 1]) assert.ok(Math.abs(w1[i]! - w0[i]! - 3) < 1e-9, `weight ${i} moved ${w1[i]! - w0[i]!}`);
  for (const i of [2, 3, 4]) assert.is(w1[i], w0[i]);
});

test('sigma reverses the direction: with sigma 1 each weight oscillates around its start', () => {
  const g = new HyperplaneGenerator({ numAttributes: 3, numDriftAttributes: 3, magChange: 0.01, sigma: 1, seed: 2 });
  const w0 = g.currentWeights;
  g.next(1001);
  const w1 = g.currentWeights;
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(w1[i]! - w0[i]! - 0.01) < 1e-9, `weight ${i}: ${w1[i]! - w0[i]!}`);
  // sigma 0.1: a random walk of 10-row runs, well short of the straight-line 10.
  const h = new HyperplaneGenerator({ numAttributes: 3, numDriftAttributes: 3, magChange: 0.01, sigma: 0.1, seed: 2 });
  const h0 = h.currentWeights;
  h.next(1000);
  const moved = Math.abs(h.currentWeights[0]! - h0[0]!);
  assert.ok(moved > 0 && moved < 5, `moved ${moved}`);
});

test('determinism and JSON round trip mid-rotation', () => {
  const opts = { numAttributes: 6, numDriftAttributes: 3, magChange: 0.0005, seed: 77 };
  assert.is(snapshot(new HyperplaneGenerator(opts).next(300)), snapshot(new HyperplaneGenerator(opts).next(300)));
  const g = new HyperplaneGenerator(opts);
  g.next(4321);
  const r = generatorFromJSON(JSON.parse(JSON.stringify(g.toJSON()))) as HyperplaneGenerator;
  assert.equal(Array.from(r.currentWeights), Array.from(g.currentWeights));
  assert.is(snapshot(r.next(2000)), snapshot(g.next(2000)));
  assert.equal(Array.from(r.currentWeights), Array.from(g.currentWeights));
});

test.run();
