import * as assert from 'uvu/assert';

/** Every field of the --json report, with its type, and its books: read = trained + heldOut + skipped. */
// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON report, read field by field below.
export function assertReport(r: Record<string, any>): void {
  const optional = new Set(['test', 'testRows', 'rolling', 'diverged', 'disconnects', 'choices']);
  assert.equal(
    Object.keys(r)
      .filter((k) => !optional.has(k))
      .sort(),
    ['adapter', 'backend', 'elapsedSeconds', 'metrics', 'peakRssMB', 'rows', 'rowsPerSecond'],
  );
  assert.equal(
    Object.keys(r.rows)
      .filter((k) => k !== 'unlabeled')
      .sort(),
    ['heldOut', 'read', 'trained', 'skipped', 'skippedByReason'].sort(),
  );
  const byReason = Object.values(r.rows.skippedByReason as Record<string, number>).reduce((a, b) => a + b, 0);
  assert.is(r.rows.skipped, byReason, 'skipped = sum of skippedByReason');
  assert.is(r.rows.read, r.rows.trained + r.rows.heldOut + r.rows.skipped, `read = trained + heldOut + skipped: ${JSON.stringify(r.rows)}`);
  if (r.choices !== undefined) {
    assert.ok(['binary', 'multiclass', 'regression'].includes(r.choices.task), 'choices.task');
    if (r.choices.task !== 'binary') assert.is(r.choices.positive, null, 'only a binary task has a positive class');
    else if (r.choices.classes.length > 0) assert.type(r.choices.positive, 'string', 'a binary task names its positive class');
    assert.is(r.choices.task === 'regression', r.choices.classes === null, 'classes unless regression');
  }
  for (const k of ['elapsedSeconds', 'peakRssMB']) assert.ok(typeof r[k] === 'number' && r[k] > 0, k);
  assert.ok(typeof r.rowsPerSecond === 'number' && r.rowsPerSecond >= 0 && (r.rows.read === 0 || r.rowsPerSecond > 0), 'rowsPerSecond');
}
