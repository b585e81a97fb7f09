import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/index.js';
import { type DriftDetector, type DriftDetectorState, driftDetectorFromJSON } from '../../src/drift/index.js';

/** 0/1 errors: Bernoulli(p0) for `change` rows, then Bernoulli(p1) up to `length`. */
export function bernoulli(seed: number, p0: number, p1: number, change: number, length: number): Float64Array {
  const rng = new Rng(seed);
  const xs = new Float64Array(length);
  for (let i = 0; i < length; i++) xs[i] = rng.bernoulli(i < change ? p0 : p1) ? 1 : 0;
  return xs;
}

/** Normal(m0, s0) for `change` rows, then Normal(m1, s1). */
export function normal(seed: number, m0: number, s0: number, m1: number, s1: number, change: number, length: number): Float64Array {
  const rng = new Rng(seed);
  const xs = new Float64Array(length);
  for (let i = 0; i < length; i++) xs[i] = i < change ? rng.normal(m0, s0) : rng.normal(m1, s1);
  return xs;
}

/** Row indexes of the drifts and of the warning rows. */
export function run(d: DriftDetector, xs: ArrayLike<number>): { drifts: number[]; warnings: number[] } {
  const drifts: number[] = [],
    warnings: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const s = d.update(xs[i]!);
    if (s === 'drift') drifts.push(i);
    else if (s === 'warning') warnings.push(i);
  }
  return { drifts, warnings };
}

/**
 * Feeds `at` rows, saves the state through JSON text, restores it, then feeds the rest to both:
 * every answer and the final states must be the same.
 */
export function assertRoundTrip(make: () => DriftDetector, xs: ArrayLike<number>, at: number): void {
  const a = make();
  for (let i = 0; i < at; i++) a.update(xs[i]!);
  const saved = JSON.parse(JSON.stringify(a.toJSON())) as DriftDetectorState;
  const b = driftDetectorFromJSON(saved);
  assert.equal(b.toJSON(), a.toJSON(), 'restored state');
  assert.is(b.rows, at);
  for (let i = at; i < xs.length; i++) assert.is(b.update(xs[i]!), a.update(xs[i]!), `row ${i}`);
  assert.equal(b.toJSON(), a.toJSON(), 'final state');
  assert.ok(a.drifts > 0, 'the stream should make the detector signal a drift after the save');
}

/** A thrown SpecError whose message starts with `path:` and contains `text`. */
export function assertOptionError(fn: () => unknown, path: string, text: string): void {
  try {
    fn();
  } catch (e) {
    const err = e as Error & { path?: string };
    assert.is(err.name, 'SpecError');
    assert.is(err.path, path);
    assert.ok(err.message.includes(text), `message "${err.message}" should contain "${text}"`);
    return;
  }
  assert.unreachable(`expected a SpecError for ${path}`);
}
