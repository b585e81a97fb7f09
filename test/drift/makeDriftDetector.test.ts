import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ADWIN, type DDM, DRIFT_DETECTORS, makeDriftDetector } from '../../src/drift/index.js';
import { assertOptionError, bernoulli, run } from './util.js';

test('every kind builds with its defaults, reports its kind and counts rows, drifts and warnings', () => {
  const xs = bernoulli(1, 0.2, 0.6, 3000, 4000);
  for (const kind of DRIFT_DETECTORS) {
    const d = makeDriftDetector(kind);
    assert.is(d.kind, kind);
    assert.is(d.signal, 'none');
    assert.ok(Number.isNaN(d.estimate), `${kind}: estimate before any row`);
    const { drifts, warnings } = run(d, xs);
    assert.is(d.rows, 4000, kind);
    assert.is(d.drifts, drifts.length, kind);
    assert.ok(
      drifts.some((i) => i >= 3000),
      `${kind} detects the jump: ${drifts}`,
    );
    // A run of warning rows counts once.
    const runs = warnings.filter((i, k) => k === 0 || warnings[k - 1] !== i - 1).length;
    assert.ok(d.warnings <= runs && (runs === 0) === (d.warnings === 0), `${kind}: ${d.warnings} warnings for ${runs} runs`);
  }
});

test('options reach the detector and are checked there', () => {
  const a = makeDriftDetector('adwin', { delta: 0.1, clock: 4 }) as ADWIN;
  assert.ok(a instanceof ADWIN);
  assert.is(a.delta, 0.1);
  assert.is(a.clock, 4);
  assert.is((makeDriftDetector('ddm', { warmStart: 50 }) as DDM).warmStart, 50);
  assertOptionError(() => makeDriftDetector('ddm', { warmstart: 50 } as never), 'ddm.warmstart', 'unknown option');
});

test('an unknown kind names the choices', () => {
  assertOptionError(() => makeDriftDetector('cusum' as never), 'detector', 'expected one of adwin|pageHinkley|ddm|eddm|hddmA|hddmW|kswin, got "cusum"');
});

test.run();
