import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Telemetry, textLogger } from '../../src/core/index.js';

function logger(intervalMs = 1000) {
  const telemetry = new Telemetry();
  const lines: string[] = [];
  const sub = textLogger({ telemetry, write: (l) => lines.push(l), intervalMs });
  return { telemetry, lines, sub };
}

test('progress lines are throttled; drift and the final line always print', () => {
  const { telemetry, lines, sub } = logger();
  telemetry.emit({ type: 'progress', source: 'f.csv', rows: 10, bytes: 50, totalBytes: 100, done: false, t: 10_000 });
  telemetry.emit({ type: 'progress', source: 'f.csv', rows: 20, bytes: 60, totalBytes: 100, done: false, t: 10_500 });
  telemetry.emit({ type: 'drift', detector: 'adwin', row: 500, message: 'mean changed' });
  telemetry.emit({ type: 'progress', source: 'f.csv', rows: 30, bytes: 100, totalBytes: 100, done: true, t: 10_600 });
  sub.unsubscribe();
  assert.is(lines.length, 3, lines.join('\n'));
  assert.match(lines[0]!, / f\.csv read=10 50\.0%$/);
  assert.match(lines[1]!, /drift adwin at row 500: mean changed/);
  // 20 rows in the 0.6 s since the first sample.
  assert.match(lines[2]!, / f\.csv read=30 100\.0% 33 rows\/s done$/);
});

test('data drift: a line per alert at once, with the column, the row, the measure, its value and the verdict', () => {
  const { telemetry, lines, sub } = logger();
  telemetry.emit({ type: 'progress', source: 's', rows: 10, bytes: 0, done: false, t: 10_000 });
  telemetry.emit({
    type: 'dataDrift',
    column: 'class',
    row: 1999,
    measure: 'psi',
    value: 0.41234,
    verdict: 'major',
    message: 'class: psi 0.412 (major) in rows 1000–1999 against the reference',
  });
  telemetry.emit({ type: 'dataDrift', column: 'color', row: 2999, measure: 'js', value: 0.0712, verdict: 'moderate', message: 'color: js 0.0712' });
  sub.unsubscribe();
  assert.is(lines.length, 3, lines.join('\n'));
  assert.match(lines[1]!, /^\d\d:\d\d:\d\d data drift class at row 1999: psi 0\.412 \(major\)$/);
  assert.match(lines[2]!, /^\d\d:\d\d:\d\d data drift color at row 2999: js 0\.0712 \(moderate\)$/);
});

test('case 10: progress lines count the rows read, skipped ones included, and the skipped by reason', () => {
  const { telemetry, lines, sub } = logger();
  telemetry.emit({ type: 'progress', source: 'p.parquet', rows: 100, bytes: 0, totalRows: 400, done: false, t: 1_000 });
  telemetry.emit({ type: 'skipped', source: 'p.parquet', reason: 'number', line: 150, skipped: 1, byReason: { number: 1 } });
  telemetry.emit({ type: 'skipped', source: 'p.parquet', reason: 'date', line: 160, skipped: 2, byReason: { number: 1, date: 1 } });
  // Another source's skips are its own.
  telemetry.emit({ type: 'skipped', source: 'steps[0].validate', reason: 'range', line: 170, skipped: 5, byReason: { range: 5 } });
  telemetry.emit({ type: 'progress', source: 'p.parquet', rows: 398, bytes: 0, totalRows: 400, done: true, t: 3_000 });
  sub.unsubscribe();
  assert.is(lines.length, 2, lines.join('\n'));
  assert.match(lines[0]!, / p\.parquet read=100 25\.0%$/);
  // 300 rows read in 2 s; all 400 rows read, 2 of them skipped.
  assert.match(lines[1]!, / p\.parquet read=400 100\.0% 150 rows\/s skipped=2 \(number:1 date:1\) done$/);
});

test('case 10: rows/s comes from the last 5 s of progress, not from the last throughput event', () => {
  const { telemetry, lines, sub } = logger();
  // 1000 rows/s for 10 s, in 100-row batches every 0.1 s, then a 20 s stall, then one batch.
  let rows = 0;
  for (let t = 0; t <= 10_000; t += 100) {
    telemetry.emit({ type: 'progress', source: 's', rows, bytes: 0, done: false, t: 50_000 + t });
    // A burst figure from the source's own 0.5 s window: the logger smooths rather than repeat it.
    if (t % 500 === 0) telemetry.emit({ type: 'throughput', source: 's', rowsPerSecond: t % 1000 === 0 ? 9000 : 10, bytesPerSecond: 0 });
    rows += 100;
  }
  telemetry.emit({ type: 'progress', source: 's', rows: rows + 100, bytes: 0, done: true, t: 50_000 + 30_000 });
  sub.unsubscribe();
  const rates = lines.map((l) => Number(/ (\d+) rows\/s/.exec(l)?.[1]));
  assert.is(lines.length, 12, lines.join('\n'));
  for (const r of rates.slice(1, -1)) assert.is(r, 1000, lines.join('\n'));
  // No sample in the last 5 s but this one: the window reaches back to the last sample before
  // it (t = 10 s), 200 rows in 20 s.
  assert.match(lines[11]!, / s read=10200 10 rows\/s done$/);
});

test('a source read again (another epoch) starts a new count; one batch read at once has no rate', () => {
  const { telemetry, lines, sub } = logger(0);
  telemetry.emit({ type: 'progress', source: 'f', rows: 1000, bytes: 0, done: false, t: 1_000 });
  telemetry.emit({ type: 'progress', source: 'f', rows: 1000, bytes: 0, done: true, t: 1_200 });
  telemetry.emit({ type: 'progress', source: 'f', rows: 500, bytes: 0, done: false, t: 2_000 });
  telemetry.emit({ type: 'progress', source: 'f', rows: 1000, bytes: 0, done: true, t: 2_500 });
  sub.unsubscribe();
  assert.equal(
    lines.map((l) => l.slice(9)),
    ['f read=1000', 'f read=1000 done', 'f read=500', 'f read=1000 1000 rows/s done'],
  );
});

test("case 10: error events are not printed (the stream's subscriber reports the error once)", () => {
  const { telemetry, lines, sub } = logger();
  telemetry.emit({ type: 'error', source: 'f.csv', message: 'f.csv: no such file', error: new Error('f.csv: no such file') });
  telemetry.emit({ type: 'log', level: 'error', message: 'a note' });
  sub.unsubscribe();
  assert.is(lines.length, 1, lines.join('\n'));
  assert.match(lines[0]!, / error a note$/);
});

test('metrics lines are throttled; the last one held back prints when the logger stops', () => {
  const { telemetry, lines, sub } = logger();
  telemetry.emit({ type: 'metrics', rows: 100, values: { accuracy: 0.5 }, t: 1_000 });
  telemetry.emit({ type: 'metrics', rows: 200, values: { accuracy: 0.6 }, t: 1_400 });
  telemetry.emit({ type: 'metrics', rows: 300, values: { accuracy: 0.7 }, t: 1_800 });
  assert.is(lines.length, 1);
  sub.unsubscribe();
  assert.is(lines.length, 2);
  assert.match(lines[0]!, /metrics rows=100 accuracy=0\.5000$/);
  assert.match(lines[1]!, /metrics rows=300 accuracy=0\.7000$/);
});

test.run();
