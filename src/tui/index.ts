// The live terminal dashboard: a telemetry store, presentational ink components, and
// `dashboard()` which puts them on the terminal for `sluice demo`, `run` and `train`, drawing
// in a worker thread (src/tui/dashboardWorker.mjs → workerMain) so frames never cost the pipeline.

export { bestModel } from './bestModel.js';
export { ColumnStatsPanel, type ColumnStatsPanelProps } from './ColumnStatsPanel.js';
export { ConfusionMatrixView, type ConfusionMatrixViewProps } from './ConfusionMatrixView.js';
export { chartMetrics } from './chartMetrics.js';
export {
  type ConfusionView,
  type DashboardSnapshot,
  DashboardStore,
  type DashboardStoreOptions,
  type EventEntry,
  type LeaderboardView,
  type ModelView,
  type RunState,
  type SourceView,
} from './DashboardStore.js';
// Named DashboardView: a Dashboard.tsx would clash with dashboard.tsx on case-insensitive disks.
export { DashboardView, type DashboardViewProps } from './DashboardView.js';
export { type DashboardHandle, type DashboardOptions, dashboard } from './dashboard.js';
export { type DashboardKeys, dashboardKey } from './dashboardKey.js';
export { EventLog, type EventLogProps } from './EventLog.js';
export { FdTerminal, type FdTerminalOptions } from './FdTerminal.js';
export { Header, type HeaderProps } from './Header.js';
export { type HistogramSummary, histogramColumns } from './histogramColumns.js';
export { LeaderboardPanel, type LeaderboardPanelProps } from './LeaderboardPanel.js';
export { LineChart, type LineChartProps } from './LineChart.js';
export { LiveDashboard, type LiveDashboardProps } from './LiveDashboard.js';
export { lowerIsBetter } from './lowerIsBetter.js';
export { MetricsPanel, type MetricsPanelProps } from './MetricsPanel.js';
export { PauseGate } from './PauseGate.js';
export { ProgressBar, type ProgressBarProps } from './ProgressBar.js';
export { RemoteDashboard, type RemoteDashboardProps, WORKER_FRAME_BUDGET } from './RemoteDashboard.js';
export { Series } from './Series.js';
export { SkippedPanel, type SkippedPanelProps } from './SkippedPanel.js';
export { SnapshotMailbox } from './SnapshotMailbox.js';
export { TreesPanel, type TreesPanelProps } from './TreesPanel.js';
export { FRAME_BUDGET, MAX_FPS, type SnapshotSource, useSnapshot } from './useSnapshot.js';
export { useTerminalSize } from './useTerminalSize.js';
