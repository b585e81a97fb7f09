import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema } from '../../src/core/index.js';
import { ColumnStats } from '../../src/features/index.js';
import { ColumnStatsPanel } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

function summaries() {
  const stats = new ColumnStats({ bins: 8 });
  const rows = Array.from({ length: 400 }, (_, i) => ({ x: i % 4 === 0 ? null : (i % 40) / 4, color: i % 3 === 0 ? 'red' : 'blue' }));
  stats.update(Batch.fromRows(rows, Schema.from({ x: 'number', color: 'category' })));
  return stats.summaries() as Record<string, unknown>;
}

test('a ColumnStats summary: missing share, mean, std, min, max, histogram or top value', () => {
  const r = render(<ColumnStatsPanel source="sea" columns={summaries()} width={80} height={6} />);
  const l = lines(r.lastFrame());
  assert.is(l[0], 'Columns (sea) 2');
  assert.match(l[1]!, /^column\s+miss%\s+mean\s+std\s+min\s+max\s+dist/);
  // 100 of 400 x missing; x takes 0.25..9.75 evenly (mean 5); 266 of 400 colors are blue.
  assert.match(l[2]!, /^x\s+25\.0\s+5\.00\s+2\.88\s+0\.250\s+9\.75 [▁▂▃▄▅▆▇█]{8}$/);
  assert.match(l[3]!, /^color\s+0\.0\s+-\s+-\s+-\s+- blue ×266$/);
  for (const x of l) assert.ok(cells(x) <= 80, x);
  r.unmount();
});

test('narrow: fields drop from the right; short: +N more', () => {
  const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`c${i}`, { count: 1, missing: 0, mean: i, std: 0, min: i, max: i }]));
  const r = render(<ColumnStatsPanel source={null} columns={many} width={26} height={5} />);
  const l = lines(r.lastFrame());
  assert.match(l[1]!, /^column\s+miss%\s+mean$/);
  assert.match(l[4]!, /^\+7 more$/);
  for (const x of l) assert.ok(cells(x) <= 26, x);
  r.unmount();
});

test.run();
