import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProgressBar } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

test('bar filled in proportion, percentage, counts and ETA from the rate', () => {
  const r = render(<ProgressBar label="sea" rows={250} totalRows={1000} rowsPerSecond={10} done={false} width={60} />);
  const [l] = lines(r.lastFrame());
  assert.is(cells(l!), 60);
  assert.match(l!, /25\.0% 250\/1000 ETA 1:15$/);
  const bar = /\[([^\]]*)\]/.exec(l!)![1]!;
  const filled = [...bar].filter((c) => c !== ' ').length;
  assert.ok(Math.abs(filled / [...bar].length - 0.25) < 0.05, bar);
  r.rerender(<ProgressBar label="sea" rows={1000} totalRows={1000} rowsPerSecond={10} done width={60} />);
  assert.match(lines(r.lastFrame())[0]!, /\[█+\] 100\.0% 1000\/1000 done$/);
  r.unmount();
});

test('unknown total: rows only, no bar; unknown rate: ETA -', () => {
  const r = render(<ProgressBar label="stdin" rows={12_345} totalRows={null} rowsPerSecond={5} done={false} width={40} />);
  assert.is(lines(r.lastFrame())[0], 'stdin 12.3k rows');
  r.rerender(<ProgressBar label="f" rows={1} totalRows={10} rowsPerSecond={null} done={false} width={40} />);
  assert.match(lines(r.lastFrame())[0]!, /ETA -$/);
  r.unmount();
});

test.run();
