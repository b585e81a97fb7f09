import { render } from 'ink-testing-library';
import { isValidElement, type ReactNode } from 'react';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LeaderboardEntry } from '../../src/core/index.js';
import { LeaderboardPanel, type LeaderboardPanelProps, type LeaderboardView } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

const entry = (id: number, over: Partial<LeaderboardEntry> = {}): LeaderboardEntry => ({
  id,
  label: `logistic lr=0.${id}`,
  config: { lr: id / 10 },
  rows: 50_000,
  loss: 0.4 + id / 100,
  stderr: 0.003,
  metric: 0.8 - id / 100,
  metricName: 'rocAuc',
  cost: 50_000,
  dropped: null,
  ...over,
});

/** A race of 6: #3 leads, #1 and #4 race, #0 dropped at row 12 345, #2 and #5 earlier; listed out of order on purpose. */
function board(over: Partial<LeaderboardView> = {}): LeaderboardView {
  return {
    t: 0,
    rows: 50_000,
    leader: 3,
    alive: 3,
    budgetUsed: 2.4,
    entries: [
      entry(3, { label: 'ftrl hashed alpha=0.05 l1=1e-4', cost: 24_600, metric: 0.82, loss: 0.38 }),
      entry(0, { rows: 12_345, dropped: 12_345, metric: 0.61, loss: 0.69 }),
      entry(1, { label: 'logistic normalized lr=0.31 l2=1e-5' }),
      entry(4),
      entry(2, { rows: 5000, dropped: 4999, metric: 0.55 }),
      entry(5, { rows: 5000, dropped: 4999, metric: 0.52 }),
    ],
    ...over,
  };
}

/** The panel's lines with their colour (frames carry no colour outside a terminal). */
function colored(props: LeaderboardPanelProps): Array<{ text: string; color: string | undefined }> {
  const out: Array<{ text: string; color: string | undefined }> = [];
  const walk = (n: ReactNode, color: string | undefined): void => {
    if (Array.isArray(n)) for (const c of n) walk(c, color);
    else if (typeof n === 'string' || typeof n === 'number') out.push({ text: String(n), color });
    else if (isValidElement<{ children?: ReactNode; color?: string }>(n)) walk(n.props.children, n.props.color ?? color);
  };
  walk(LeaderboardPanel(props), undefined);
  return out;
}

test('the whole race at 120 columns: title, heads, racing first in order with the leader starred, then dropped ones with their row', () => {
  const r = render(<LeaderboardPanel leaderboard={board()} width={120} height={10} />);
  const l = lines(r.lastFrame());
  assert.is(l[0], 'Tuning: 6 candidates, 3 racing, leader #3, budget used 2.4×');
  assert.match(l[1]!, /^ {2}# id candidate +rocAuc +loss +± se +rows +cost$/);
  assert.is(l.length, 8);
  assert.match(l[2]!, /^★ 1 #3 ftrl hashed alpha=0\.05 l1=1e-4 +0\.8200 +0\.3800 ±0\.0030 +50\.0k +24\.6k$/);
  assert.match(l[3]!, /^ {2}2 #1 logistic normalized lr=0\.31 l2=1e-5 +0\.7900 /);
  assert.match(l[4]!, /^ {2}3 #4 logistic lr=0\.4 /);
  assert.match(l[5]!, /^ {2}4 #0 logistic lr=0\.0 +0\.6100 +0\.6900 ±0\.0030 +12\.3k +50\.0k {2}dropped @ 12\.3k$/);
  assert.match(l[6]!, /^ {2}5 #2 .* {2}dropped @ 4999$/);
  assert.match(l[7]!, /^ {2}6 #5 .* {2}dropped @ 4999$/);
  // Racing lines have no dropped column; the figures line up under their heads.
  for (const x of l.slice(2, 5)) assert.not.match(x, /dropped/);
  assert.is(l[1]!.indexOf('rocAuc') + 'rocAuc'.length, l[2]!.indexOf('0.8200') + '0.8200'.length);
  r.unmount();
});

test('colours: the leader green, dropped ones gray, racing ones plain', () => {
  const c = colored({ leaderboard: board(), width: 120, height: 10 });
  const color = (re: RegExp) => c.find((p) => re.test(p.text))?.color;
  assert.is(color(/^★ 1 #3/), 'green');
  assert.is(color(/^ {2}2 #1/), undefined);
  assert.is(color(/^ {2}4 #0/), 'gray');
  assert.is(color(/^ {2}6 #5/), 'gray');
});

test('a candidate scored on no row shows no figures; a NaN-free line', () => {
  const b = board({ entries: [entry(3), entry(7, { rows: 0, loss: NaN, stderr: NaN, metric: NaN })] });
  const l = lines(render(<LeaderboardPanel leaderboard={b} width={100} height={5} />).lastFrame());
  const fresh = l.find((x) => /#7/.test(x))!;
  assert.match(fresh, /^ {2}2 #7 logistic lr=0\.7 +- +- +0 +50\.0k$/);
  assert.not.match(l.join('\n'), /NaN/);
});

test('narrow: columns give way (cost, rows, ± se, loss, then the dropped row, shortened first), the label is clipped, nothing wider than the panel', () => {
  const at = (w: number) => lines(render(<LeaderboardPanel leaderboard={board()} width={w} height={10} />).lastFrame());
  // 80 columns keep every column; the long labels are clipped with an ellipsis.
  const l80 = at(80);
  assert.match(l80[1]!, /rocAuc +loss +± se +rows +cost$/);
  assert.match(l80[2]!, /^★ 1 #3 ftrl hashed alpha… +0\.8200 +0\.3800 ±0\.0030 +50\.0k +24\.6k$/);
  assert.match(l80[5]!, /dropped @ 12\.3k$/);
  // 64: cost and rows gone, loss ± se and the dropped row stay; 56: ± se gone too.
  const l64 = at(64);
  assert.match(l64[1]!, /rocAuc +loss +± se$/);
  assert.match(l64[5]!, /^ {2}4 #0 logistic lr=0\.0 +0\.6100 +0\.6900 ±0\.0030 {2}dropped @ 12\.3k$/);
  const l56 = at(56);
  assert.match(l56[1]!, /rocAuc +loss$/);
  assert.match(l56[5]!, /^ {2}4 #0 logistic lr=0\.0 +0\.6100 +0\.6900 {2}dropped @ 12\.3k$/);
  // 40: the metric and the dropped row, shortened.
  const l40 = at(40);
  assert.match(l40[1]!, /candidate +rocAuc$/);
  assert.match(l40[5]!, /^ {2}4 #0 logistic lr=0\.0 +0\.6100 {2}✗ 12\.3k$/);
  // 20: the label alone.
  assert.is(at(20)[4], '  4 #0 logistic lr=…', 'no heads over the label alone');
  for (const w of [8, 14, 20, 30, 40, 56, 64, 80, 100]) {
    for (const h of [1, 2, 3, 5, 8, 12]) {
      const r = render(<LeaderboardPanel leaderboard={board()} width={w} height={h} />);
      const l = lines(r.lastFrame());
      assert.ok(l.length <= h, `${w}×${h}: ${l.length} lines`);
      for (const x of l) assert.ok(cells(x) <= w, `${w}×${h}: ${x}`);
      r.unmount();
    }
  }
  // Very narrow: the title is clipped, the leader's line keeps its mark.
  const l20 = at(20);
  assert.is(l20[0], 'Tuning: 6 candidate…');
  assert.match(l20.join('\n'), /^★ 1 #3 /m);
});

test('line cap: `+N more` saying how many still race; the leader keeps its line; one line names the leader', () => {
  const r = render(<LeaderboardPanel leaderboard={board()} width={100} height={5} />);
  // Title, heads, two candidates, and the note.
  assert.equal(
    lines(r.lastFrame()).map((x) => x.slice(0, 12)),
    ['Tuning: 6 ca', '  # id candi', '★ 1 #3 ftrl ', '  2 #1 logis', '+4 more (1 r'],
  );
  assert.is(lines(r.lastFrame())[4], '+4 more (1 racing)');
  // Three lines: no room for heads; one candidate line and the note.
  r.rerender(<LeaderboardPanel leaderboard={board()} width={100} height={3} />);
  assert.equal(
    lines(r.lastFrame()).map((x) => x.slice(0, 8)),
    ['Tuning: ', '★ 1 #3 f', '+5 more '],
  );
  // Two lines: the note moves into the title.
  r.rerender(<LeaderboardPanel leaderboard={board()} width={100} height={2} />);
  const two = lines(r.lastFrame());
  assert.is(two[0], 'Tuning: 6 candidates, 3 racing, leader #3, budget used 2.4× · +5 more (2 racing)');
  assert.match(two[1]!, /^★ 1 #3 /);
  // One line: the title and the leader's label and metric.
  r.rerender(<LeaderboardPanel leaderboard={board()} width={120} height={1} />);
  assert.equal(lines(r.lastFrame()), ['Tuning: 6 candidates, 3 racing, leader #3, budget used 2.4×  ★ ftrl hashed alpha=0.05 l1=1e-4 rocAuc 0.8200']);
  // A leader listed below the cut (the scored model switches before the order does) still shows, with its rank.
  r.rerender(<LeaderboardPanel leaderboard={board({ leader: 4 })} width={100} height={5} />);
  const l = lines(r.lastFrame());
  assert.match(l[2]!, /^ {2}1 #3 /);
  assert.match(l[3]!, /^★ 3 #4 /);
  assert.is(l[4], '+4 more (1 racing)');
  r.unmount();
});

test('the budget in the title: one decimal below 100×, then counted', () => {
  const title = (budgetUsed: number) => lines(render(<LeaderboardPanel leaderboard={board({ budgetUsed })} width={120} height={1} />).lastFrame())[0]!;
  assert.match(title(0.25), /budget used 0\.3× /);
  assert.match(title(12), /budget used 12\.0× /);
  assert.match(title(1234), /budget used 1234× /);
  assert.match(title(123_456), /budget used 123k× /);
});

test.run();
