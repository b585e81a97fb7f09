import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfusionMatrixView } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

test('counts by true (rows) and predicted (columns) class with recall', () => {
  const cm = { model: 'lr', classes: 3, counts: [50, 3, 2, 4, 40, 6, 0, 12_000, 8], labels: ['cat', 'dog', 'eel'] };
  const r = render(<ConfusionMatrixView confusion={cm} width={40} height={6} />);
  const l = lines(r.lastFrame());
  assert.is(l[0], 'Confusion (lr)');
  assert.match(l[1]!, /^true\s+cat\s+dog\s+eel\s+recall$/);
  assert.match(l[2]!, /^cat\s+50\s+3\s+2\s+90\.9%$/);
  assert.match(l[3]!, /^dog\s+4\s+40\s+6\s+80\.0%$/);
  assert.match(l[4]!, /^eel\s+0\s+12\.0k\s+8\s+0\.1%$/);
  for (const x of l) assert.ok(cells(x) <= 40, x);
  r.unmount();
});

test('more classes than room: a corner, and how many are shown', () => {
  const k = 10;
  const counts = Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 9 : 1));
  const r = render(<ConfusionMatrixView confusion={{ model: '', classes: k, counts }} width={40} height={6} />);
  const l = lines(r.lastFrame());
  assert.match(l[0]!, /Confusion \d\/10 classes/);
  assert.ok(l.length <= 6);
  for (const x of l) assert.ok(cells(x) <= 40, x);
  r.rerender(<ConfusionMatrixView confusion={null} width={40} height={6} />);
  assert.match(r.lastFrame()!, /no classification yet/);
  r.unmount();
});

test.run();
