import { Box, Text } from 'ink';
import { formatCount } from '../core/index.js';
import { clip } from './clip.js';
import type { ConfusionView } from './DashboardStore.js';

export interface ConfusionMatrixViewProps {
  confusion: ConfusionView | null;
  width: number;
  /** Lines available, the title included. */
  height: number;
}

/**
 * Counts by true class (rows) and predicted class (columns), the diagonal in green, with each
 * row's recall at the end when there is room. Classes beyond the space are left out and counted.
 */
export function ConfusionMatrixView(props: ConfusionMatrixViewProps) {
  const { confusion: cm, width } = props;
  if (!cm || cm.classes === 0) {
    return (
      <Box flexDirection="column" width={width}>
        <Text bold>{clip('Confusion', width)}</Text>
        <Text color="gray">{clip('no classification yet', width)}</Text>
      </Box>
    );
  }
  const k = cm.classes;
  const label = (i: number) => cm.labels?.[i] ?? String(i);
  const labelW = Math.min(8, Math.max(4, ...Array.from({ length: k }, (_, i) => label(i).length))) + 1;
  const cellW = 7;
  const recallW = 7;
  const fitCols = Math.max(1, Math.floor((width - labelW - recallW) / cellW));
  const showK = Math.max(1, Math.min(k, fitCols, Math.max(1, props.height - 2)));
  const withRecall = labelW + showK * cellW + recallW <= width;
  const header =
    'true\\pred'.slice(0, labelW - 1).padEnd(labelW) +
    Array.from({ length: showK }, (_, j) => clip(label(j), cellW - 1).padStart(cellW)).join('') +
    (withRecall ? 'recall'.padStart(recallW) : '');
  const rows = Array.from({ length: showK }, (_, i) => {
    let rowSum = 0;
    for (let j = 0; j < k; j++) rowSum += cm.counts[i * k + j] ?? 0;
    const diag = cm.counts[i * k + i] ?? 0;
    return {
      i,
      head: clip(label(i), labelW - 1).padEnd(labelW),
      cells: Array.from({ length: showK }, (_, j) => ({ j, text: formatCount(cm.counts[i * k + j] ?? 0).padStart(cellW) })),
      recall: withRecall ? (rowSum > 0 ? `${((100 * diag) / rowSum).toFixed(1)}%` : '-').padStart(recallW) : '',
    };
  });
  const title = `Confusion${cm.model ? ` (${cm.model})` : ''}${showK < k ? ` ${showK}/${k} classes` : ''}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{clip(title, width)}</Text>
      <Text color="gray">{clip(header, width)}</Text>
      {rows.map((r) => (
        <Text key={r.i}>
          <Text color="gray">{r.head}</Text>
          {r.cells.map((c) => (
            <Text key={c.j} color={c.j === r.i ? 'green' : undefined}>
              {c.text}
            </Text>
          ))}
          <Text color="gray">{r.recall}</Text>
        </Text>
      ))}
    </Box>
  );
}
