import { render } from 'ink-testing-library';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineChart } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

/** Dot rows (0 = top) lit in each character column of the plot. */
function litRows(plot: string[]): number[][] {
  const bits = [
    [0x01, 0x08],
    [0x02, 0x10],
    [0x04, 0x20],
    [0x40, 0x80],
  ];
  const w = [...plot[0]!].length;
  return Array.from({ length: 2 * w }, (_, c) => {
    const rows: number[] = [];
    plot.forEach((line, li) => {
      const code = [...line][c >> 1]!.codePointAt(0)! - 0x2800;
      bits.forEach((b, r) => {
        if (code & b[c & 1]!) rows.push(li * 4 + r);
      });
    });
    return rows;
  });
}

test('fixed size, y labels at the range ends, x axis in rows, a rising line rises', () => {
  const xs = Array.from({ length: 50 }, (_, i) => i * 1000),
    ys = xs.map((x) => x / 49_000);
  const r = render(<LineChart title="accuracy" xs={xs} ys={ys} width={40} height={4} />);
  const l = lines(r.lastFrame());
  assert.is(l.length, 6, 'title + 4 plot lines + x axis');
  for (const x of l) assert.ok(cells(x) <= 40, x);
  assert.match(l[0]!, /^accuracy +1\.0000$/);
  assert.match(l[1]!, /^ 1\.0000┤/);
  assert.match(l[4]!, /^ 0\.0000┤/);
  assert.match(l[5]!, /^ {8}0 +rows +49\.0k$/);
  const plot = l.slice(1, 5).map((x) => [...x].slice(8).join(''));
  const lit = litRows(plot);
  assert.ok(
    lit.every((rows) => rows.length > 0),
    'connected: every dot column has a dot',
  );
  assert.ok(lit[0]!.includes(15), 'starts at the bottom');
  assert.ok(lit[lit.length - 1]!.includes(0), 'ends at the top');
  r.unmount();
});

test('a constant series draws a flat line; no data says so in the same height', () => {
  const r = render(<LineChart title="loss" xs={[1, 2, 3]} ys={[0.5, 0.5, 0.5]} width={30} height={3} />);
  const plot = lines(r.lastFrame())
    .slice(1, 4)
    .map((x) => [...x].slice(8).join(''));
  const lit = litRows(plot);
  assert.is(new Set(lit.flat()).size, 1, 'one dot row');
  r.rerender(<LineChart title="loss" xs={[]} ys={[]} width={30} height={3} />);
  const l = lines(r.lastFrame());
  assert.is(l.length, 5);
  assert.match(l[1]!, /no data yet/);
  r.unmount();
});

test.run();
