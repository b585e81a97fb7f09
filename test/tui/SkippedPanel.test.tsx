import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SkippedPanel } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

test('total and share of rows read, reasons most frequent first', () => {
  const r = render(<SkippedPanel skipped={{ total: 60, read: 1000, byReason: { date: 10, number: 50 } }} width={24} height={4} />);
  const l = lines(r.lastFrame());
  assert.is(l[0], 'Skipped 60 (6.0%)');
  assert.match(l[1]!, /^number\s+50$/);
  assert.match(l[2]!, /^date\s+10$/);
  for (const x of l) assert.ok(cells(x) <= 24, x);
  r.unmount();
});

test('more reasons than lines fold into other; none skipped', () => {
  const r = render(<SkippedPanel skipped={{ total: 10, read: 1e7, byReason: { number: 4, date: 3, json: 2, utf8: 1 } }} width={24} height={3} />);
  const l = lines(r.lastFrame());
  assert.is(l[0], 'Skipped 10 (<0.1%)');
  assert.match(l[1]!, /^number\s+4$/);
  assert.is(l[2], 'other 6');
  r.rerender(<SkippedPanel skipped={{ total: 0, read: 5, byReason: {} }} width={24} height={3} />);
  assert.is(lines(r.lastFrame()).join('\n'), 'Skipped 0 (0.0%)');
  r.unmount();
});

test.run();
