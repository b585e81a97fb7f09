import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

// End to end in a real terminal: `sluice run` of a spec with `tune` under tmux, fed rows on stdin at a walking pace,
// shows the leaderboard panel; it updates as rows come and shows candidates dropped at rung ends.
const root = resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The first 120 rows at once (no candidate is dropped before row 127), then, once the test has seen
// the whole field racing and writes the go file (argv[2]), 60 rows every 100 ms up to 4,800.
const FEED = `
const { existsSync } = require('node:fs');
let i = 0, seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const rows = (n) => {
  let out = '';
  for (let k = 0; k < n; k++, i++) {
    const a = rnd() * 4 - 2, b = rnd() * 4 - 2;
    out += a.toFixed(3) + ',' + b.toFixed(3) + ',' + (rnd() < 1 / (1 + Math.exp(-(2 * a - b))) ? 1 : 0) + '\\n';
  }
  return out;
};
process.stdout.write('a,b,label\\n' + rows(120));
const wait = setInterval(() => {
  if (!existsSync(process.argv[2])) return;
  clearInterval(wait);
  const t = setInterval(() => {
    process.stdout.write(rows(60));
    if (i >= 4800) clearInterval(t);
  }, 100);
}, 50);
`;

if (!hasTmux && !ci) {
  process.stdout.write('  warning: tmux is missing, the leaderboard end-to-end test is skipped (.ci/run installs it)\n');
} else {
  test('sluice train --auto in tmux: the leaderboard updates and candidates are dropped', async () => {
    assert.ok(hasTmux, 'tmux is required under CI');
    const dir = mkdtempSync(join(tmpdir(), 'sluice-tmux-auto-'));
    const feed = join(dir, 'feed.cjs'),
      spec = join(dir, 'auto.yaml'),
      go = join(dir, 'go'),
      rc = join(dir, 'rc');
    writeFileSync(feed, FEED);
    // Small source batches (types inferred from the first 60 rows): the rows reach the race as they come.
    writeFileSync(spec, 'source: { csv: "-", inferRows: 60, batchSize: 60 }\ntarget: label\ntune: { budget: 3 }\n');
    const tmux = (...a: string[]) => execFileSync('tmux', ['-L', `sluice-test-${process.pid}-auto`, ...a], { encoding: 'utf8' });
    const cmd = `cd '${root}' && node '${feed}' '${go}' | env -u CI -u CONTINUOUS_INTEGRATION node bin/sluice.js run '${spec}'; echo $? > '${rc}'; sleep 120`;
    try {
      tmux('new-session', '-d', '-s', 'auto', '-x', '120', '-y', '40', cmd);
      const pane = () => tmux('capture-pane', '-p', '-J', '-t', 'auto');
      const waitFor = async (what: string, ok: (s: string) => boolean, ms: number) => {
        const until = Date.now() + ms;
        let s = '';
        while (Date.now() < until) {
          s = pane();
          if (ok(s)) return s;
          await sleep(200);
        }
        throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      };
      const racing = (s: string) => Number(/Tuning: 8 candidates, (\d+) racing/.exec(s)?.[1] ?? Number.NaN);
      await waitFor('the leaderboard panel with the whole field racing', (s) => racing(s) === 8 && !/dropped @/.test(s), 60_000);
      writeFileSync(go, '');
      // Later frames: fewer racing, dropped lines with their rows, until one is left.
      const some = await waitFor('a candidate dropped', (s) => racing(s) < 8 && /dropped @ \d/.test(s), 30_000);
      await waitFor('fewer racing again', (s) => racing(s) < racing(some), 30_000);
      await waitFor('one left', (s) => racing(s) === 1, 30_000);
      await waitFor('the end of the run', () => existsSync(rc), 60_000);
      assert.is(readFileSync(rc, 'utf8').trim(), '0', pane());
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
