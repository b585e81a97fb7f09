import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Telemetry } from '../../src/core/index.js';
import { DashboardStore, LiveDashboard } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Frames come at most 10 a second, and further apart when they are slow: poll the screen. */
async function until(frame: () => string | undefined, re: RegExp, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!re.test(frame() ?? '') && Date.now() < end) await sleep(50);
  assert.match(frame() ?? '', re);
}

test('frame-rate cap: a burst of 10,000 events over ~1 s draws at most fps × seconds + 1 frames', async () => {
  const telemetry = new Telemetry();
  const store = new DashboardStore().attach(telemetry);
  const r = render(<LiveDashboard store={store} fps={10} width={80} height={24} />);
  const before = r.frames.length;
  const t0 = performance.now();
  for (let burst = 0; burst < 10; burst++) {
    for (let i = 0; i < 1000; i++) {
      const rows = burst * 1000 + i + 1;
      telemetry.emit({ type: 'progress', source: 'sea', rows, bytes: 0, totalRows: 10_000, done: false });
      telemetry.emit({ type: 'metrics', rows, values: { accuracy: rows / 10_000 } });
    }
    await sleep(100);
  }
  // Frames are at most a second apart: wait for the one that shows the last event.
  await sleep(1100);
  const seconds = (performance.now() - t0) / 1000;
  const drawn = r.frames.length - before;
  assert.ok(drawn >= 2, `the dashboard updated (${drawn} frames)`);
  assert.ok(drawn <= Math.ceil(10 * seconds) + 1, `${drawn} frames in ${seconds.toFixed(2)} s`);
  assert.match(r.lastFrame()!, /sea \[█+\] 100\.0% 10\.0k\/10\.0k/, 'the last frame shows the last event');
  r.unmount();
});

test('keys: p pauses and resumes, s saves a snapshot into the event log, q quits', async () => {
  const store = new DashboardStore();
  const calls: string[] = [];
  const r = render(
    <LiveDashboard
      store={store}
      fps={10}
      width={80}
      height={24}
      onPause={() => calls.push('pause')}
      onResume={() => calls.push('resume')}
      onSnapshot={async () => {
        calls.push('snapshot');
        return '/tmp/snap-1.json';
      }}
      onQuit={() => calls.push('quit')}
      onInterrupt={() => calls.push('interrupt')}
    />,
  );
  await sleep(50);
  assert.match(lines(r.lastFrame()).at(-1)!, /p pause\/resume · s snapshot · q quit/);
  r.stdin.write('p');
  await until(r.lastFrame, /PAUSED/);
  assert.equal(calls, ['pause']);
  r.stdin.write('p');
  r.stdin.write('s');
  await until(r.lastFrame, /snapshot saved: \/tmp\/snap-1\.json/);
  assert.equal(calls, ['pause', 'resume', 'snapshot']);
  assert.not.match(r.lastFrame()!, /PAUSED/);
  r.stdin.write('\u0003');
  r.stdin.write('q');
  await until(r.lastFrame, /STOPPING/);
  assert.equal(calls, ['pause', 'resume', 'snapshot', 'interrupt', 'quit']);
  r.unmount();
});

test('resize: the layout follows the terminal size', async () => {
  const store = new DashboardStore();
  const r = render(<LiveDashboard store={store} />);
  await sleep(30);
  const wide = lines(r.lastFrame());
  assert.is(Math.max(...wide.map(cells)), 100, 'ink-testing-library terminal: 100 columns');
  Object.defineProperty(r.stdout, 'columns', { get: () => 60, configurable: true });
  r.stdout.emit('resize');
  await sleep(30);
  const narrow = lines(r.lastFrame());
  assert.ok(Math.max(...narrow.map(cells)) <= 60, `${Math.max(...narrow.map(cells))}`);
  r.unmount();
});

test.run();
