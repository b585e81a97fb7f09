import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Rng, Schema } from '../../src/core/index.js';
import { ColumnStats } from '../../src/features/index.js';
import { ColumnStatsPanel, histogramColumns } from '../../src/tui/index.js';
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

/** Uniform draws on [0, 10) in batches, as the demo samples its columns: the sketch's range grows past the data. */
function uniform() {
  const stats = new ColumnStats({ bins: 20 });
  const rng = new Rng(7);
  for (let b = 0; b < 40; b++)
    stats.update(
      Batch.fromRows(
        Array.from({ length: 500 }, () => ({ u: 10 * rng.float() })),
        Schema.from({ u: 'number' }),
      ),
    );
  return stats.summaries() as Record<string, { histogram: { lo: number; width: number; counts: number[] }; min: number; max: number }>;
}

test('uniform data draws level: the histogram spans the data, not the sketch’s wider range', () => {
  const cols = uniform();
  // The sketch itself has doubled its range past [0, 10): about half its bins are empty.
  const h = cols.u!.histogram;
  assert.ok(h.counts.filter((c) => c === 0).length >= 8, JSON.stringify(h));
  for (const width of [80, 64, 57]) {
    const r = render(<ColumnStatsPanel source="u" columns={cols} width={width} height={4} />);
    const line = lines(r.lastFrame())[2]!;
    const spark = /([▁▂▃▄▅▆▇█]+)$/.exec(line)![1]!;
    // 20 columns at 80 wide; 14 and 7 when narrower (no whole number of bins per column).
    assert.is(spark.length, { 80: 20, 64: 14, 57: 7 }[width]);
    assert.match(spark, /^[▇█]+$/, `${width}: ${line}`);
    r.unmount();
  }
  // The columns share out every count, within rounding.
  const total = h.counts.reduce((a, b) => a + b, 0);
  for (const n of [20, 14, 7, 3]) {
    const c = histogramColumns(cols.u as never, n);
    assert.ok(Math.abs(c.reduce((a, b) => a + b, 0) - total) < 1e-6);
    assert.ok(Math.min(...c) > 0.85 * Math.max(...c), `${n}: ${c}`);
  }
});

test('a constant column puts its count in one column; no range in the summary: the bins as they are', () => {
  assert.equal(
    histogramColumns({ min: 3, max: 3, histogram: { lo: -7, width: 1, counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0] } }, 5),
    [0, 0, 5, 0, 0],
  );
  assert.equal(histogramColumns({ histogram: { counts: [1, 2, 3, 4] } }, 4), [1, 2, 3, 4]);
  assert.equal(histogramColumns({ histogram: { counts: [1, 2, 3, 4] } }, 2), [3, 7]);
});

test('drifted columns: the name ends with "!", and the other columns are as before', () => {
  const plain = lines(render(<ColumnStatsPanel source="sea" columns={summaries()} width={80} height={6} />).lastFrame());
  const r = render(<ColumnStatsPanel source="sea" columns={summaries()} drifted={{ color: 'major' }} width={80} height={6} />);
  const l = lines(r.lastFrame());
  assert.match(l[3]!, /^color!\s+0\.0\s+-\s+-\s+-\s+- blue ×266$/);
  assert.match(l[2]!, /^x\s+25\.0/);
  assert.not.match(l[2]!, /!/);
  assert.is.not(l[3], plain[3]);
  for (const x of l) assert.ok(cells(x) <= 80, x);
  r.unmount();
});

test.run();
