import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

// End to end in a real terminal: `sluice demo` under tmux shows the dashboard, its metrics
// move, `q` stops it cleanly (exit 0) with the final summary below the last frame.
const root = resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!hasTmux && !ci) {
  process.stdout.write('  warning: tmux is missing, the dashboard end-to-end test is skipped (.ci/run installs it)\n');
} else {
  test('sluice demo in tmux: dashboard, moving metrics, q quits cleanly with the summary', async () => {
    assert.ok(hasTmux, 'tmux is required under CI');
    const dir = mkdtempSync(join(tmpdir(), 'sluice-tmux-'));
    // A private server socket: nothing of the user's tmux is touched.
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', `sluice-test-${process.pid}`, ...args], { encoding: 'utf8' });
    const rc = join(dir, 'rc');
    // CI would make the demo print plain lines (and ink draw only at exit): the terminal here is real.
    const cmd = `cd '${root}' && env -u CI -u CONTINUOUS_INTEGRATION node bin/sluice.js demo --rows 500000000 --batch 5000; echo $? > '${rc}'; sleep 120`;
    tmux('new-session', '-d', '-s', 'demo', '-x', '100', '-y', '30', cmd);
    const pane = () => tmux('capture-pane', '-p', '-t', 'demo');
    const waitFor = async (what: string, ok: (screen: string) => boolean, ms: number) => {
      const until = Date.now() + ms;
      let screen = '';
      while (Date.now() < until) {
        screen = pane();
        if (ok(screen)) return screen;
        await sleep(250);
      }
      throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
    };
    const rowsShown = (s: string) =>
      Number(
        /Metrics @ ([\d.]+)([kMG]?) rows/
          .exec(s)
          ?.slice(1, 3)
          .reduce((v, u) => String(Number(v) * ({ '': 1, k: 1e3, M: 1e6, G: 1e9 } as Record<string, number>)[u]!)) ?? NaN,
      );
    try {
      // Startup loads tsx and compiles the sources: slow on a busy machine.
      const first = await waitFor(
        'the dashboard with metrics',
        (s) => /sluice demo · sea-drift/.test(s) && /RUNNING/.test(s) && /rule c1 +accuracy +0\.\d{4}/.test(s) && /rule c3/.test(s),
        45_000,
      );
      assert.match(first, /sea-drift \[[█▏▎▍▌▋▊▉ ]+\] +\d+\.\d% .* ETA (\d+:)?\d+:\d\d|ETA -/);
      assert.match(first, /Confusion \(rule c[13]\)/);
      assert.match(first, /p pause\/resume · s snapshot · q quit/);
      for (const line of first.split('\n')) assert.ok([...line].length <= 100, line);
      const r1 = rowsShown(first);
      const second = await waitFor('the metrics to move', (s) => rowsShown(s) > r1, 15_000);
      assert.ok(rowsShown(second) > r1);
      // Once a throughput figure is in, the progress bar has an ETA.
      await waitFor('an ETA', (s) => /sea-drift \[[█▏▎▍▌▋▊▉ ]+\] +\d+\.\d% .* ETA (\d+:)?\d+:\d\d/.test(s), 10_000);
      tmux('send-keys', '-t', 'demo', 'q');
      const until = Date.now() + 20_000;
      while (!existsSync(rc) && Date.now() < until) await sleep(250);
      const end = pane();
      assert.ok(existsSync(rc), `the demo did not exit after q; screen:\n${end}`);
      assert.is(readFileSync(rc, 'utf8').trim(), '0', end);
      assert.match(end, /^stopped: \d+ rows in [\d.]+ s \([\d.]+[kM]? rows\/s\); class1 [\d.]+%; \d+ rows \([\d.]+%\) from concept 3$/m);
      // The last frame stays on screen above the summary (its header line scrolls off as the summary prints).
      const summaryAt = end.search(/^stopped: /m);
      assert.ok(end.search(/Confusion \(rule c[13]\)/) >= 0 && end.search(/Confusion \(rule c[13]\)/) < summaryAt, end);
      assert.ok(rowsShown(end) >= rowsShown(second), 'the final frame shows the final rows');
    } finally {
      try {
        tmux('kill-server');
      } catch {
        /* already gone */
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
