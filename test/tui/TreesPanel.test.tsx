import { render } from 'ink-testing-library';
import { isValidElement, type ReactNode } from 'react';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TreeStats } from '../../src/core/index.js';
import { type ModelView, TreesPanel, type TreesPanelProps } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

const arf: TreeStats = { kind: 'arf', trees: 10, nodes: 12_345, leaves: 6400, depth: 12, resets: 3, rows: 50_000 };
const hat: TreeStats = { kind: 'hat', trees: 1, nodes: 321, leaves: 161, depth: 9, resets: 0, rows: 50_000 };
const model = (name: string, trees?: TreeStats): ModelView => ({
  model: name,
  rows: 50_000,
  values: { accuracy: 0.9 },
  rolling: {},
  ...(trees ? { trees } : {}),
});

/** The panel's text pieces with their colour (frames carry no colour outside a terminal). */
function pieces(props: TreesPanelProps): Array<{ text: string; color: string | undefined }> {
  const out: Array<{ text: string; color: string | undefined }> = [];
  const walk = (n: ReactNode, color: string | undefined): void => {
    if (Array.isArray(n)) for (const c of n) walk(c, color);
    else if (typeof n === 'string' || typeof n === 'number') out.push({ text: String(n), color });
    else if (isValidElement<{ children?: ReactNode; color?: string }>(n)) walk(n.props.children, n.props.color ?? color);
  };
  walk(TreesPanel(props), undefined);
  return out;
}

test('one model in four lines: kind and members, nodes, leaves, max depth, drift resets', () => {
  const r = render(<TreesPanel models={[model('forest', arf)]} width={52} height={4} />);
  assert.equal(lines(r.lastFrame()), ['Trees (forest)', 'arf · 10 trees', 'nodes      12.3k   leaves         6400', 'max depth     12   drift resets      3']);
  r.unmount();
});

test('the 36 columns of an 80-column terminal: every figure whole', () => {
  const r = render(<TreesPanel models={[model('', hat)]} width={36} height={4} />);
  assert.equal(lines(r.lastFrame()), ['Trees', 'hat · 1 tree', 'nodes        321   leaves    161', 'max depth      9   resets      0']);
  r.unmount();
});

test('models without trees are left out; two tree models share the lines, one each', () => {
  const r = render(<TreesPanel models={[model('sgd'), model('arf', arf), model('fast', hat)]} width={80} height={4} />);
  const l = lines(r.lastFrame());
  assert.equal(l, [
    'Trees',
    'arf · 10 trees · 3 resets · 12.3k nodes · 6400 leaves · depth 12',
    'fast  hat · 1 tree · 0 resets · 321 nodes · 161 leaves · depth 9',
  ]);
  r.unmount();
});

test('height: never more lines than given; fewer lines, terser forms, then +N more', () => {
  for (let h = 1; h <= 6; h++) {
    const r = render(<TreesPanel models={[model('a', arf), model('b', hat), model('c', arf)]} width={60} height={h} />);
    const l = lines(r.lastFrame());
    assert.ok(l.length <= h, `height ${h}: ${l.length} lines`);
    r.unmount();
  }
  const r = render(<TreesPanel models={[model('forest', arf)]} width={60} height={3} />);
  assert.equal(lines(r.lastFrame()), ['Trees (forest)', 'arf · 10 trees · 3 drift resets', '12.3k nodes  6400 leaves  depth 12']);
  r.rerender(<TreesPanel models={[model('forest', arf)]} width={60} height={1} />);
  assert.equal(lines(r.lastFrame()), ['Trees (forest)  arf · 10 trees · 3 resets · 12.3k nodes · 6…']);
  r.rerender(<TreesPanel models={[model('a', arf), model('b', hat), model('c', arf)]} width={60} height={3} />);
  const l = lines(r.lastFrame());
  assert.is(l[0], 'Trees');
  assert.match(l[1]!, /^a {2}arf · 10 trees · 3 resets/);
  assert.is(l[2], '+2 more');
  // No line for `+N more`: the title says it.
  r.rerender(<TreesPanel models={[model('a', arf), model('b', hat), model('c', arf)]} width={60} height={2} />);
  assert.equal(lines(r.lastFrame()), ['Trees (+2 more)', 'a  arf · 10 trees · 3 resets · 12.3k nodes · 6400 leaves · …']);
  r.unmount();
});

test('narrow widths clip, never wrap', () => {
  for (const w of [8, 14, 20, 30]) {
    for (const h of [1, 2, 3, 4]) {
      const r = render(<TreesPanel models={[model('a-long-model-name', arf)]} width={w} height={h} />);
      const l = lines(r.lastFrame());
      assert.ok(l.length <= h, `${w}×${h}: ${l.length} lines`);
      for (const x of l) assert.ok(cells(x) <= w, `${w}×${h}: ${x}`);
      r.unmount();
    }
  }
  const r = render(<TreesPanel models={[model('', arf)]} width={20} height={4} />);
  assert.equal(lines(r.lastFrame()), ['Trees', 'arf · 10 trees', 'nodes      12.3k   …', 'max depth     12   …']);
  r.unmount();
});

test('resets > 0 are yellow, in every form; none are not', () => {
  for (const height of [1, 2, 3, 4]) {
    const yellow = pieces({ models: [model('', arf)], width: 60, height }).filter((p) => p.color === 'yellow');
    assert.is(yellow.length, 1, `height ${height}`);
    assert.match(yellow[0]!.text, /resets\s*3$|^3 (drift )?resets$/, yellow[0]!.text);
  }
  for (const height of [1, 2, 3, 4]) assert.not.ok(pieces({ models: [model('', hat)], width: 60, height }).some((p) => p.color === 'yellow'));
  // A clipped line keeps the colour of what is left of the resets.
  const cut = pieces({ models: [model('', arf)], width: 27, height: 1 });
  assert.equal(
    cut.filter((p) => p.color === 'yellow').map((p) => p.text),
    ['3 …'],
  );
});

test.run();
