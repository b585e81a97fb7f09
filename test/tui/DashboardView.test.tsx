import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Telemetry } from '../../src/core/index.js';
import { DashboardStore, DashboardView } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

/** A store fed like a classification run with two models, drift, skips and stats; `trees`: adam is a forest. */
function busyStore(trees = false) {
  const telemetry = new Telemetry();
  const store = new DashboardStore({ title: 'sluice', backend: 'webgpu', adapter: 'llvmpipe' }).attach(telemetry);
  for (let i = 1; i <= 200; i++) {
    telemetry.emit({ type: 'progress', source: 'flights.csv', rows: i * 1000, bytes: i * 50_000, totalRows: 400_000, done: false });
    telemetry.emit({
      type: 'metrics',
      rows: i * 1000,
      model: 'adam',
      values: { accuracy: 0.7 + i / 1000, logLoss: 0.6 - i / 1000 },
      rolling: { accuracy: 0.75, logLoss: 0.5 },
      ...(trees
        ? { trees: { kind: 'arf', trees: 10, nodes: 30 * i, leaves: 15 * i, depth: 4 + Math.floor(i / 50), resets: Math.floor(i / 60), rows: i * 1000 } }
        : {}),
    });
    telemetry.emit({ type: 'metrics', rows: i * 1000, model: 'sgd', values: { accuracy: 0.6, logLoss: 0.7 }, rolling: { accuracy: 0.65, logLoss: 0.66 } });
  }
  telemetry.emit({ type: 'throughput', source: 'flights.csv', rowsPerSecond: 50_000, bytesPerSecond: 2e6 });
  telemetry.emit({ type: 'skipped', source: 'flights.csv', reason: 'number', line: 7, skipped: 3, byReason: { number: 2, date: 1 } });
  telemetry.emit({ type: 'drift', detector: 'adwin', row: 150_000, message: 'accuracy fell' });
  telemetry.emit({
    type: 'stats',
    source: 'flights.csv',
    columns: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`col${i}`, { count: 10, missing: 1, mean: i, std: 1, min: 0, max: 2 * i }])),
  });
  store.setConfusion({ model: 'adam', classes: 2, counts: [900, 100, 150, 850] });
  return store;
}

test('fits 80×24: live area at most 23 lines of at most 80 cells, every panel present', () => {
  const snap = busyStore().snapshot();
  const r = render(<DashboardView snapshot={snap} width={80} height={24} keys />);
  const all = lines(r.lastFrame());
  // The event log (Static) prints above; the live area follows it.
  assert.match(all[0]!, /drift adwin at row 150000: accuracy fell/);
  const live = all.slice(1);
  assert.ok(live.length <= 23, `live lines: ${live.length}`);
  for (const l of all) assert.ok(cells(l) <= 80, `${cells(l)} cells: ${l}`);
  const text = live.join('\n');
  assert.match(live[0]!, /^sluice · flights\.csv · webgpu \(llvmpipe\).* 50\.0k rows\/s {2}RUNNING$/);
  assert.match(live[1]!, /^flights\.csv \[█+ +\] +50\.0% 200k\/400k ETA 0:04$/);
  assert.match(text, /★ adam +accuracy +0\.9000 +0\.7500/, 'best model starred');
  assert.match(text, /accuracy \(adam\)/);
  assert.match(text, /logLoss \(adam\)/);
  assert.match(text, /[⠁-⣿]/, 'braille chart drawn');
  assert.match(text, /Confusion \(adam\)/);
  assert.match(text, /Skipped 3/);
  assert.match(text, /Columns \(flights\.csv\) 12/);
  assert.match(live.at(-1)!, /^p pause\/resume · s snapshot · q quit/);
  r.unmount();
});

test('more room: taller charts, more columns of stats, still within the size', () => {
  const snap = busyStore().snapshot();
  const small = render(<DashboardView snapshot={snap} width={80} height={24} />);
  const big = render(<DashboardView snapshot={snap} width={140} height={50} />);
  const chartLines = (f: string[]) => f.filter((l) => /[┤│][⠀-⣿]/.test(l)).length;
  const s = lines(small.lastFrame()),
    b = lines(big.lastFrame());
  assert.ok(b.length - 1 <= 49 && b.length > s.length, `${b.length} vs ${s.length}`);
  for (const l of b) assert.ok(cells(l) <= 140);
  assert.ok(chartLines(b) > chartLines(s), 'taller charts');
  assert.match(b.join('\n'), /column\s+miss%\s+mean\s+std\s+min\s+max/);
  assert.ok(b.filter((l) => /col\d+ /.test(l)).length > s.filter((l) => /col\d+ /.test(l)).length, 'more stats rows');
  assert.not.match(s.at(-1)!, /p pause/, 'no keys listed without a terminal on stdin');
  small.unmount();
  big.unmount();
});

test('narrow terminal: one column, nothing wider than the terminal', () => {
  const snap = busyStore().snapshot();
  const r = render(<DashboardView snapshot={snap} width={50} height={20} />);
  const all = lines(r.lastFrame());
  assert.ok(all.length - 1 <= 19);
  for (const l of all) assert.ok(cells(l) <= 50, l);
  assert.match(all.join('\n'), /Metrics @ 200k rows/);
  r.unmount();
});

test('tree models: the trees panel under the metrics at 80×24, four lines taken from the metrics; same height', () => {
  const plain = lines(render(<DashboardView snapshot={busyStore().snapshot()} width={80} height={24} keys />).lastFrame());
  const r = render(<DashboardView snapshot={busyStore(true).snapshot()} width={80} height={24} keys />);
  const all = lines(r.lastFrame());
  assert.is(all.length, plain.length, 'the frame keeps its height');
  for (const l of all) assert.ok(cells(l) <= 80, `${cells(l)} cells: ${l}`);
  const at = all.findIndex((l) => l.startsWith('Trees (adam) '));
  assert.ok(at > 0, all.join('\n'));
  assert.match(all[at + 1]!, /^arf · 10 trees {2,}/);
  assert.match(all[at + 2]!, /^nodes +6000 +leaves +3000 /);
  assert.match(all[at + 3]!, /^max depth +8 +resets +3 /);
  // Under the metrics, which still list both models; the charts beside are untouched.
  const metricsAt = all.findIndex((l) => l.startsWith('Metrics @ 200k'));
  assert.ok(metricsAt >= 0 && metricsAt < at);
  assert.match(all.slice(metricsAt, at).join('\n'), /★ adam[\s\S]*sgd/);
  assert.equal(
    all.map((l) => l.slice(39)),
    plain.map((l) => l.slice(39)),
    'right column unchanged',
  );
  assert.match(all.join('\n'), /Confusion \(adam\)[\s\S]*Skipped 3[\s\S]*Columns \(flights\.csv\) 12/);
  r.unmount();
});

test('tree models, wide: the panel gets its four lines, with room to say drift resets', () => {
  const r = render(<DashboardView snapshot={busyStore(true).snapshot()} width={140} height={50} />);
  const all = lines(r.lastFrame());
  assert.is(all.length, lines(render(<DashboardView snapshot={busyStore().snapshot()} width={140} height={50} />).lastFrame()).length);
  for (const l of all) assert.ok(cells(l) <= 140);
  const at = all.findIndex((l) => l.startsWith('Trees (adam) '));
  assert.match(all[at + 1]!, /^arf · 10 trees /);
  assert.match(all[at + 2]!, /^nodes +6000 +leaves +3000 /);
  assert.match(all[at + 3]!, /^max depth +8 +drift resets +3 /);
  r.unmount();
});

test('tree models, narrow: one summary line under the metrics, or none without room; same height', () => {
  const snap = busyStore(true).snapshot();
  const r = render(<DashboardView snapshot={snap} width={50} height={20} />);
  const all = lines(r.lastFrame());
  assert.is(all.length, lines(render(<DashboardView snapshot={busyStore().snapshot()} width={50} height={20} />).lastFrame()).length);
  for (const l of all) assert.ok(cells(l) <= 50, l);
  const trees = all.filter((l) => l.startsWith('Trees'));
  assert.equal(trees, ['Trees (adam)  arf · 10 trees · 3 resets · 6000 no…']);
  assert.ok(all.findIndex((l) => l.startsWith('Metrics @')) < all.indexOf(trees[0]!), 'under the metrics');
  assert.match(all.join('\n'), /[⠁-⣿]/, 'the chart is still drawn');
  r.rerender(<DashboardView snapshot={snap} width={50} height={10} />);
  const tight = lines(r.lastFrame());
  assert.not.ok(
    tight.some((l) => l.startsWith('Trees')),
    'no room: left out',
  );
  assert.ok(tight.length - 1 <= 9);
  r.unmount();
});

test('with or without trees, every size keeps its height and width; no trees, no panel', () => {
  const [plain, trees] = [busyStore().snapshot(), busyStore(true).snapshot()];
  for (const w of [20, 40, 69, 70, 80, 120]) {
    for (const h of [8, 12, 16, 24, 40]) {
      const a = lines(render(<DashboardView snapshot={plain} width={w} height={h} />).lastFrame());
      const b = lines(render(<DashboardView snapshot={trees} width={w} height={h} />).lastFrame());
      assert.is(b.length, a.length, `${w}×${h}`);
      assert.ok(b.length - 1 <= Math.max(8, h - 1), `${w}×${h}: ${b.length} lines`);
      for (const l of b) assert.ok(cells(l) <= Math.max(20, w), `${w}×${h}: ${l}`);
      assert.not.ok(
        a.some((l) => /^Trees/.test(l)),
        `${w}×${h}`,
      );
    }
  }
});

/** A race of `n` candidates after 200k rows: the first five race (#0 leads), the others were dropped. */
function raceStore(n = 16) {
  const store = busyStore();
  const kinds = ['logistic normalized', 'logistic raw', 'ftrl hashed', 'svm normalized'];
  store.fold({
    type: 'leaderboard',
    t: 0,
    rows: 200_000,
    leader: 0,
    alive: Math.min(5, n),
    budgetUsed: 2.4,
    entries: Array.from({ length: n }, (_, i) => ({
      id: i,
      label: `${kinds[i % 4]} lr=0.${i + 1}`,
      config: {},
      rows: i < 5 ? 200_000 : 10_000 * i,
      loss: 0.4 + i / 100,
      stderr: 0.003,
      metric: 0.82 - i / 100,
      metricName: 'accuracy',
      cost: 200_000,
      dropped: i < 5 ? null : 10_000 * i - 1,
    })),
  });
  return store;
}

test('a race: the leaderboard between the metrics and charts and the bottom row, at 80×24 and 120×40; same height', () => {
  for (const [w, h, shown] of [
    [80, 24, 3],
    [120, 40, 8],
  ] as const) {
    const plain = lines(render(<DashboardView snapshot={busyStore().snapshot()} width={w} height={h} keys />).lastFrame());
    const all = lines(render(<DashboardView snapshot={raceStore().snapshot()} width={w} height={h} keys />).lastFrame());
    assert.is(all.length, plain.length, `${w}×${h}: the frame keeps its height`);
    for (const l of all) assert.ok(cells(l) <= w, `${w}×${h}: ${cells(l)} cells: ${l}`);
    const at = all.findIndex((l) => l.startsWith('Tuning: 16 candidates, 5 racing, leader #0, budget used 2.4×'));
    assert.ok(at > 0, all.join('\n'));
    assert.match(all[at + 1]!, /^ {3}# id +candidate +accuracy +loss +± se +rows +cost/);
    assert.match(all[at + 2]!, /^★ {2}1 #0 {2}logistic norm\S*(?: lr=0\.1)? +0\.8200 +0\.4000 ±0\.0030 +200k +200k$/);
    const cands = all.slice(at + 2).filter((l) => /^[★ ] +\d+ #\d+ /.test(l));
    assert.is(cands.length, shown, `${w}×${h}`);
    assert.is(all[at + 2 + shown], `+${16 - shown} more${shown < 5 ? ` (${5 - shown} racing)` : ''}`);
    if (shown > 5) assert.match(all[at + 2 + 5]!, /^ {3}6 #5 .* {2}dropped @ 50\.0k$/);
    // Under the metrics and the charts, above the bottom row, which keeps its panels.
    assert.ok(all.findIndex((l) => l.startsWith('Metrics @ 200k')) < at);
    assert.ok(all.findIndex((l) => /[⠁-⣿]/.test(l)) < at, 'the charts are drawn above');
    assert.ok(all.findIndex((l) => /^Confusion \(adam\)/.test(l)) > at);
    assert.match(all.join('\n'), /Skipped 3[\s\S]*Columns \(flights\.csv\) 12/);
    assert.match(all.at(-1)!, /^p pause\/resume/);
  }
});

test('with or without a race, every size keeps its height and width; no race, no panel; room short, the title and the leader or nothing', () => {
  const [plain, race, duel] = [busyStore().snapshot(), raceStore().snapshot(), raceStore(2).snapshot()];
  for (const w of [20, 40, 69, 70, 80, 120]) {
    for (const h of [8, 12, 16, 24, 40]) {
      const a = lines(render(<DashboardView snapshot={plain} width={w} height={h} />).lastFrame());
      assert.not.ok(
        a.some((l) => /^Tuning/.test(l)),
        `${w}×${h}`,
      );
      for (const snap of [race, duel]) {
        const b = lines(render(<DashboardView snapshot={snap} width={w} height={h} />).lastFrame());
        assert.is(b.length, a.length, `${w}×${h}`);
        for (const l of b) assert.ok(cells(l) <= Math.max(20, w), `${w}×${h}: ${l}`);
        // The title is never overdrawn by the panels above it.
        const t = b.findIndex((l) => /^Tuning/.test(l));
        if (t >= 0) assert.match(b[t + 1] ?? '', /^ {2,3}#|^★/, `${w}×${h}: ${b[t + 1]}`);
      }
    }
  }
  // 80×16: title and two candidates; 80×14: the title and the leader; 80×12: no room.
  const at = (h: number) => lines(render(<DashboardView snapshot={race} width={80} height={h} />).lastFrame());
  const l16 = at(16);
  const t16 = l16.findIndex((l) => l.startsWith('Tuning'));
  assert.match(l16[t16 + 1]!, /^★ {2}1 #0 /);
  assert.match(l16[t16 + 2]!, /^ {3}2 #1 /);
  assert.is(l16[t16 + 3], '+14 more (3 racing)');
  const l14 = at(14);
  const t14 = l14.findIndex((l) => l.startsWith('Tuning'));
  assert.match(l14[t14]!, /· \+15 more/);
  assert.match(l14[t14 + 1]!, /^★ {2}1 #0 /);
  assert.not.ok(at(12).some((l) => l.startsWith('Tuning')));
});

test.run();
