import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Header } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

test('source, backend and adapter, elapsed time, rows/s and state on one line', () => {
  const r = render(
    <Header
      title="sluice"
      source="flights.csv"
      backend="webgpu"
      adapter="llvmpipe"
      elapsedMs={3_723_000}
      rowsPerSecond={1_234_567}
      state="paused"
      width={80}
    />,
  );
  const [l] = lines(r.lastFrame());
  assert.match(l!, /^sluice · flights\.csv · webgpu \(llvmpipe\)/);
  assert.match(l!, /1:02:03 {2}1\.23M rows\/s {2}PAUSED$/);
  assert.is(cells(l!), 80);
  r.unmount();
});

test('a long source name is cut, the numbers and the state stay', () => {
  const r = render(
    <Header title="sluice" source={'x'.repeat(200)} backend={null} adapter={null} elapsedMs={5_000} rowsPerSecond={null} state="done" width={60} />,
  );
  const l = lines(r.lastFrame());
  assert.is(l.length, 1);
  assert.ok(cells(l[0]!) <= 60);
  assert.match(l[0]!, /x…/);
  assert.match(l[0]!, /0:05 {2}- rows\/s {2}DONE$/);
  r.unmount();
});

test.run();
