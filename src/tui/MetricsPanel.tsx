import { Box, Text } from 'ink';
import { formatCount } from '../core/index.js';
import { clip } from './clip.js';
import type { ModelView } from './DashboardStore.js';
import { formatValue } from './formatValue.js';

export interface MetricsPanelProps {
  models: readonly ModelView[];
  /** The model to mark with ★ (several models only). */
  best: string | null;
  /** The metric kept when there is no room for all of them. */
  main: string | null;
  width: number;
  /** Lines available, the title included. */
  height: number;
}

/**
 * A table of each model's metrics: the value since the start ("all") and the rolling window's.
 * With several models the best is starred; when lines run short each model keeps its main
 * metric only, then models are cut with a `+N more` line.
 */
export function MetricsPanel(props: MetricsPanelProps) {
  const { models, width } = props;
  const rows = models.reduce((a, m) => Math.max(a, m.rows), 0);
  const title = clip(`Metrics @ ${formatCount(rows)} rows`, width);
  if (models.length === 0) {
    return (
      <Box flexDirection="column" width={width}>
        <Text bold>{title}</Text>
        <Text color="gray">{clip('waiting for metrics…', width)}</Text>
      </Box>
    );
  }
  const multi = models.length > 1 || models[0]!.model !== '';
  const numW = 8;
  // The model column gives way first: metric names stay readable at 36 columns.
  const modelW = multi ? Math.max(4, Math.min(Math.max(...models.map((m) => m.model.length)) + 3, width - 2 * numW - 10)) : 0;
  const nameW = Math.max(4, width - modelW - 2 * numW);
  const lines: Array<{ key: string; text: string; best: boolean; model: boolean }> = [];
  const budget = Math.max(1, props.height - 1);
  const names = (m: ModelView) => [...new Set([...Object.keys(m.values), ...Object.keys(m.rolling)])];
  const total = models.reduce((a, m) => a + names(m).length, 0);
  const mainOnly = total > budget && props.main !== null;
  for (const m of models) {
    let ks = names(m);
    if (mainOnly) ks = ks.includes(props.main!) ? [props.main!] : ks.slice(0, 1);
    ks.forEach((k, i) => {
      const isBest = multi && props.best === m.model;
      const label = i === 0 && multi ? `${isBest ? '★' : ' '} ${clip(m.model, modelW - 3)}` : '';
      lines.push({
        key: `${m.model}\u0000${k}`,
        best: isBest && i === 0,
        model: i === 0,
        text: label.padEnd(modelW) + clip(k, nameW - 1).padEnd(nameW) + formatValue(m.values[k]).padStart(numW) + formatValue(m.rolling[k]).padStart(numW),
      });
    });
  }
  const shown = lines.length > budget ? lines.slice(0, budget - 1) : lines;
  const more = lines.length - shown.length;
  return (
    <Box flexDirection="column" width={width}>
      <Text>
        <Text bold>{clip(title, Math.max(0, width - 2 * numW - 1)).padEnd(Math.max(0, width - 2 * numW))}</Text>
        <Text color="gray">{'all'.padStart(numW) + 'rolling'.padStart(numW)}</Text>
      </Text>
      {shown.map((l) => (
        <Text key={l.key} color={l.best ? 'green' : undefined}>
          {clip(l.text, width)}
        </Text>
      ))}
      {more > 0 ? <Text color="gray">{`+${more} more`}</Text> : null}
    </Box>
  );
}
