import * as assert from 'uvu/assert';

/** Every field of the --json report, with its type. */
export function assertReport(r: Record<string, any>): void {
  assert.equal(Object.keys(r).filter((k) => k !== 'test').sort(), ['adapter', 'backend', 'elapsedSeconds', 'metrics', 'peakRssMB', 'rows', 'rowsPerSecond']);
  assert.equal(Object.keys(r.rows).sort(), ['read', 'trained', 'skipped', 'skippedByReason'].sort());
  for (const k of ['rowsPerSecond', 'elapsedSeconds', 'peakRssMB']) assert.ok(typeof r[k] === 'number' && r[k] > 0, k);
}
