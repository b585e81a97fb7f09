import { Box, Text } from 'ink';
import { formatCount } from '../core/index.js';
import { clip } from './clip.js';
import { formatValue } from './formatValue.js';

export interface LineChartProps {
  title: string;
  xs: readonly number[];
  ys: readonly number[];
  /** Characters across, the y-axis labels included. */
  width: number;
  /** Lines of plot (each 4 braille dots tall); the title and the x-axis add two lines. */
  height: number;
  color?: string;
  /** Rows to mark with a vertical line (drift magenta, warning yellow); those outside the x range are left out. */
  markers?: ReadonlyArray<{ row: number; kind: 'drift' | 'warning' }>;
}

const MARK_COLOR = { drift: 'magenta', warning: 'yellow' } as const;

// Braille dot bits by [row][column] within one 2×4 cell (Unicode braille patterns, U+2800).
const DOT = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];
const LABEL = 8;

/**
 * A line chart in braille dots: 2 dots per column and 4 per line, consecutive points joined.
 * The y axis spans the data's range (labels at top and bottom), the x axis rows. Always
 * `height + 2` lines, so layouts can count on it.
 */
export function LineChart(props: LineChartProps) {
  const { width, height } = props;
  const plotW = Math.max(2, width - LABEL),
    plotH = Math.max(1, height);
  const n = Math.min(props.xs.length, props.ys.length);
  const last = n > 0 ? props.ys[n - 1]! : null;
  const head = clip(props.title, Math.max(0, width - 8));
  const lastText = last === null ? '' : formatValue(last);
  const title = head + ' '.repeat(Math.max(1, width - head.length - lastText.length)) + lastText;
  if (n === 0) {
    return (
      <Box flexDirection="column" width={width} height={plotH + 2}>
        <Text bold>{clip(props.title, width)}</Text>
        <Text color="gray">{clip('no data yet', width)}</Text>
      </Box>
    );
  }
  const { lines, ymin, ymax, xmin, xmax } = plot(props.xs, props.ys, n, plotW, plotH);
  const marks = markColumns(props.markers ?? [], xmin, xmax, plotW);
  const xAxis = ' '.repeat(LABEL) + axisLabels(formatCount(xmin), 'rows', formatCount(xmax), plotW);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{clip(title, width)}</Text>
      {lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: chart rows are positions; row i is always row i.
        <Text key={i}>
          <Text color="gray">
            {(i === 0 ? formatValue(ymax) : i === plotH - 1 ? formatValue(ymin) : '').padStart(LABEL - 1) + (i === 0 || i === plotH - 1 ? '┤' : '│')}
          </Text>
          {segments(l, marks).map(([text, kind], j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: segments are positions within the line.
            <Text key={j} color={kind ? MARK_COLOR[kind] : (props.color ?? 'cyan')}>
              {text}
            </Text>
          ))}
        </Text>
      ))}
      <Text color="gray">{clip(xAxis, width)}</Text>
    </Box>
  );
}

/** Chart column of each marker in [xmin, xmax] (a drift wins over a warning in the same column). */
function markColumns(
  markers: ReadonlyArray<{ row: number; kind: 'drift' | 'warning' }>,
  xmin: number,
  xmax: number,
  w: number,
): Map<number, 'drift' | 'warning'> {
  const at = new Map<number, 'drift' | 'warning'>();
  for (const m of markers) {
    if (!(m.row >= xmin && m.row <= xmax)) continue;
    const c = xmax === xmin ? w - 1 : Math.floor(((m.row - xmin) / (xmax - xmin)) * (w - 1) + 0.5);
    if (at.get(c) !== 'drift') at.set(c, m.kind);
  }
  return at;
}

/** A plot line cut into runs: plain curve, and marked columns (an empty cell there becomes a vertical rule). */
function segments(line: string, marks: ReadonlyMap<number, 'drift' | 'warning'>): Array<[string, 'drift' | 'warning' | null]> {
  if (marks.size === 0) return [[line, null]];
  const out: Array<[string, 'drift' | 'warning' | null]> = [];
  let run = '';
  for (let c = 0; c < line.length; c++) {
    const kind = marks.get(c);
    if (kind === undefined) {
      run += line[c];
      continue;
    }
    if (run) out.push([run, null]);
    run = '';
    out.push([line[c] === '\u2800' ? (kind === 'drift' ? '│' : '┊') : line[c]!, kind]);
  }
  if (run) out.push([run, null]);
  return out;
}

function axisLabels(left: string, mid: string, right: string, w: number): string {
  const gap = w - left.length - right.length;
  if (gap < mid.length + 2) return (left + ' '.repeat(Math.max(1, gap)) + right).slice(0, w);
  const l = Math.floor((gap - mid.length) / 2);
  return left + ' '.repeat(l) + mid + ' '.repeat(gap - mid.length - l) + right;
}

function plot(xs: readonly number[], ys: readonly number[], n: number, w: number, h: number) {
  let xmin = Infinity,
    xmax = -Infinity,
    ymin = Infinity,
    ymax = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!,
      y = ys[i]!;
    if (x < xmin) xmin = x;
    if (x > xmax) xmax = x;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  }
  if (ymax === ymin) {
    const pad = Math.max(Math.abs(ymax) * 0.01, 1e-9);
    ymin -= pad;
    ymax += pad;
  }
  const dw = 2 * w,
    dh = 4 * h;
  const cells = new Uint8Array(w * h);
  const col = (x: number) => (xmax === xmin ? dw - 1 : Math.round(((x - xmin) / (xmax - xmin)) * (dw - 1)));
  const row = (y: number) => Math.round(((ymax - y) / (ymax - ymin)) * (dh - 1));
  const set = (c: number, r: number) => {
    const i = Math.floor(r / 4) * w + (c >> 1);
    cells[i] = cells[i]! | DOT[r & 3]![c & 1]!;
  };
  let pc = col(xs[0]!),
    pr = row(ys[0]!);
  set(pc, pr);
  for (let i = 1; i < n; i++) {
    const c = col(xs[i]!),
      r = row(ys[i]!);
    // Bresenham from the previous dot, so steep changes draw as connected strokes.
    let x0 = pc,
      y0 = pr;
    const dx = Math.abs(c - x0),
      dy = -Math.abs(r - y0),
      sx = x0 < c ? 1 : -1,
      sy = y0 < r ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      set(x0, y0);
      if (x0 === c && y0 === r) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
    pc = c;
    pr = r;
  }
  const lines: string[] = [];
  for (let r = 0; r < h; r++) {
    let s = '';
    for (let c = 0; c < w; c++) s += String.fromCharCode(0x2800 + cells[r * w + c]!);
    lines.push(s);
  }
  return { lines, ymin, ymax, xmin, xmax };
}
