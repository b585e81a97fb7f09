import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Telemetry } from '../../src/core/index.js';
import { DashboardStore, DashboardView, LineChart } from '../../src/tui/index.js';
import { lines } from './components.helpers.js';

test('the store logs warnings and drifts with their rows, and keeps them as chart markers', () => {
  const telemetry = new Telemetry();
  const store = new DashboardStore({ now: () => 0 }).attach(telemetry);
  telemetry.emit({ type: 'warning', detector: 'ddm', row: 4990, message: 'error rate 0.12; background model learning' });
  telemetry.emit({ type: 'drift', detector: 'ddm', row: 5012, message: 'error rate 0.15; background model swapped in' });
  const s = store.snapshot();
  assert.equal(
    s.events.map((e) => [e.kind, e.message]),
    [
      ['warn', 'warning ddm at row 4990: error rate 0.12; background model learning'],
      ['drift', 'drift ddm at row 5012: error rate 0.15; background model swapped in'],
    ],
  );
  assert.equal(s.markers, [
    { row: 4990, kind: 'warning', detector: 'ddm' },
    { row: 5012, kind: 'drift', detector: 'ddm' },
  ]);
  for (let i = 0; i < 150; i++) telemetry.emit({ type: 'drift', detector: 'adwin', row: i, message: '' });
  assert.is(store.snapshot().markers.length, 100);
  assert.is(store.snapshot().markers[0]!.row, 50);
});

test('a chart marks a drift with a vertical rule at its row, a warning dotted; markers outside the x range are left out', () => {
  const xs = Array.from({ length: 11 }, (_, i) => i * 1000),
    ys = xs.map((x) => (x < 5000 ? 0.9 : 0.6));
  const plain = lines(render(<LineChart title="accuracy" xs={xs} ys={ys} width={40} height={4} />).lastFrame());
  const marked = lines(
    render(
      <LineChart
        title="accuracy"
        xs={xs}
        ys={ys}
        width={40}
        height={4}
        markers={[
          { row: 5000, kind: 'drift' },
          { row: 2000, kind: 'warning' },
          { row: 99_000, kind: 'drift' },
        ]}
      />,
    ).lastFrame(),
  );
  assert.is(marked.length, plain.length);
  const plot = (l: string[]) => l.slice(1, 5).map((x) => [...x].slice(8));
  // Plot width 32: row 5000 of 0..10000 is column 16, row 2000 column 6.
  const p = plot(marked),
    q = plot(plain);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 32; c++) {
      if (c === 16 || c === 6) continue;
      assert.is(p[r]![c], q[r]![c], `line ${r} column ${c} unchanged`);
    }
    const rule = c16(p[r]![16]!, q[r]![16]!, '│');
    assert.ok(rule, `line ${r}: drift column ${p[r]![16]}`);
    assert.ok(c16(p[r]![6]!, q[r]![6]!, '┊'), `line ${r}: warning column ${p[r]![6]}`);
  }
  assert.ok(p.some((l) => l[16] === '│'));
});

/** A marked column: the rule where the plot had no dots, else the curve's own dots. */
function c16(marked: string, plain: string, rule: string): boolean {
  return plain === '\u2800' ? marked === rule : marked === plain;
}

test('the dashboard view passes the markers to its charts', () => {
  const telemetry = new Telemetry();
  const store = new DashboardStore({ now: () => 0 }).attach(telemetry);
  for (let i = 1; i <= 20; i++) telemetry.emit({ type: 'metrics', rows: i * 1000, values: { accuracy: i < 10 ? 0.9 : 0.6 }, model: 'logistic' });
  telemetry.emit({ type: 'drift', detector: 'ddm', row: 10_000, message: 'error rate 0.4; model reset' });
  const snap = store.snapshot();
  const frame = lines(render(<DashboardView snapshot={snap} width={100} height={30} />).lastFrame());
  const unmarked = lines(render(<DashboardView snapshot={{ ...snap, markers: [] }} width={100} height={30} />).lastFrame());
  const rules = (l: string) => [...l].filter((c) => c === '│').length;
  // Colors aside, a marked column differs only where the plot had no dots: one more rule there.
  const changed = frame.map((l, i) => [l, unmarked[i]!] as const).filter(([a, b]) => a !== b);
  assert.ok(changed.length >= 2, 'the rule crosses the chart');
  for (const [a, b] of changed) assert.is(rules(a), rules(b) + 1, a);
});

test.run();
