import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpecError } from '../../src/core/index.js';
import { ADWIN, DDM, DriftMonitor, PageHinkley } from '../../src/drift/index.js';

/** Feeds a monitor rows in runs of 256: predictions right before `change`, wrong after (binary, P(y=1)). */
function feed(m: DriftMonitor, rows: number, change: number, offset = 0, missingEvery = 0): void {
  for (let a = 0; a < rows; a += 256) {
    const n = Math.min(256, rows - a);
    const t = new Float32Array(n),
      p = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const r = a + i;
      t[i] = missingEvery && r % missingEvery === 0 ? NaN : r % 3 === 0 ? 1 : 0;
      const right = r < change ? r % 50 !== 0 : r % 2 === 0; // 2 % errors, then 50 %
      p[i] = (t[i] === 1) === right ? 0.9 : 0.1;
    }
    m.observe(offset + a, t, p);
  }
}

test('an error rate jump at row 3000: the drift is reported at its stream row, soon after the change, once per alarm', () => {
  const alarms: Array<[string, number]> = [];
  const m = new DriftMonitor(new DDM(), 'binary', 1, { onAlarm: (s, row) => alarms.push([s, row]) });
  feed(m, 4000, 3000, 10_000);
  const drift = alarms.find(([s]) => s === 'drift');
  assert.ok(drift && drift[1] >= 13_000 && drift[1] < 13_100, JSON.stringify(alarms));
  // DDM's first rows are noisy (its minimum from 30 rows): only the warnings after the change count here.
  const warnings = alarms.filter(([s, r]) => s === 'warning' && r >= 13_000);
  assert.ok(warnings.length === 1 && warnings[0]![1] <= drift[1], 'the warning comes first, once');
  assert.is(m.drifts, alarms.filter(([s]) => s === 'drift').length);
  assert.is(m.warnings, alarms.filter(([s]) => s === 'warning').length);
  assert.equal(
    m.driftRows,
    alarms.filter(([s]) => s === 'drift').map(([, r]) => r),
  );
});

test('unlabeled rows are skipped but keep their positions', () => {
  const rows: number[] = [];
  const a = new DriftMonitor(new DDM(), 'binary', 1, { onAlarm: (s, row) => s === 'drift' && rows.push(row) });
  feed(a, 4000, 3000, 0, 7);
  assert.ok(rows[0]! >= 3000 && rows[0]! < 3150 && rows[0]! % 7 !== 0, `${rows}`);
});

test('multiclass outcomes are the arg max; regression reads the absolute error', () => {
  const seen: number[] = [];
  const update = (x: number) => {
    seen.push(x);
    return 'none';
  };
  const spy = { kind: 'adwin', update, estimate: 0 } as unknown as ADWIN;
  new DriftMonitor(spy, 'multiclass', 3).observe(0, Float32Array.of(2, 0, NaN), Float32Array.of(0.1, 0.2, 0.7, 0.3, 0.6, 0.1, 1, 0, 0));
  assert.equal(seen, [0, 1]);
  seen.length = 0;
  new DriftMonitor(spy, 'regression', 1).observe(0, Float32Array.of(1, -2), Float32Array.of(1.5, 1));
  assert.equal(seen, [0.5, 3]);
  seen.length = 0;
  new DriftMonitor(spy, 'binary', 1, { threshold: 0.8 }).observe(0, Float32Array.of(1, 0), Float32Array.of(0.7, 0.7));
  assert.equal(seen, [1, 0]);
});

test('a two-sided detector seeing the error fall counts a fall, not an alarm', () => {
  const alarms: string[] = [];
  const m = new DriftMonitor(new ADWIN(), 'binary', 1, { onAlarm: (s) => alarms.push(s) });
  // 50 % errors, then 2 %: the model learned.
  const n = 6000;
  const t = new Float32Array(n).fill(1),
    p = new Float32Array(n);
  for (let i = 0; i < n; i++) p[i] = i < 3000 ? (i % 2 ? 0.9 : 0.1) : i % 50 ? 0.9 : 0.1;
  m.observe(0, t, p);
  assert.ok(m.falls >= 1, `falls ${m.falls}`);
  assert.equal(alarms, []);
  assert.is(m.drifts, 0);
});

test('error-rate detectors refuse a regression model, naming the key', () => {
  assert.throws(
    () => new DriftMonitor(new DDM(), 'regression', 1),
    (e: unknown) => e instanceof SpecError && /drift\.detector: ddm reads 0\/1 errors/.test(e.message),
  );
  new DriftMonitor(new PageHinkley(), 'regression', 1);
});

test.run();
