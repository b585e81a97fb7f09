import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Rng, Telemetry, type TelemetryEvent } from '../../src/core/index.js';
import { type DataDriftAlert, DataDriftMonitor, type DataDriftMonitorState } from '../../src/drift/index.js';
import { ColumnStats } from '../../src/features/index.js';
import { assertOptionError } from './util.js';

/** Rows 0..n−1: x ~ Normal(0, 1) before `change`, Normal(shift, 1) from it; c always a/b/c at ½ ⅓ ⅙. */
function stream(seed: number, n: number, change: number, shift: number): Batch {
  const rng = new Rng(seed);
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    const u = rng.float();
    rows.push({ x: rng.normal(i < change ? 0 : shift, 1), c: u < 0.5 ? 'a' : u < 5 / 6 ? 'b' : 'c' });
  }
  return Batch.fromRows(rows);
}

/** Feeds `data` in batches of `size` rows (not a multiple of the pane: batches straddle panes). */
function feed(m: DataDriftMonitor, data: Batch, size = 333, from = 0, to = data.length): DataDriftAlert[] {
  const out: DataDriftAlert[] = [];
  for (let i = from; i < to; i += size) out.push(...m.update(data.slice(i, Math.min(i + size, to))));
  return out;
}

test('the first rows as reference: no alert before a shift, then x rises to moderate and to major as the window fills with shifted rows; c stays quiet', () => {
  const data = stream(1, 6000, 3000, 1);
  const telemetry = new Telemetry();
  const events: TelemetryEvent[] = [];
  const sub = telemetry.on('dataDrift').subscribe((e) => events.push(e));
  const seen: DataDriftAlert[] = [];
  const m = new DataDriftMonitor({ referenceRows: 1000, window: 1000, panes: 4, onAlert: (a) => seen.push(a), telemetry });
  const alerts = feed(m, data);
  sub.unsubscribe();
  assert.is(m.rows, 6000);
  assert.is(m.paneRows, 250);
  // One pane of shifted rows in four: moderate; two: major. Each level alerts once.
  assert.equal(
    alerts.map((a) => [a.column, a.verdict, a.row]),
    [
      ['x', 'moderate', 3249],
      ['x', 'major', 3499],
    ],
  );
  assert.match(alerts[1]!.message, /^x: (psi|ks) [\d.]+ \(major\) in rows 2500–3499 against the reference$/);
  assert.equal(seen, alerts);
  assert.equal(
    events.map((e) => ({ ...e, t: 0 })),
    alerts.map((a) => ({ type: 'dataDrift', t: 0, ...a })),
  );
  assert.is(m.alerts, 2);
  // The last comparison sees the whole shift.
  assert.equal(m.report!.drifted, ['x']);
  assert.is(m.report!.columns.c!.verdict, 'none');
});

test('a lasting shift alerts once; after going back to the reference (verdict none), a new shift alerts again', () => {
  const rng = new Rng(7);
  const rows: Array<Record<string, unknown>> = [];
  // reference 1000, shifted 2000, back 2000, shifted again 2000
  for (let i = 0; i < 7000; i++) rows.push({ x: rng.normal((i >= 1000 && i < 3000) || i >= 5000 ? 2 : 0, 1) });
  const m = new DataDriftMonitor({ referenceRows: 1000, window: 1000, panes: 4 });
  const alerts = feed(m, Batch.fromRows(rows), 500);
  // Back to none at the window's return re-arms x: the second shift alerts again, moderate then major.
  assert.equal(
    alerts.map((a) => [a.verdict, a.row]),
    [
      ['major', 1249],
      ['moderate', 5249],
      ['major', 5499],
    ],
  );
  assert.is(m.report!.columns.x!.verdict, 'major');
});

test("a given reference (another sample's statistics): compared from the first row", () => {
  const ref = new ColumnStats();
  ref.update(stream(2, 3000, 3000, 0));
  const m = new DataDriftMonitor({ reference: ref, window: 400, panes: 2 });
  assert.ok(m.ready);
  const alerts = feed(m, stream(3, 1000, 0, 1.5), 100);
  assert.is(alerts.length, 1);
  assert.equal([alerts[0]!.column, alerts[0]!.row], ['x', 199]);
  // Same distribution: nothing.
  const quiet = new DataDriftMonitor({ reference: ref.toJSON(), window: 400, panes: 2 });
  assert.equal(feed(quiet, stream(4, 2000, 2000, 0)), []);
  assert.is(quiet.report!.columns.x!.verdict, 'none');
});

test('state round trip through JSON text mid-stream: both continue with the same alerts and state', () => {
  const data = stream(5, 5000, 2500, 1);
  const a = new DataDriftMonitor({ referenceRows: 1000, window: 800, panes: 4, columns: ['x', 'c'] });
  const before = feed(a, data, 300, 0, 2100);
  assert.equal(before, []);
  const saved = JSON.parse(JSON.stringify(a.toJSON())) as DataDriftMonitorState;
  const b = DataDriftMonitor.fromJSON(saved);
  assert.equal(JSON.parse(JSON.stringify(b.toJSON())), saved);
  const ra = feed(a, data, 300, 2100),
    rb = feed(b, data, 300, 2100);
  assert.ok(ra.length > 0);
  assert.equal(rb, ra);
  assert.equal(JSON.parse(JSON.stringify(b.toJSON())), JSON.parse(JSON.stringify(a.toJSON())));
});

test('options are checked at creation', () => {
  assertOptionError(() => new DataDriftMonitor({ window: 0 }), 'dataDrift.window', 'expected an integer ≥ 1');
  assertOptionError(() => new DataDriftMonitor({ window: 3, panes: 4 }), 'dataDrift.panes', 'at most window (3)');
  assertOptionError(() => new DataDriftMonitor({ referenceRows: 1.5 }), 'dataDrift.referenceRows', 'got 1.5');
});

test.run();
