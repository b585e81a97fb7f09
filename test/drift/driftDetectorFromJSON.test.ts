import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ADWIN, DDM, DRIFT_DETECTORS, type DriftDetectorState, driftDetectorFromJSON, makeDriftDetector } from '../../src/drift/index.js';
import { assertRoundTrip, bernoulli } from './util.js';

test('every kind restores from JSON text and continues exactly, through the drift after the save', () => {
  const xs = bernoulli(2, 0.2, 0.6, 3000, 4000);
  for (const kind of DRIFT_DETECTORS) assertRoundTrip(() => makeDriftDetector(kind), xs, 2900);
});

test('a state of another kind or an unknown kind is refused', () => {
  const state = new DDM().toJSON();
  assert.throws(() => ADWIN.fromJSON(state as unknown as Parameters<typeof ADWIN.fromJSON>[0]), /adwin\.fromJSON: expected a state of kind "adwin", got "ddm"/);
  assert.throws(
    () => driftDetectorFromJSON({ ...state, kind: 'cusum' } as unknown as DriftDetectorState),
    /driftDetectorFromJSON: expected a kind among adwin\|pageHinkley/,
  );
});

test('saved options are checked again on restore', () => {
  const state = new DDM().toJSON();
  assert.throws(() => driftDetectorFromJSON({ ...state, options: { ...state.options, warmStart: -3 } }), /ddm\.warmStart: expected an integer ≥ 1, got -3/);
});

test.run();
