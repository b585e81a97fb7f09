import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Telemetry, textLogger } from '../../src/core/index.js';

test('progress lines are throttled; errors, drift and the final line always print', () => {
  const telemetry = new Telemetry();
  const lines: string[] = [];
  const sub = textLogger({ telemetry, write: (l) => lines.push(l), intervalMs: 1000 });
  telemetry.emit({ type: 'throughput', source: 'f.csv', rowsPerSecond: 1234.4, bytesPerSecond: 1 });
  telemetry.emit({ type: 'progress', source: 'f.csv', rows: 10, bytes: 50, totalBytes: 100, done: false, t: 10_000 });
  telemetry.emit({ type: 'progress', source: 'f.csv', rows: 20, bytes: 60, totalBytes: 100, done: false, t: 10_500 });
  telemetry.emit({ type: 'skipped', source: 'f.csv', reason: 'number', line: 4, skipped: 1, byReason: { number: 1 } });
  telemetry.emit({ type: 'error', source: 'f.csv', message: 'boom' });
  telemetry.emit({ type: 'drift', detector: 'adwin', row: 500, message: 'mean changed' });
  telemetry.emit({ type: 'progress', source: 'f.csv', rows: 30, bytes: 100, totalBytes: 100, done: true, t: 10_600 });
  sub.unsubscribe();
  assert.is(lines.length, 4, lines.join('\n'));
  assert.match(lines[0]!, /f\.csv rows=10 50\.0% 1234 rows\/s$/);
  assert.match(lines[1]!, /ERROR f\.csv: boom/);
  assert.match(lines[2]!, /drift adwin at row 500: mean changed/);
  assert.match(lines[3]!, /rows=30 100\.0% 1234 rows\/s skipped=1 \(number:1\) done$/);
});

test.run();
