import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { bestModel } from './bestModel.js';
import { ColumnStatsPanel } from './ColumnStatsPanel.js';
import { ConfusionMatrixView } from './ConfusionMatrixView.js';
import { chartMetrics } from './chartMetrics.js';
import { clip } from './clip.js';
import type { DashboardSnapshot } from './DashboardStore.js';
import { EventLog } from './EventLog.js';
import { Header } from './Header.js';
import { LeaderboardPanel } from './LeaderboardPanel.js';
import { LineChart } from './LineChart.js';
import { MetricsPanel } from './MetricsPanel.js';
import { ProgressBar } from './ProgressBar.js';
import { SkippedPanel } from './SkippedPanel.js';
import { TreesPanel } from './TreesPanel.js';

export interface DashboardViewProps {
  snapshot: DashboardSnapshot;
  /** Terminal size; the live panels use at most `height - 1` lines (a full screen would make ink clear and flicker). */
  width: number;
  height: number;
  /** Whether the keys work (stdin is a terminal): the footer lists them only then. */
  keys?: boolean;
}

/** Narrower than this, panels stack in one column. */
const TWO_COLUMNS = 70;
/** Most lines the trees panel takes from the metrics panel beside the charts (title + a model's three). */
const TREES_LINES = 4;
/** Share of the panels' lines a race's leaderboard may take (title, heads, candidates). */
const LEADERBOARD_SHARE = 0.3;
/** Fewest lines the metrics and charts keep beside a leaderboard: two charts of two lines; one column, metrics 2 + chart 3. */
const TWO_COLUMN_MIN = 4;
const ONE_COLUMN_MIN = 5;

/**
 * The whole screen, laid out for `width`×`height`: header, one progress line per source,
 * metrics (and under them tree models' size, when there are any) beside the two charts (loss
 * and main metric against rows), in a hyperparameter race its leaderboard across the width,
 * then confusion matrix, skipped rows and column statistics, and a footer with the keys. Fits 80×24; more room gives taller charts, more rows and wider
 * panels. Pure: the same snapshot and size give the same frame.
 */
export function DashboardView(props: DashboardViewProps) {
  const s = props.snapshot;
  const W = Math.max(20, props.width);
  const budget = Math.max(8, props.height - 1);
  const rate = s.sources.reduce<number | null>((a, x) => (x.rowsPerSecond === null ? a : (a ?? 0) + x.rowsPerSecond), null);
  const elapsed = s.now - s.startedAt;
  const maxSources = Math.max(1, Math.floor(budget / 8));
  const sources = s.sources.slice(0, maxSources);
  const names = [...new Set(s.models.flatMap((m) => [...Object.keys(m.values), ...Object.keys(m.rolling)]))];
  const { main, loss } = chartMetrics(names);
  const best = bestModel(s.models, main ?? loss);
  // Charts follow the best model, else the first one reporting.
  const chartModel = best ?? s.models[0]?.model ?? '';
  const hist = s.history[chartModel] ?? {};
  const second = loss ?? names.find((n) => n !== main) ?? null;
  const charts = [main, second].filter((x): x is string => x !== null && x !== undefined);
  const lastEvent = s.events[s.events.length - 1];

  const rest = budget - 2 - Math.max(1, sources.length);
  const hasBottom = s.confusion !== null || s.stats !== null;
  const reasons = Object.values(s.skipped.byReason).filter((v) => (v ?? 0) > 0).length;
  // The bottom row takes what its panels need (capped at a third), the charts the rest.
  const need = Math.max(1 + reasons, s.confusion ? 2 + s.confusion.classes : 0, s.stats ? 2 + Object.keys(s.stats.columns).length : 0);
  const bottomOf = (avail: number) => (hasBottom ? Math.max(4, Math.min(need, Math.round(avail / 3))) : Math.min(1 + reasons, 4));
  const two = W >= TWO_COLUMNS;
  // A race's leaderboard: a full-width band under the metrics and charts, up to a share of the
  // lines, taken before the bottom row and the charts share the rest; fewer (the title alone
  // names the leader), or none, where the metrics and charts would no longer fit.
  const lb = s.leaderboard ?? null;
  const lbWant = lb ? 1 + lb.entries.length + (lb.entries.length >= 2 ? 1 : 0) : 0;
  const middleMin = Math.min(rest - bottomOf(rest), two ? TWO_COLUMN_MIN : main ? ONE_COLUMN_MIN : 2);
  let lbH = lb ? Math.min(lbWant, Math.max(1, Math.round(rest * LEADERBOARD_SHARE))) : 0;
  while (lbH > 0 && rest - lbH - bottomOf(rest - lbH) < middleMin) lbH--;
  const avail = rest - lbH;
  const bottomH = bottomOf(avail);
  const middleH = avail - bottomH;
  const treeModels = s.models.filter((m) => m.trees !== undefined).length;

  const footer = [
    props.keys ? 'p pause/resume · s snapshot · q quit' : '',
    s.queues.length ? `queue ${s.queues.map((q) => `${q.depth}/${q.capacity}`).join(' ')}` : '',
    lastEvent ? `last: ${lastEvent.message}` : '',
  ]
    .filter(Boolean)
    .join('  │  ');

  let middle: ReactNode;
  if (two) {
    const leftW = Math.min(52, Math.floor(W * 0.45));
    const rightW = W - leftW - 2;
    const nCharts = Math.max(1, charts.length);
    const chartH = Math.max(1, Math.floor(middleH / nCharts) - 2);
    // What the trees panel uses (4 lines for one model, a line each for more), taken from the
    // metrics panel, which keeps its title and two lines.
    const treesH = treeModels ? Math.max(0, Math.min(TREES_LINES, 1 + (treeModels === 1 ? 3 : treeModels), middleH - 3)) : 0;
    middle = (
      <Box height={middleH}>
        <Box flexDirection="column" width={leftW} marginRight={2}>
          <MetricsPanel models={s.models} best={best} main={main} width={leftW} height={middleH - treesH} />
          {treesH ? <TreesPanel models={s.models} width={leftW} height={treesH} /> : null}
        </Box>
        <Box flexDirection="column" width={rightW}>
          {charts.length === 0 ? (
            <LineChart title="metrics" xs={[]} ys={[]} width={rightW} height={Math.max(1, middleH - 2)} />
          ) : (
            charts.map((k) => (
              <LineChart
                key={k}
                title={`${k}${chartModel ? ` (${chartModel})` : ''}`}
                xs={hist[k]?.xs ?? []}
                ys={hist[k]?.ys ?? []}
                width={rightW}
                height={chartH}
                color={k === loss ? 'yellow' : 'cyan'}
                markers={s.markers}
              />
            ))
          )}
        </Box>
      </Box>
    );
  } else {
    // One summary line for the trees under the metrics, when the metrics (2 lines) and the chart (3) still fit.
    const treesH = treeModels && middleH - 1 >= 2 + (main ? 3 : 0) ? 1 : 0;
    const metricsH = Math.max(2, Math.floor((middleH - treesH) / 2));
    const chartH = Math.max(1, middleH - treesH - metricsH - 2);
    middle = (
      <Box flexDirection="column" height={middleH}>
        <MetricsPanel models={s.models} best={best} main={main} width={W} height={metricsH} />
        {treesH ? <TreesPanel models={s.models} width={W} height={treesH} /> : null}
        {main ? <LineChart title={main} xs={hist[main]?.xs ?? []} ys={hist[main]?.ys ?? []} width={W} height={chartH} markers={s.markers} /> : null}
      </Box>
    );
  }

  let bottom: ReactNode;
  if (two && hasBottom) {
    const cmW = s.confusion ? Math.min(Math.floor(W * 0.4), 12 + 7 * Math.min(s.confusion.classes, 6) + 7) : 0;
    const skW = Math.min(24, Math.floor(W * 0.25));
    const stW = W - cmW - skW - (cmW ? 2 : 0) - 2;
    bottom = (
      <Box height={bottomH}>
        {s.confusion ? (
          <Box width={cmW} marginRight={2}>
            <ConfusionMatrixView confusion={s.confusion} width={cmW} height={bottomH} />
          </Box>
        ) : null}
        <Box width={skW} marginRight={2}>
          <SkippedPanel skipped={s.skipped} width={skW} height={bottomH} />
        </Box>
        {stW >= 16 ? (
          <ColumnStatsPanel source={s.stats?.source ?? null} columns={s.stats?.columns ?? null} drifted={s.drifted} width={stW} height={bottomH} />
        ) : null}
      </Box>
    );
  } else {
    bottom = (
      <Box height={bottomH}>
        <SkippedPanel skipped={s.skipped} width={W} height={bottomH} />
      </Box>
    );
  }

  // The live area keeps one height from the first frame on: a frame that grows scrolls the
  // terminal, and ink's line bookkeeping would leave the scrolled-off line behind.
  return (
    <Box flexDirection="column" width={W} height={budget}>
      <EventLog events={s.events} width={W} />
      <Header
        title={s.title}
        source={s.sources.map((x) => x.name).join(', ') || null}
        backend={s.backend}
        adapter={s.adapter}
        elapsedMs={elapsed}
        rowsPerSecond={rate}
        state={s.state}
        width={W}
      />
      {sources.length === 0 ? (
        <Text color="gray">{clip('waiting for the source…', W)}</Text>
      ) : (
        sources.map((x) => (
          <ProgressBar key={x.name} label={x.name} rows={x.rows} totalRows={x.totalRows} rowsPerSecond={x.rowsPerSecond} done={x.done} width={W} />
        ))
      )}
      {middle}
      {lb && lbH > 0 ? <LeaderboardPanel leaderboard={lb} width={W} height={lbH} /> : null}
      {bottom}
      <Text color="gray">{clip(footer, W)}</Text>
    </Box>
  );
}
