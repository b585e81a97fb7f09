import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type EventEntry, EventLog } from '../../src/tui/index.js';
import { lines } from './components.helpers.js';

const e = (seq: number, kind: EventEntry['kind'], message: string): EventEntry => ({ seq, t: Date.UTC(2024, 0, 1, 12, 0, seq), kind, message });

test('each entry printed once above the live area, even when the store drops old entries', () => {
  // biome-ignore lint/correctness/noComponentHookFactories: a one-off component for this test's renders.
  const App = (p: { events: EventEntry[]; n: number }) => (
    <>
      <EventLog events={p.events} width={60} />
      <Text>{`live ${p.n}`}</Text>
    </>
  );
  const r = render(<App events={[e(1, 'drift', 'drift adwin at row 5'), e(2, 'checkpoint', 'checkpoint runs/v1')]} n={1} />);
  r.rerender(<App events={[e(2, 'checkpoint', 'checkpoint runs/v1'), e(3, 'error', 'error f.csv: boom')]} n={2} />);
  r.rerender(<App events={[e(3, 'error', 'error f.csv: boom'), e(4, 'dataDrift', 'data drift y at row 9: psi 0.41 (major)')]} n={3} />);
  const l = lines(r.lastFrame()).filter(Boolean);
  assert.equal(l, [
    '12:00:01 drift      drift adwin at row 5',
    '12:00:02 checkpoint checkpoint runs/v1',
    '12:00:03 error      error f.csv: boom',
    '12:00:04 dataDrift  data drift y at row 9: psi 0.41 (major)',
    'live 3',
  ]);
  r.unmount();
});

test.run();
