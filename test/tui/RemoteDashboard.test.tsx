import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RemoteDashboard, SnapshotMailbox } from '../../src/tui/index.js';
import { lines, snapshot } from './components.helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(frame: () => string | undefined, re: RegExp, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!re.test(frame() ?? '') && Date.now() < end) await sleep(50);
  assert.match(frame() ?? '', re);
}

test('draws what the mailbox received, follows new snapshots, lists keys only when they work', async () => {
  const box = new SnapshotMailbox(snapshot({ state: 'starting', version: 1 }));
  const r = render(<RemoteDashboard mailbox={box} fps={10} keys={true} width={80} height={24} />);
  await until(r.lastFrame, /STARTING/);
  assert.match(lines(r.lastFrame()).at(-1)!, /p pause\/resume · s snapshot · q quit/);
  const src = snapshot().sources[0]!;
  box.put(snapshot({ state: 'paused', sources: [{ ...src, rows: 15_000_000 }], version: 2 }));
  await until(r.lastFrame, /PAUSED/);
  assert.match(r.lastFrame()!, /sea-drift \[█+ *\] +50\.0% 15\.0M\/30\.0M/);
  r.unmount();
  const plain = render(<RemoteDashboard mailbox={box} keys={false} width={80} height={24} />);
  await sleep(30);
  assert.not.match(plain.lastFrame()!, /q quit/);
  plain.unmount();
});

test('console output of the pipeline thread is printed above the frame', async () => {
  const box = new SnapshotMailbox(snapshot());
  box.write('stdout', 'hello from the pipeline\n');
  const r = render(<RemoteDashboard mailbox={box} keys={false} width={80} height={24} />);
  await until(() => r.frames.join(''), /hello from the pipeline/);
  r.unmount();
});

test('the final frame replaces the timed one', async () => {
  const box = new SnapshotMailbox(snapshot({ state: 'running' }));
  const r = render(<RemoteDashboard mailbox={box} keys={false} width={80} height={24} />);
  await until(r.lastFrame, /RUNNING/);
  r.rerender(<RemoteDashboard mailbox={box} keys={false} width={80} height={24} final={snapshot({ state: 'done' })} />);
  await until(r.lastFrame, /DONE/);
  r.unmount();
});

test.run();
