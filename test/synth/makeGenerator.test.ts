import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SchemaError, SpecError } from '../../src/core/index.js';
import { ConceptDriftGenerator, GENERATOR_NAMES, generatorFromJSON, makeGenerator } from '../../src/synth/index.js';
import { snapshot } from './util.js';

function specError(fn: () => unknown, message: string, path: string): void {
  try {
    fn();
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, SpecError);
    assert.is((e as Error).message, message);
    assert.is((e as SpecError).path, path);
  }
}

test('builds every registered generator by name, and each restores from its JSON state', () => {
  for (const name of GENERATOR_NAMES) {
    const g = makeGenerator(name, name === 'drift' ? { from: 'sea', to: { sea: { function: 2 } }, position: 50, width: 20 } : { seed: 5 });
    assert.is(g.kind, name);
    g.next(123);
    const r = generatorFromJSON(JSON.parse(JSON.stringify(g.toJSON())));
    assert.is(r.kind, name);
    assert.is(snapshot(r.next(77)), snapshot(g.next(77)), name);
  }
});

test('options are checked, and errors name the option path', () => {
  specError(() => makeGenerator('sea', { function: 7 }), 'sea.function: expected 1..4, got 7', 'sea.function');
  specError(() => makeGenerator('agrawal', { function: 0 }), 'agrawal.function: expected 1..10, got 0', 'agrawal.function');
  specError(() => makeGenerator('stagger', { function: 1.5 }), 'stagger.function: expected 1..3, got 1.5', 'stagger.function');
  specError(() => makeGenerator('led', { noise: 2 }), 'led.noise: expected a number in [0, 1], got 2', 'led.noise');
  specError(
    () => makeGenerator('hyperplane', { numDriftAttributes: 11 }),
    'hyperplane.numDriftAttributes: expected 0..10, got 11',
    'hyperplane.numDriftAttributes',
  );
  specError(() => makeGenerator('rbf', { numClasses: 1 }), 'rbf.numClasses: expected 2..1000000, got 1', 'rbf.numClasses');
  specError(() => makeGenerator('sea', { balance: 'yes' }), 'sea.balance: expected true or false, got "yes"', 'sea.balance');
  specError(() => makeGenerator('sea', { fucntion: 2 }), 'sea.fucntion: unknown option; expected one of function, noise, balance, seed', 'sea.fucntion');
  specError(
    () => makeGenerator('waveform'),
    'generator: unknown generator "waveform"; expected one of sea, hyperplane, agrawal, rbf, led, stagger, drift',
    'generator',
  );
  specError(
    () => makeGenerator('sea', { function: 5 }, 'source.synthetic.sea'),
    'source.synthetic.sea.function: expected 1..4, got 5',
    'source.synthetic.sea.function',
  );
});

test('drift specs name their inner streams in error paths and check schemas', () => {
  const d = makeGenerator('drift', { from: { sea: { function: 1, noise: 0 } }, to: { sea: { function: 3, noise: 0 } }, position: 100, width: 1 });
  assert.instance(d, ConceptDriftGenerator);
  specError(
    () => makeGenerator('drift', { from: 'sea', to: { sea: { function: 9 } }, position: 1 }),
    'drift.to.sea.function: expected 1..4, got 9',
    'drift.to.sea.function',
  );
  specError(
    () => makeGenerator('drift', { to: 'sea' }),
    'drift.from: expected a generator name or a one-key object like { sea: { function: 1 } }, got nothing',
    'drift.from',
  );
  specError(() => makeGenerator('drift', { from: 'sea', to: 'sea', width: 0 }), 'drift.width: expected an integer ≥ 1, got 0', 'drift.width');
  assert.throws(
    () => makeGenerator('drift', { from: 'sea', to: 'agrawal' }),
    (e: unknown) => e instanceof SchemaError,
  );
});

test('unknown state kinds are rejected', () => {
  assert.throws(
    () => generatorFromJSON({ kind: 'nope' }),
    (e: unknown) => e instanceof SpecError && /unknown generator state kind "nope"/.test((e as Error).message),
  );
});

test.run();
