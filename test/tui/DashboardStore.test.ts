import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, type LeaderboardEntry, Rng, Schema, Telemetry } from '../../src/core/index.js';
import { DataDriftMonitor } from '../../src/drift/index.js';
import { DashboardStore, SnapshotMailbox } from '../../src/tui/index.js';

function setup() {
  const telemetry = new Telemetry();
  let now = 1_000_000;
  const store = new DashboardStore({ title: 't', backend: 'cpu', adapter: 'llvmpipe', maxEvents: 5, historyPoints: 16, now: () => now }).attach(telemetry);
  return {
    telemetry,
    store,
    tick: (ms: number) => {
      now += ms;
    },
  };
}

test('progress, throughput and state: starting → running → done when every source is done', () => {
  const { telemetry, store, tick } = setup();
  assert.is(store.snapshot().state, 'starting');
  telemetry.emit({ type: 'progress', source: 'a', rows: 100, bytes: 1000, totalRows: 1000, done: false });
  telemetry.emit({ type: 'progress', source: 'b', rows: 5, bytes: 0, done: false });
  telemetry.emit({ type: 'throughput', source: 'a', rowsPerSecond: 250, bytesPerSecond: 2500 });
  tick(3000);
  let s = store.snapshot();
  assert.is(s.state, 'running');
  assert.is(s.now - s.startedAt, 3000);
  assert.equal(
    s.sources.map((x) => [x.name, x.rows, x.totalRows, x.rowsPerSecond]),
    [
      ['a', 100, 1000, 250],
      ['b', 5, null, null],
    ],
  );
  telemetry.emit({ type: 'progress', source: 'a', rows: 1000, bytes: 1000, totalRows: 1000, done: true });
  assert.is(store.snapshot().state, 'running', 'b is still streaming');
  telemetry.emit({ type: 'progress', source: 'b', rows: 7, bytes: 0, done: true });
  s = store.snapshot();
  assert.is(s.state, 'done');
  assert.is(s.backend, 'cpu');
  assert.is(s.adapter, 'llvmpipe');
});

test('metrics per model: latest values, rolling, bounded histories that chart the rolling value', () => {
  const { telemetry, store } = setup();
  for (let i = 1; i <= 100; i++) {
    telemetry.emit({ type: 'metrics', rows: i * 10, model: 'm1', values: { accuracy: 0.5 + i / 1000 }, rolling: { accuracy: i / 100 } });
    telemetry.emit({ type: 'metrics', rows: i * 10, model: 'm2', values: { accuracy: 0.4, logLoss: 1 / i } });
  }
  const s = store.snapshot();
  assert.equal(
    s.models.map((m) => m.model),
    ['m1', 'm2'],
  );
  assert.equal(s.models[0]!.values, { accuracy: 0.6 });
  assert.equal(s.models[0]!.rolling, { accuracy: 1 });
  const h = s.history.m1!.accuracy!;
  assert.ok(h.xs.length <= 17, `bounded: ${h.xs.length}`);
  assert.is(h.xs[h.xs.length - 1], 1000);
  assert.is(h.ys[h.ys.length - 1], 1, 'charts the rolling value');
  assert.is(s.history.m2!.logLoss!.ys.at(-1), 1 / 100);
  // A snapshot is a copy: later events do not change it.
  telemetry.emit({ type: 'metrics', rows: 2000, model: 'm1', values: { accuracy: 0.9 } });
  assert.is(s.models[0]!.values.accuracy, 0.6);
});

test('skipped rows by reason, summed across sources; account books win', () => {
  const { telemetry, store } = setup();
  telemetry.emit({ type: 'progress', source: 'f.csv', rows: 95, bytes: 0, done: false });
  telemetry.emit({ type: 'skipped', source: 'f.csv', reason: 'number', line: 4, skipped: 3, byReason: { number: 2, date: 1 } });
  telemetry.emit({ type: 'skipped', source: 'g.csv', reason: 'date', line: 9, skipped: 2, byReason: { date: 2 } });
  let s = store.snapshot();
  assert.is(s.skipped.total, 5);
  assert.equal(s.skipped.byReason, { number: 2, date: 3 });
  assert.is(s.skipped.read, 100, 'read = passed + skipped without account events');
  telemetry.emit({ type: 'account', source: 'f.csv', read: 200, passed: 190, skipped: 10, skippedByReason: { number: 10 }, done: true });
  s = store.snapshot();
  assert.is(s.skipped.total, 12);
  assert.equal(s.skipped.byReason, { number: 10, date: 2 });
});

test('event log: drift, checkpoints, errors and logs in order, capped, numbered; error state', () => {
  const { telemetry, store } = setup();
  telemetry.emit({ type: 'drift', detector: 'adwin', row: 500, message: 'accuracy fell' });
  telemetry.emit({ type: 'checkpoint', path: 'runs/x/v1', version: 'v1' });
  for (let i = 0; i < 6; i++) telemetry.emit({ type: 'log', level: 'warn', message: `w${i}` });
  let s = store.snapshot();
  assert.is(s.events.length, 5);
  assert.equal(
    s.events.map((e) => e.message),
    ['w1', 'w2', 'w3', 'w4', 'w5'],
  );
  assert.equal(
    s.events.map((e) => e.seq),
    [4, 5, 6, 7, 8],
  );
  assert.is(s.state, 'starting');
  telemetry.emit({ type: 'error', source: 'f.csv', message: 'boom' });
  s = store.snapshot();
  assert.is(s.state, 'error');
  assert.is(s.events.at(-1)!.kind, 'error');
  assert.match(s.events.at(-1)!.message, /f\.csv: boom/);
});

test('data drift from a DataDriftMonitor: an event-log entry naming the column, row, measure, value and verdict; no chart marker', () => {
  const { telemetry, store } = setup();
  const monitor = new DataDriftMonitor({ referenceRows: 1000, window: 1000, telemetry });
  const rng = new Rng(3);
  const rows = (lo: number) =>
    Batch.fromRows(
      Array.from({ length: 1000 }, () => ({ x: lo + rng.float() })),
      Schema.from({ x: 'number' }),
    );
  monitor.update(rows(0));
  assert.is(store.snapshot().events.length, 0);
  // The first pane (a quarter of the window, 250 rows) of the shifted rows ends at row 1249.
  monitor.update(rows(5));
  const s = store.snapshot();
  assert.is(s.events.length, 1, JSON.stringify(s.events));
  assert.is(s.events[0]!.kind, 'dataDrift');
  assert.match(s.events[0]!.message, /^data drift x at row 1249: (psi|ks) [\d.]+ \(major\)$/, s.events[0]!.message);
  assert.equal(s.markers, []);
  // The column panel's mark: raised by the alert; a drift window's stats event sets the current verdicts.
  assert.equal(s.drifted, { x: 'major' });
  telemetry.emit({ type: 'stats', source: 'last 1000 rows', columns: {}, drift: { x: 'moderate', y: 'none' } });
  assert.equal(store.snapshot().drifted, { x: 'moderate' });
  telemetry.emit({ type: 'stats', source: 'last 1000 rows', columns: {}, drift: { x: 'none' } });
  assert.equal(store.snapshot().drifted, {});
});

test('stats, queue and confusion; version moves with every change; detach stops folding', () => {
  const { telemetry, store } = setup();
  const v0 = store.version;
  telemetry.emit({ type: 'stats', source: 'sea', columns: { x: { count: 3 } } });
  telemetry.emit({ type: 'queue', name: 'sea', depth: 2, capacity: 4 });
  store.setConfusion({ model: 'm', classes: 2, counts: [5, 1, 2, 7] });
  const s = store.snapshot();
  assert.equal(s.stats, { source: 'sea', columns: { x: { count: 3 } } });
  assert.equal(s.queues, [{ name: 'sea', depth: 2, capacity: 4 }]);
  assert.equal(s.confusion!.counts, [5, 1, 2, 7]);
  assert.ok(store.version > v0);
  store.detach();
  const v1 = store.version;
  telemetry.emit({ type: 'queue', name: 'sea', depth: 3, capacity: 4 });
  assert.is(store.version, v1);
});

test('case 10 (dashboard): rows/s and ETA come from a 5 s window of progress, not from the jumpy per-event rate', () => {
  const store = new DashboardStore({ title: 't' });
  const t0 = 1_000_000;
  // A bursty source: 10k rows then nothing for 450 ms, ten times (20k rows/s on average).
  let rows = 0;
  for (let k = 0; k < 10; k++) {
    store.fold({ type: 'progress', t: t0 + k * 500, source: 'f', rows, bytes: rows * 10, totalRows: 1_000_000, done: false });
    // The source's own rate between two events swings from 0 to 200k rows/s.
    store.fold({ type: 'throughput', t: t0 + k * 500 + 1, source: 'f', rowsPerSecond: k % 2 ? 200_000 : 0, bytesPerSecond: 0 });
    rows += 10_000;
  }
  const s = store.snapshot().sources[0]!;
  assert.ok(Math.abs(s.rowsPerSecond! - 20_000) < 1, String(s.rowsPerSecond));
  assert.ok(Math.abs(s.bytesPerSecond! - 200_000) < 10, String(s.bytesPerSecond));
  // Past the window, old samples no longer count: a stall shows as a falling rate.
  store.fold({ type: 'progress', t: t0 + 10_000, source: 'f', rows, bytes: rows * 10, totalRows: 1_000_000, done: false });
  const later = store.snapshot().sources[0]!;
  assert.ok(later.rowsPerSecond! < 20_000 && later.rowsPerSecond! > 0, String(later.rowsPerSecond));
});

test('tree models: the last TreeStats per model, kept by metrics events without one; plain data in the snapshot', () => {
  const { telemetry, store } = setup();
  const trees = { kind: 'arf', trees: 10, nodes: 120, leaves: 65, depth: 6, resets: 0, rows: 1000 };
  telemetry.emit({ type: 'metrics', rows: 1000, model: 'arf', values: { accuracy: 0.8 }, trees });
  telemetry.emit({ type: 'metrics', rows: 1000, model: 'sgd', values: { accuracy: 0.7 } });
  trees.nodes = 999; // the store keeps its own copy
  telemetry.emit({
    type: 'metrics',
    rows: 2000,
    model: 'arf',
    values: { accuracy: 0.82 },
    trees: { ...trees, nodes: 250, leaves: 130, depth: 8, resets: 2, rows: 2000 },
  });
  telemetry.emit({ type: 'metrics', rows: 2500, model: 'arf', values: { accuracy: 0.83 } });
  const s = store.snapshot();
  assert.equal(s.models[0]!.trees, { kind: 'arf', trees: 10, nodes: 250, leaves: 130, depth: 8, resets: 2, rows: 2000 });
  assert.is(s.models[0]!.rows, 2500);
  assert.not.ok('trees' in s.models[1]!, 'a model without trees has no trees key');
  // It crosses to the render worker: JSON and structured clones are the same data.
  assert.equal(JSON.parse(JSON.stringify(s.models)), s.models);
  assert.equal(structuredClone(s.models), s.models);
  // A snapshot is a copy.
  telemetry.emit({ type: 'metrics', rows: 3000, model: 'arf', values: { accuracy: 0.84 }, trees: { ...trees, resets: 5 } });
  assert.is(s.models[0]!.trees!.resets, 2);
  assert.is(store.snapshot().models[0]!.trees!.resets, 5);
});

test('leaderboard: the last event of a race, in every snapshot, as plain data that crosses to the render worker', () => {
  const { telemetry, store } = setup();
  assert.is(store.snapshot().leaderboard, null, 'no race, no leaderboard');
  class Schedule {
    step = 0.5;
  }
  const entry = (id: number, over: Partial<LeaderboardEntry> = {}): LeaderboardEntry => ({
    id,
    label: `logistic lr=0.${id}`,
    config: { model: 'logistic', lr: id / 10, interactions: [['a', 'b']], nested: { hashBits: 18 } },
    rows: 1000,
    loss: 0.5,
    stderr: 0.01,
    metric: 0.7,
    metricName: 'rocAuc',
    cost: 1000,
    dropped: null,
    ...over,
  });
  const first = [entry(1), entry(0, { dropped: 499, rows: 500 })];
  telemetry.emit({ type: 'leaderboard', rows: 1000, leader: 1, alive: 1, budgetUsed: 1.5, entries: first });
  const v = store.version;
  const s = store.snapshot();
  assert.equal(s.leaderboard, { t: s.leaderboard!.t, rows: 1000, leader: 1, alive: 1, budgetUsed: 1.5, entries: first });
  first[0]!.loss = 9; // the store keeps its own copy
  assert.is(store.snapshot().leaderboard!.entries[0]!.loss, 0.5);

  // A configuration holding what structured cloning refuses (a function, a class instance) keeps its plain parts.
  const odd = entry(2, { config: { lr: 0.2, schedule: new Schedule(), loss: function huber() {}, list: [1, () => 0] } });
  telemetry.emit({ type: 'leaderboard', rows: 2000, leader: 2, alive: 2, budgetUsed: 2.5, entries: [odd, entry(1)] });
  assert.ok(store.version > v, 'version moves');
  const s2 = store.snapshot();
  assert.equal(s2.leaderboard!.entries[0]!.config, { lr: 0.2, loss: '[huber]', list: [1, null] });
  assert.equal(s2.leaderboard!.entries[1]!.config, { model: 'logistic', lr: 0.1, interactions: [['a', 'b']], nested: { hashBits: 18 } });
  assert.is(s.leaderboard!.rows, 1000, 'an older snapshot keeps its standings');
  assert.equal(structuredClone(s2), s2);
  assert.equal(JSON.parse(JSON.stringify(s2.leaderboard)), s2.leaderboard);
  // The worker's mailbox hands it on as it came.
  const mailbox = new SnapshotMailbox(structuredClone(s2));
  assert.equal(mailbox.snapshot().leaderboard, s2.leaderboard);
});

test.run();
