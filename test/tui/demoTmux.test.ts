import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

// End to end in a real terminal: `sluice demo` under tmux shows the dashboard, its metrics
// move, the detector's drifts are marked on the accuracy chart where the chart dips and
// recovers, and `q` stops it cleanly (exit 0) with the final summary below the last frame.
const root = resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A private tmux server (nothing of the user's is touched) running `args` of `sluice demo`; the exit status lands in a file. */
function session(name: string, args: string, height: number) {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-tmux-'));
  const tmux = (...a: string[]) => execFileSync('tmux', ['-L', `sluice-test-${process.pid}-${name}`, ...a], { encoding: 'utf8' });
  const rc = join(dir, 'rc');
  // CI would make the demo print plain lines (and ink draw only at exit): the terminal here is real.
  const cmd = `cd '${root}' && env -u CI -u CONTINUOUS_INTEGRATION node bin/sluice.js demo ${args}; echo $? > '${rc}'; sleep 120`;
  tmux('new-session', '-d', '-s', 'demo', '-x', '100', '-y', String(height), cmd);
  return {
    tmux,
    rc,
    /** The screen, and with `history` the lines scrolled off above it too. */
    pane: (history = false) => tmux('capture-pane', '-p', '-J', '-t', 'demo', ...(history ? ['-S', '-'] : [])),
    waitFor: async (what: string, ok: (screen: string) => boolean, ms: number, history = false) => {
      const until = Date.now() + ms;
      let screen = '';
      while (Date.now() < until) {
        screen = tmux('capture-pane', '-p', '-J', '-t', 'demo', ...(history ? ['-S', '-'] : []));
        if (ok(screen)) return screen;
        await sleep(250);
      }
      throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
    },
    close: () => {
      try {
        tmux('kill-server');
      } catch {
        /* already gone */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const rowsShown = (s: string) =>
  Number(
    /Metrics @ ([\d.]+)([kMG]?) rows/
      .exec(s)
      ?.slice(1, 3)
      .reduce((v, u) => String(Number(v) * ({ '': 1, k: 1e3, M: 1e6, G: 1e9 } as Record<string, number>)[u]!)) ?? NaN,
  );
const count = (s: string) => Number(s.replace(/k$/, 'e3').replace(/M$/, 'e6'));

/**
 * The accuracy chart of the last frame on `screen`, read back from its braille dots: per plot
 * column the highest and lowest value drawn (NaN where nothing is), the columns of the drift
 * markers (a `│` in the plot), and the x range.
 */
function accuracyChart(screen: string) {
  const lines = screen.split('\n');
  let top = lines.length - 1;
  while (top >= 0 && !/accuracy \(logistic@cpu\)/.test(lines[top]!)) top--;
  assert.ok(top >= 0, `no accuracy chart:\n${screen}`);
  // The chart's box starts at its title; its y axis (┤ or │) is the 8th character.
  const left = lines[top]!.indexOf('accuracy (');
  const plot: string[] = [];
  let i = top + 1;
  for (; i < lines.length && /[┤│]/.test(lines[i]![left + 7] ?? ''); i++) plot.push(lines[i]!.slice(left));
  const axis = /^\s+([\d.]+[kM]?)\s+rows\s+([\d.]+[kM]?)\s*$/.exec(lines[i]?.slice(left) ?? '');
  assert.ok(axis && plot.length >= 4, `chart not read:\n${lines.slice(top, i + 1).join('\n')}`);
  const ymax = Number(/([\d.]+)┤/.exec(plot[0]!)![1]),
    ymin = Number(/([\d.]+)┤/.exec(plot[plot.length - 1]!)![1]);
  const cols = [...plot[0]!.slice(8)].length;
  const dots = 4 * plot.length;
  const hi = new Array<number>(cols).fill(Number.NaN),
    lo = new Array<number>(cols).fill(Number.NaN);
  const markers = new Set<number>();
  // Braille dot bits by row within a cell (either of its two dot columns).
  const ROW_BITS = [0x01 | 0x08, 0x02 | 0x10, 0x04 | 0x20, 0x40 | 0x80];
  plot.forEach((l, li) => {
    const cells = [...l.slice(8)];
    cells.forEach((ch, c) => {
      if (ch === '│') {
        markers.add(c);
        return;
      }
      const bits = ch.charCodeAt(0) - 0x2800;
      if (bits <= 0 || bits > 0xff) return;
      ROW_BITS.forEach((m, r) => {
        if (!(bits & m)) return;
        const y = ymax - ((4 * li + r) / (dots - 1)) * (ymax - ymin);
        hi[c] = Number.isNaN(hi[c]!) ? y : Math.max(hi[c]!, y);
        lo[c] = Number.isNaN(lo[c]!) ? y : Math.min(lo[c]!, y);
      });
    });
  });
  return { hi, lo, markers: [...markers].sort((a, b) => a - b), cols, xmin: count(axis![1]!), xmax: count(axis![2]!) };
}

if (!hasTmux && !ci) {
  process.stdout.write('  warning: tmux is missing, the dashboard end-to-end tests are skipped (.ci/run installs it)\n');
} else {
  test('sluice demo in tmux: the detector’s drifts marked on the accuracy chart where it dips, then recovers', async () => {
    assert.ok(hasTmux, 'tmux is required under CI');
    // Labels flip at rows 1M and 2M; the run ends by itself and the last frame stays above the summary.
    const s = session('drift', '--rows 3000000 --batch 10000 --seed 1', 44);
    try {
      // Startup loads tsx and compiles the sources: slow on a busy machine.
      const screen = await s.waitFor('the demo to finish', () => existsSync(s.rc), 90_000, true);
      const end = s.pane(true);
      assert.is(readFileSync(s.rc, 'utf8').trim(), '0', end);
      // The summary, from the engine and the detector.
      const done =
        /^done: 3000000 rows in [\d.]+ s .*; progressive accuracy (0\.\d{4}); ddm: 2 drifts \(rows (\d+), (\d+)\), \d+ warnings, 2 swaps; (\d+) data-drift alerts? on the labels/m.exec(
          end,
        );
      assert.ok(done, end);
      const alarms = [Number(done![2]), Number(done![3])];
      assert.ok(alarms[0]! > 1_000_000 && alarms[0]! < 1_010_000 && alarms[1]! > 2_000_000 && alarms[1]! < 2_010_000, `${alarms}`);
      assert.ok(Number(done![4]) >= 1, 'the label column drifts');
      // The event log printed the detector's drift and the label column's data drift above the frame.
      assert.match(screen, new RegExp(`drift +drift ddm at row ${alarms[0]}: error rate 0\\.\\d+; background model swapped in`));
      assert.match(screen, /dataDrift +data drift class at row \d+: (psi|ks) [\d.]+ \((moderate|major)\)/);
      // The chart: a drift marker at each alarm's column, a dip there, and the level back before the next flip.
      const chart = accuracyChart(end);
      const at = (row: number) => Math.round(((row - chart.xmin) / (chart.xmax - chart.xmin)) * (chart.cols - 1));
      const [m1, m2] = alarms.map(at) as [number, number];
      for (const m of [m1, m2])
        assert.ok(
          chart.markers.some((c) => Math.abs(c - m) <= 1),
          `no marker near column ${m}: ${chart.markers}`,
        );
      assert.ok(
        chart.markers.every((c) => Math.abs(c - m1) <= 1 || Math.abs(c - m2) <= 1 || c <= 1),
        `markers away from the alarms: ${chart.markers}`,
      );
      const median = (xs: number[]) => xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const range = (a: number, b: number, of: number[]) => of.slice(Math.max(0, a), b + 1);
      const level = median(range(m1 - 8, m1 - 2, chart.hi));
      const dip = Math.min(...range(m1 - 1, m1 + 2, chart.lo).filter((x) => !Number.isNaN(x)));
      const back = median(range(m2 - 6, m2 - 2, chart.hi));
      assert.ok(dip < level - 0.015, `no dip at the first drift: level ${level}, dip ${dip}`);
      assert.ok(back >= level - 0.01, `not recovered before the second flip: level ${level}, back ${back}`);
      assert.ok(median(range(chart.cols - 4, chart.cols - 1, chart.hi)) >= level - 0.01, 'recovered after the second flip');
    } finally {
      s.close();
    }
  });

  test('sluice demo in tmux: dashboard, moving metrics, q quits cleanly with the summary', async () => {
    assert.ok(hasTmux, 'tmux is required under CI');
    const s = session('quit', '--rows 500000000 --batch 5000', 30);
    try {
      const first = await s.waitFor(
        'the dashboard with metrics',
        (x) => /sluice demo · sea-flip/.test(x) && /RUNNING/.test(x) && /logistic@cpu accuracy +0\.\d{4} +0\.\d{4}/.test(x),
        45_000,
      );
      assert.match(first, /sea-flip \[[█▏▎▍▌▋▊▉ ]+\] +\d+\.\d% .* ETA (\d+:)?\d+:\d\d|ETA -/);
      assert.match(first, /accuracy \(logistic@cpu\)/);
      assert.match(first, /p pause\/resume · s snapshot · q quit/);
      for (const line of first.split('\n')) assert.ok([...line].length <= 100, line);
      const r1 = rowsShown(first);
      const second = await s.waitFor('the metrics to move', (x) => rowsShown(x) > r1, 15_000);
      assert.ok(rowsShown(second) > r1);
      // Once a throughput figure is in, the progress bar has an ETA.
      await s.waitFor('an ETA', (x) => /sea-flip \[[█▏▎▍▌▋▊▉ ]+\] +\d+\.\d% .* ETA (\d+:)?\d+:\d\d/.test(x), 10_000);
      s.tmux('send-keys', '-t', 'demo', 'q');
      const until = Date.now() + 20_000;
      while (!existsSync(s.rc) && Date.now() < until) await sleep(250);
      const end = s.pane();
      assert.ok(existsSync(s.rc), `the demo did not exit after q; screen:\n${end}`);
      assert.is(readFileSync(s.rc, 'utf8').trim(), '0', end);
      assert.match(end, /^stopped: \d+ rows in [\d.]+ s \([\d.]+[kM]? rows\/s\); progressive accuracy 0\.\d{4}; ddm: /m);
      // The last frame stays on screen above the summary.
      const summaryAt = end.search(/^stopped: /m);
      const chartAt = end.search(/accuracy \(logistic@cpu\)/);
      assert.ok(chartAt >= 0 && chartAt < summaryAt, end);
      assert.ok(rowsShown(end) >= rowsShown(second) || Number.isNaN(rowsShown(end)), 'the final frame shows the final rows');
    } finally {
      s.close();
    }
  });
}

test.run();
